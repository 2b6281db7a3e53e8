import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { createPgliteHandle, createPostgresHandle, openPglite, type DatabaseHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";

/**
 * Test databases. Every test file gets its own: a fresh in-memory PGlite always, and a freshly
 * created PostgreSQL database as well when TEST_DATABASE_URL points at a server (CI sets it).
 */

export type DatabaseKind = "pglite" | "postgres";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export const databaseKinds: DatabaseKind[] = TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export type TestDatabase = DatabaseHandle & { dispose(): Promise<void> };

export async function createTestDatabase(kind: DatabaseKind, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let handle: DatabaseHandle;
  let drop: () => Promise<void> = async () => undefined;
  if (kind === "pglite") {
    handle = createPgliteHandle(await openPglite());
  } else {
    if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
    const name = `canopy_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    const admin = await createPostgresHandle(TEST_DATABASE_URL);
    await admin.raw.exec(`CREATE DATABASE "${name}"`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    handle = await createPostgresHandle(url.toString());
    drop = async () => {
      await admin.raw.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    };
  }
  if (opts.migrate !== false) await migrate(handle.raw);
  return {
    ...handle,
    dispose: async () => {
      await handle.close();
      await drop();
    },
  };
}

/**
 * Runs a suite once per database kind with a migrated database made for this file.
 * `testDb()` returns the handle inside tests.
 */
export function describeEachDatabase(title: string, suite: (testDb: () => TestDatabase, kind: DatabaseKind) => void) {
  for (const kind of databaseKinds) {
    describe(`${title} [${kind}]`, () => {
      let db: TestDatabase | undefined;
      beforeAll(async () => {
        db = await createTestDatabase(kind);
      });
      afterAll(async () => {
        await db?.dispose();
      });
      suite(() => {
        if (!db) throw new Error("test database not ready");
        return db;
      }, kind);
    });
  }
}
