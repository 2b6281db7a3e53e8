import { authOptions } from "@/lib/auth/options";
import { config, ConfigError } from "@/lib/config";
import { prepareDatabase } from "@/lib/db/bootstrap";
import { getDatabase } from "@/lib/db/client";
import { logger } from "@/lib/log";

/** Server start-up (Node.js runtime only): validate configuration, migrate, seed. Exits on failure. */
export async function startServer() {
  try {
    config();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`\n${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  try {
    await prepareDatabase();
  } catch (err) {
    logger.fatal({ err }, "database preparation failed; Canopy cannot start");
    process.exit(1);
  }
  // Logs the demo-login warning at start-up, not only at the first sign-in.
  authOptions();
  if (config().worker === "in-process") {
    const { startWorker } = await import("@/lib/jobs/runtime");
    await startWorker();
  }
  closeDatabaseOnExit();
}

/**
 * The embedded database writes its files as it goes, but only a clean close guarantees they are
 * complete: close it before the process ends (`npm start` leaves signals to us).
 */
function closeDatabaseOnExit() {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    import("@/lib/jobs/runtime")
      .then(({ stopWorker }) => stopWorker())
      .then(() => getDatabase())
      .then((db) => db.close())
      .catch((err) => logger.error({ err }, "closing the database failed"))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
