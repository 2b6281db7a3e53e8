import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { config, type Config } from "@/lib/config";
import { logger } from "@/lib/log";
import { PrismaClient } from "@/lib/db/generated/client";

/**
 * The one place a database client is built. `DATABASE_URL` set → PostgreSQL through @prisma/adapter-pg;
 * unset → embedded PGlite in the data directory through pglite-prisma-adapter.
 */

export type Db = PrismaClient;
/** The client handed to a function inside `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type DatabaseHandle = {
  prisma: PrismaClient;
  /** Raw SQL runner used by the migrator (outside Prisma, so it can run multi-statement scripts). */
  raw: RawSql;
  kind: "embedded" | "postgres";
  close(): Promise<void>;
};

export interface RawSql {
  /** Runs a script of one or more statements; no parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn on one connection inside BEGIN/COMMIT (ROLLBACK on error). */
  transaction<T>(fn: (conn: Pick<RawSql, "exec" | "query">) => Promise<T>): Promise<T>;
  /** Runs fn on one dedicated connection (for session-level advisory locks). */
  session<T>(fn: (conn: Pick<RawSql, "exec" | "query" | "transaction">) => Promise<T>): Promise<T>;
}

export function createPgliteHandle(pglite: PGlite): DatabaseHandle {
  const raw: RawSql = {
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T,>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params as never[])).rows,
    transaction: (fn) =>
      pglite.transaction((t) =>
        fn({
          exec: async (sql) => {
            await t.exec(sql);
          },
          query: async <T,>(sql: string, params?: unknown[]) => (await t.query<T>(sql, params as never[])).rows,
        }),
      ),
    session: (fn) => fn(raw),
  };
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    raw,
    kind: "embedded",
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export async function createPostgresHandle(url: string): Promise<DatabaseHandle> {
  const { Pool } = await import("pg");
  const pool = new Pool({ connectionString: url, max: 4 });
  // An idle connection closed by the server (restart, failover) must not crash the process.
  pool.on("error", (err) => logger.warn({ err: err.message }, "idle database connection lost"));
  const wrap = (q: { query: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }) => ({
    exec: async (sql: string) => {
      await q.query(sql);
    },
    query: async <T,>(sql: string, params?: unknown[]) => (await q.query(sql, params)).rows as T[],
  });
  const inTransaction = async <T,>(client: import("pg").PoolClient, fn: (c: Pick<RawSql, "exec" | "query">) => Promise<T>) => {
    await client.query("BEGIN");
    try {
      const result = await fn(wrap(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
  };
  const raw: RawSql = {
    ...wrap(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        return await inTransaction(client, fn);
      } finally {
        client.release();
      }
    },
    session: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn({ ...wrap(client), transaction: (f) => inTransaction(client, f) });
      } finally {
        client.release();
      }
    },
  };
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    prisma,
    raw,
    kind: "postgres",
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

export async function openPglite(dataDir?: string): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Search (docs/search.md) needs both: trigram matching and accent folding.
  return PGlite.create(dataDir, { extensions: { pg_trgm, unaccent } });
}

export async function openDatabase(cfg: Config = config()): Promise<DatabaseHandle> {
  if (cfg.database.kind === "postgres") return createPostgresHandle(cfg.database.url);
  return createPgliteHandle(await openPglite(cfg.database.pgliteDir));
}

// One handle per process, kept on globalThis so development reloads don't open PGlite twice
// (PGlite allows a single process per data directory).
const globalForDb = globalThis as unknown as { __canopyDb?: Promise<DatabaseHandle> };

export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.__canopyDb ??= openDatabase();
  return globalForDb.__canopyDb;
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}
