// npm run worker — runs the outbox worker as its own process, beside web replicas that set
// CANOPY_WORKER=off. Needs PostgreSQL: the embedded database serves one process only.
import { config } from "@/lib/config";
import { prepareDatabase } from "@/lib/db/bootstrap";
import { getDatabase } from "@/lib/db/client";
import { startWorker, stopWorker } from "@/lib/jobs/runtime";
import { logger } from "@/lib/log";

async function main() {
  const cfg = config();
  if (cfg.database.kind === "embedded") {
    console.error("npm run worker needs DATABASE_URL: with the embedded database the portal runs the worker itself.");
    process.exit(2);
  }
  await prepareDatabase();
  await startWorker();
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "worker shutting down");
    await stopWorker();
    await (await getDatabase()).close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  logger.fatal({ err }, "worker failed to start");
  process.exit(1);
});
