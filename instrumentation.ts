// Runs once when the server starts: validate configuration, migrate, seed.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config, ConfigError } = await import("@/lib/config");
  try {
    config();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`\n${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const { prepareDatabase } = await import("@/lib/db/bootstrap");
  const { logger } = await import("@/lib/log");
  try {
    await prepareDatabase();
  } catch (err) {
    logger.fatal({ err }, "database preparation failed; Canopy cannot start");
    process.exit(1);
  }
  const { authOptions } = await import("@/lib/auth/options");
  // Logs the demo-login warning at start-up, not only at the first sign-in.
  authOptions();
}
