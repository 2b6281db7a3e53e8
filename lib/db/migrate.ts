import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RawSql } from "@/lib/db/client";

/**
 * Applies pending SQL migrations from prisma/migrations (Prisma's folder layout) and records them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does, so either tool can take over.
 * Differences from Prisma, on purpose: each migration runs inside one transaction (a failure leaves
 * nothing half-applied and is not recorded), and the run holds Prisma's own advisory lock so two
 * starting replicas, or Canopy and the Prisma CLI, never migrate at the same time.
 */

export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");
/** The advisory lock key Prisma's migration engine uses on PostgreSQL. */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationReport = { applied: string[]; alreadyApplied: number; checksumMismatches: string[] };

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export function checksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: checksum(sql) };
    }),
  );
}

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export async function migrate(
  db: RawSql,
  opts: { dir?: string; log?: (msg: string, extra?: Record<string, unknown>) => void } = {},
): Promise<MigrationReport> {
  const migrations = await loadMigrations(opts.dir);
  const log = opts.log ?? (() => undefined);
  return db.session(async (conn) => {
    await conn.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      await conn.exec(CREATE_TABLE);
      const rows = await conn.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed.length) {
        throw new Error(
          `Migration ${failed.map((r) => r.migration_name).join(", ")} failed earlier and is recorded as unfinished. ` +
            "Fix the database, then mark it with `prisma migrate resolve` before starting again.",
        );
      }
      const applied = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
      const report: MigrationReport = { applied: [], alreadyApplied: 0, checksumMismatches: [] };
      for (const m of migrations) {
        const done = applied.get(m.name);
        if (done) {
          report.alreadyApplied++;
          if (done.checksum !== m.checksum) {
            report.checksumMismatches.push(m.name);
            log("migration changed after it was applied", { migration: m.name });
          }
          continue;
        }
        await conn.transaction(async (tx) => {
          const id = randomUUID();
          await tx.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
            [id, m.checksum, m.name],
          );
          await tx.exec(m.sql);
          await tx.query(
            `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
            [id],
          );
        });
        report.applied.push(m.name);
        log("migration applied", { migration: m.name });
      }
      return report;
    } finally {
      await conn.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    }
  });
}

/** Names of migrations present on disk but not applied (used by the readiness check). */
export async function pendingMigrations(db: Pick<RawSql, "query">, dir?: string): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  let rows: { migration_name: string }[] = [];
  try {
    rows = await db.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
  } catch {
    return migrations.map((m) => m.name);
  }
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
