// Runs once when the server starts. Everything it does needs Node.js, so it lives in lib/startup.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/lib/startup");
    await startServer();
  }
}
