import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checksum, loadMigrations, migrate, pendingMigrations, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { createTestDatabase, databaseKinds, type TestDatabase } from "@/test/support/db";

type Row = { migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; started_at: Date };

function migrationsDir(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), "canopy-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

for (const kind of databaseKinds) {
  describe(`migrator [${kind}]`, () => {
    const open: TestDatabase[] = [];
    const fresh = async () => {
      const db = await createTestDatabase(kind, { migrate: false });
      open.push(db);
      return db;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((d) => d.dispose()));
    });

    it("applies every migration once and records it the way Prisma does", async () => {
      const db = await fresh();
      const onDisk = await loadMigrations();
      expect(onDisk.length).toBeGreaterThan(0);

      const first = await migrate(db.raw);
      expect(first.applied).toEqual(onDisk.map((m) => m.name));

      const rows = await db.raw.query<Row>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
      expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
      for (const row of rows) {
        const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"), "utf8");
        expect(row.checksum).toBe(checksum(sql));
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(row.finished_at).not.toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }

      const second = await migrate(db.raw);
      expect(second.applied).toEqual([]);
      expect(second.alreadyApplied).toBe(onDisk.length);
      expect(await pendingMigrations(db.raw)).toEqual([]);
    });

    it("applies only what is new, in folder order", async () => {
      const db = await fresh();
      const dir = migrationsDir({
        "20260101000000_a": `CREATE TABLE t_a (id int);`,
        "20260102000000_b": `CREATE TABLE t_b (id int);`,
      });
      expect((await migrate(db.raw, { dir })).applied).toEqual(["20260101000000_a", "20260102000000_b"]);
      mkdirSync(path.join(dir, "20260103000000_c"));
      writeFileSync(path.join(dir, "20260103000000_c", "migration.sql"), `ALTER TABLE t_a ADD COLUMN name text;`);
      expect(await pendingMigrations(db.raw, dir)).toEqual(["20260103000000_c"]);
      expect((await migrate(db.raw, { dir })).applied).toEqual(["20260103000000_c"]);
    });

    it("rolls a failing migration back completely and records nothing for it", async () => {
      const db = await fresh();
      const dir = migrationsDir({
        "20260101000000_ok": `CREATE TABLE t_ok (id int);`,
        "20260102000000_bad": `CREATE TABLE t_half (id int);\nSELECT * FROM no_such_table;`,
      });
      await expect(migrate(db.raw, { dir })).rejects.toThrow(/no_such_table/);
      const names = (await db.raw.query<Row>(`SELECT migration_name FROM "_prisma_migrations"`)).map((r) => r.migration_name);
      expect(names).toEqual(["20260101000000_ok"]);
      const half = await db.raw.query(`SELECT to_regclass('t_half') AS t`);
      expect(half[0]).toEqual({ t: null });
    });

    it("refuses to continue past a migration Prisma recorded as unfinished", async () => {
      const db = await fresh();
      const dir = migrationsDir({ "20260101000000_a": `CREATE TABLE t_a (id int);` });
      await migrate(db.raw, { dir });
      await db.raw.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('x', 'y', '20260102000000_broken', now(), 0)`,
      );
      await expect(migrate(db.raw, { dir })).rejects.toThrow(/20260102000000_broken failed earlier/);
    });

    it("reports a migration edited after it was applied", async () => {
      const db = await fresh();
      const dir = migrationsDir({ "20260101000000_a": `CREATE TABLE t_a (id int);` });
      await migrate(db.raw, { dir });
      writeFileSync(path.join(dir, "20260101000000_a", "migration.sql"), `CREATE TABLE t_a (id bigint);`);
      const report = await migrate(db.raw, { dir });
      expect(report.checksumMismatches).toEqual(["20260101000000_a"]);
      expect(report.applied).toEqual([]);
    });

    it("lets concurrent starts race without applying anything twice", async () => {
      const db = await fresh();
      const other = kind === "postgres" ? await createTestDatabaseOnSameServer(db) : db;
      const [a, b] = await Promise.all([migrate(db.raw), migrate(other.raw)]);
      if (other !== db) await other.dispose();
      const total = (await loadMigrations()).length;
      expect(a.applied.length + b.applied.length).toBe(total);
      const rows = await db.raw.query<{ n: number | string }>(`SELECT count(*) AS n FROM "_prisma_migrations"`);
      expect(Number(rows[0]!.n)).toBe(total);
    });
  });
}

/** A second, independent connection pool to the same PostgreSQL database (a second replica starting). */
async function createTestDatabaseOnSameServer(db: TestDatabase): Promise<TestDatabase> {
  const { createPostgresHandle } = await import("@/lib/db/client");
  const rows = await db.raw.query<{ db: string }>(`SELECT current_database() AS db`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${rows[0]!.db}`;
  const handle = await createPostgresHandle(url.toString());
  return { ...handle, dispose: () => handle.close() };
}
