import { authOptions } from "@/lib/auth/options";
import { config, ConfigError } from "@/lib/config";
import { prepareDatabase } from "@/lib/db/bootstrap";
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
}
