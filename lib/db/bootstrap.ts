import { config } from "@/lib/config";
import { getDatabase, type DatabaseHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seedDemoMesh } from "@/lib/demo/seed";
import { ensureDefaultPolicies } from "@/lib/governance/policies";
import { logger } from "@/lib/log";

const log = logger.child({ component: "db" });

/** Start-up: apply pending migrations, then seed the demo mesh into an empty catalogue when configured. */
export async function prepareDatabase(handle?: DatabaseHandle): Promise<void> {
  const cfg = config();
  const db = handle ?? (await getDatabase());
  const started = Date.now();
  const report = await migrate(db.raw, { log: (msg, extra) => log.info(extra, msg) });
  log.info(
    { database: db.kind, applied: report.applied, alreadyApplied: report.alreadyApplied, ms: Date.now() - started },
    report.applied.length ? "database migrated" : "database schema up to date",
  );
  if (report.checksumMismatches.length) {
    log.warn({ migrations: report.checksumMismatches }, "applied migrations were edited afterwards; their checksums differ");
  }
  // Every catalogue, production too, starts with the default governance policies.
  const policies = await ensureDefaultPolicies(db.prisma);
  if (policies) log.info({ policies }, "default governance policies seeded");
  if (cfg.seedDemo) {
    const result = await seedDemoMesh(db.prisma);
    if (result.seeded) log.info({ products: result.products }, "demo mesh seeded");
  }
}
