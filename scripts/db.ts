// npm run db:migrate | db:seed | db:reset — maintenance commands for the catalogue database.
// Stop the portal first when it runs on the embedded database: PGlite allows one process at a time.
import { rmSync } from "node:fs";
import { config } from "@/lib/config";
import { openDatabase } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seedDemoMesh } from "@/lib/demo/seed";

const command = process.argv[2];
const yes = process.argv.includes("--yes");
const cfg = config();

async function main() {
  if (command === "reset") {
    if (cfg.database.kind === "embedded") {
      rmSync(cfg.database.pgliteDir, { recursive: true, force: true });
      console.log(`Removed ${cfg.database.pgliteDir}`);
    } else {
      if (!yes) {
        console.error("db:reset drops every table in the configured PostgreSQL database. Run it again with --yes to confirm:\n  npm run db:reset -- --yes");
        process.exit(2);
      }
      const db = await openDatabase(cfg);
      await db.raw.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      await db.close();
      console.log("Dropped and recreated schema public");
    }
  }
  const db = await openDatabase(cfg);
  try {
    if (command === "migrate" || command === "reset" || command === "seed") {
      const report = await migrate(db.raw, { log: (m, e) => console.log(m, e ?? "") });
      console.log(report.applied.length ? `Applied ${report.applied.join(", ")}` : "Schema up to date");
    }
    if (command === "seed" || (command === "reset" && cfg.seedDemo)) {
      const r = await seedDemoMesh(db.prisma);
      console.log(r.seeded ? `Seeded the demo mesh (${r.products} products)` : "Catalogue not empty: demo mesh not seeded");
    }
    if (!["migrate", "seed", "reset"].includes(command ?? "")) {
      console.error("Usage: tsx scripts/db.ts migrate|seed|reset [--yes]");
      process.exit(2);
    }
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
