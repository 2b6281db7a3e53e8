import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { createPgliteHandle, createPostgresHandle, openPglite, type DatabaseHandle, type RawSql } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { searchInputSchema, type SearchInput, type SearchResponse, type Suggestion } from "@/lib/search/types";
import type { Principal } from "@/lib/auth/permissions";
import { loadMesh, productDocument, productRange, type Mesh, type ProductRow } from "./generate";
import type { BenchQuery, Filters } from "./queries";

/**
 * The engines the benchmark compares, behind one interface. Each runs in its own child process
 * (see worker.ts). Backstage's packages are dev dependencies of bench/ only and are loaded with a
 * runtime specifier, so the application's lint and typecheck never need them.
 */

export const ENGINE_NAMES = ["canopy-pg", "canopy-pglite", "naive", "backstage-pg", "lunr"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

export type Hits = { slugs: string[]; total: number };
export type BuildReport = {
  /** Time to build the search index (for Canopy: rebuildSearchIndex after a bulk load). */
  buildMs: number;
  /** Time to load the relational data (not part of the index build). */
  loadMs?: number;
  sizeBytes: number | null;
  sizeBreakdown?: Record<string, number>;
  note?: string;
};

export interface BenchEngine {
  build(mesh: Mesh, log: (msg: string) => void): Promise<BuildReport>;
  /** Full search: first page of 20 (Canopy also computes facet counts and grouped entity hits). */
  search(q: BenchQuery): Promise<Hits>;
  /** Typeahead: up to 8 suggestions for what has been typed so far. */
  typeahead(prefix: string): Promise<Hits>;
  close(): Promise<void>;
}

export type EngineContext = { databaseUrl?: string; seed: number };

const PAGE = 20;
const SUGGESTIONS = 8;

// The mesh's benchmark principal: a platform admin (sees everything, drafts included).
function adminPrincipal(mesh: Mesh): Principal {
  const u = mesh.users[0]!;
  return { id: u.id, email: u.email, name: u.name, roles: ["platform_admin"], domains: [], teamIds: [] };
}

// ---------------------------------------------------------------------------------------------------------
// Canopy (lib/search), on PostgreSQL or PGlite

type SearchService = {
  search(db: unknown, user: Principal, input: SearchInput): Promise<SearchResponse>;
  suggest(db: unknown, user: Principal, input: { q: string; limit: number }): Promise<Suggestion[]>;
};
type IndexModule = { rebuildSearchIndex(raw: RawSql, opts?: { workers?: number }): Promise<unknown> };

async function importFromRepo<T>(relative: string): Promise<T> {
  return (await import(pathToFileURL(path.join(process.cwd(), relative)).href)) as T;
}

/** Bytes the search structures take: search tables, full-text/trigram indexes elsewhere, tsvector columns. */
export async function searchFootprint(raw: RawSql): Promise<{ total: number; breakdown: Record<string, number> }> {
  const breakdown: Record<string, number> = {};
  const tables = await raw.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm') AND (c.relname ILIKE '%search%' OR c.relname ILIKE '%vocab%' OR c.relname ILIKE '%suggest%')`,
  );
  for (const t of tables) breakdown[`table ${t.name}`] = Number(t.bytes);
  const indexes = await raw.query<{ name: string; bytes: string }>(
    `SELECT i.relname AS name, pg_relation_size(i.oid)::text AS bytes
     FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_am am ON am.oid = i.relam
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND am.amname IN ('gin', 'gist') AND NOT (t.relname ILIKE '%search%' OR t.relname ILIKE '%vocab%' OR t.relname ILIKE '%suggest%')`,
  );
  for (const i of indexes) breakdown[`index ${i.name}`] = Number(i.bytes);
  const vectors = await raw.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND udt_name = 'tsvector'
     AND NOT (table_name ILIKE '%search%' OR table_name ILIKE '%vocab%' OR table_name ILIKE '%suggest%')`,
  );
  for (const v of vectors) {
    const [row] = await raw.query<{ bytes: string | null }>(`SELECT sum(pg_column_size("${v.column_name}"))::text AS bytes FROM "${v.table_name}"`);
    breakdown[`column ${v.table_name}.${v.column_name}`] = Number(row?.bytes ?? 0);
  }
  return { total: Object.values(breakdown).reduce((a, b) => a + b, 0), breakdown };
}

class CanopyEngine implements BenchEngine {
  private handle!: DatabaseHandle;
  private service!: SearchService;
  private user!: Principal;
  constructor(
    private readonly kind: "postgres" | "pglite",
    private readonly ctx: EngineContext,
  ) {}

  async build(mesh: Mesh, log: (msg: string) => void): Promise<BuildReport> {
    this.user = adminPrincipal(mesh);
    this.service = await importFromRepo<SearchService>("lib/search/service.ts");
    const index = await importFromRepo<IndexModule>("lib/search/index.ts");
    let loadMs: number | undefined;
    if (this.kind === "postgres") {
      if (!this.ctx.databaseUrl) throw new Error("canopy-pg needs a database URL");
      // The runner created, migrated and loaded this database (shared with the naive baseline).
      this.handle = await createPostgresHandle(this.ctx.databaseUrl);
    } else {
      this.handle = createPgliteHandle(await openPglite());
      await migrate(this.handle.raw);
      log("loading mesh into PGlite");
      const report = await loadMesh(this.handle.raw, mesh, { chunk: 1000 });
      loadMs = report.ms;
    }
    log("rebuilding search index");
    const started = performance.now();
    // PostgreSQL computes documents on one connection per core (the server runs on this machine); PGlite has one.
    await index.rebuildSearchIndex(this.handle.raw, { workers: this.kind === "postgres" ? os.availableParallelism() : 1 });
    const buildMs = performance.now() - started;
    await this.handle.raw.exec("ANALYZE");
    const size = await searchFootprint(this.handle.raw);
    return { buildMs, loadMs, sizeBytes: size.total, sizeBreakdown: size.breakdown };
  }

  async search(q: BenchQuery): Promise<Hits> {
    const input = searchInputSchema.parse({ q: q.q, ...(q.filters ?? {}), limit: PAGE });
    const res = await this.service.search(this.handle.prisma, this.user, input);
    return { slugs: res.products.map((p) => p.slug), total: res.total };
  }

  async typeahead(prefix: string): Promise<Hits> {
    const res = await this.service.suggest(this.handle.prisma, this.user, { q: prefix, limit: SUGGESTIONS });
    const slugs = res.filter((s) => s.kind === "product").map((s) => s.href.replace(/^.*\/products\//, "").replace(/[/?#].*$/, ""));
    return { slugs, total: res.length };
  }

  async close() {
    await this.handle?.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Naive baseline: ILIKE '%q%' over products, their ports and columns

function naiveFilters(filters: Filters | undefined, params: unknown[]): string {
  const where: string[] = [];
  const bind = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filters?.domain?.length) where.push(`p.domain_id IN (SELECT id FROM domains WHERE slug = ANY(${bind(filters.domain)}::text[]))`);
  if (filters?.status?.length) where.push(`p.status::text = ANY(${bind(filters.status)}::text[])`);
  if (filters?.classification?.length) where.push(`p.classification::text = ANY(${bind(filters.classification)}::text[])`);
  if (filters?.tag?.length) where.push(`p.tags && ${bind(filters.tag)}::text[]`);
  if (filters?.portType?.length) where.push(`EXISTS (SELECT 1 FROM output_ports o WHERE o.product_id = p.id AND o.type::text = ANY(${bind(filters.portType)}::text[]))`);
  return where.length ? where.join(" AND ") : "TRUE";
}

class NaiveEngine implements BenchEngine {
  private handle!: DatabaseHandle;
  constructor(private readonly ctx: EngineContext) {}

  async build(): Promise<BuildReport> {
    if (!this.ctx.databaseUrl) throw new Error("naive needs a database URL");
    this.handle = await createPostgresHandle(this.ctx.databaseUrl);
    return { buildMs: 0, sizeBytes: 0, note: "no index" };
  }

  async search(q: BenchQuery): Promise<Hits> {
    const params: unknown[] = [];
    const text = q.q.trim();
    let match = "TRUE";
    if (text) {
      params.push(`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      match = `(p.name ILIKE $1 OR p.summary ILIKE $1 OR p.description ILIKE $1 OR array_to_string(p.tags, ' ') ILIKE $1
        OR EXISTS (SELECT 1 FROM output_ports o LEFT JOIN schema_fields f ON f.port_id = o.id
                   WHERE o.product_id = p.id AND (o.name ILIKE $1 OR f.name ILIKE $1)))`;
    }
    const filters = naiveFilters(q.filters, params);
    const rows = await this.handle.raw.query<{ slug: string; total: string }>(
      `SELECT p.slug, count(*) OVER ()::text AS total FROM data_products p WHERE ${match} AND ${filters}
       ORDER BY ${text ? "(p.name ILIKE $1) DESC," : ""} p.name LIMIT ${PAGE}`,
      params,
    );
    return { slugs: rows.map((r) => r.slug), total: Number(rows[0]?.total ?? 0) };
  }

  async typeahead(prefix: string): Promise<Hits> {
    const rows = await this.handle.raw.query<{ slug: string }>(
      `SELECT slug FROM data_products WHERE name ILIKE $1 ORDER BY name LIMIT ${SUGGESTIONS}`,
      [`%${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
    );
    return { slugs: rows.map((r) => r.slug), total: rows.length };
  }

  async close() {
    await this.handle?.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Backstage's engines (dev dependencies of bench/ only)

type BackstageDocument = {
  title: string;
  text: string;
  location: string;
  domain: string;
  team: string;
  status: string;
  classification: string;
  tag: string[];
  portType: string[];
};
type BackstageQuery = { term: string; filters?: Record<string, string | string[]>; types?: string[]; pageLimit?: number };
type BackstageResultSet = { results: { document: BackstageDocument }[]; numberOfResults?: number };
type BackstageIndexer = NodeJS.WritableStream & { on(event: string, fn: (...args: unknown[]) => void): unknown };
type BackstageSearchEngine = { getIndexer(type: string): Promise<BackstageIndexer>; query(q: BackstageQuery): Promise<BackstageResultSet> };
type Knex = { destroy(): Promise<void>; raw(sql: string): Promise<{ rows: Record<string, unknown>[] }> };

// A runtime specifier: resolved from bench/node_modules by Node, invisible to the root typecheck.
const loadPackage = (name: string): Promise<Record<string, unknown>> => import(name);

const silentLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

function backstageDocument(mesh: Mesh, p: ProductRow): BackstageDocument {
  const doc = productDocument(mesh, p);
  return {
    title: doc.title,
    text: doc.text,
    location: doc.location,
    domain: mesh.domains[p.domainIndex]!.slug,
    team: mesh.teams[p.teamIndex]!.slug,
    status: p.status,
    classification: p.classification,
    tag: p.tags,
    portType: [...new Set(p.ports.map((port) => port.type))],
  };
}

function backstageFilters(filters: Filters | undefined): Record<string, string | string[]> | undefined {
  if (!filters) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(filters)) if (v?.length) out[k] = v.length === 1 ? v[0]! : v;
  return Object.keys(out).length ? out : undefined;
}

const slugOf = (location: string) => location.replace(/^\/products\//, "");

async function indexDocuments(engine: BackstageSearchEngine, mesh: Mesh) {
  const indexer = await engine.getIndexer("product");
  const closed = new Promise<void>((resolve) => indexer.on("close", () => resolve()));
  const docs = Readable.from(
    (function* () {
      for (const p of productRange(mesh)) yield backstageDocument(mesh, p);
    })(),
    { objectMode: true },
  );
  await pipeline(docs, indexer);
  await closed;
}

class BackstagePgEngine implements BenchEngine {
  private knex!: Knex;
  private engine!: BackstageSearchEngine;
  constructor(private readonly ctx: EngineContext) {}

  async build(mesh: Mesh, log: (msg: string) => void): Promise<BuildReport> {
    if (!this.ctx.databaseUrl) throw new Error("backstage-pg needs a database URL");
    const knexModule = await loadPackage("knex");
    const makeKnex = (knexModule.default ?? knexModule.knex) as (cfg: unknown) => Knex;
    this.knex = makeKnex({ client: "pg", connection: this.ctx.databaseUrl, pool: { min: 1, max: 4 } });
    const pg = await loadPackage("@backstage/plugin-search-backend-module-pg");
    const { ConfigReader } = (await loadPackage("@backstage/config")) as { ConfigReader: new (data: unknown) => unknown };
    const { PgSearchEngine } = pg as { PgSearchEngine: { fromConfig(config: unknown, opts: unknown): Promise<BackstageSearchEngine> } };
    const database = { getClient: async () => this.knex, migrations: { skip: false } };
    this.engine = await PgSearchEngine.fromConfig(new ConfigReader({}), { database, logger: silentLogger });
    log("indexing documents (Backstage PG)");
    const started = performance.now();
    await indexDocuments(this.engine, mesh);
    const buildMs = performance.now() - started;
    await this.knex.raw("ANALYZE documents");
    const res = await this.knex.raw(`SELECT pg_total_relation_size('documents')::text AS bytes`);
    return { buildMs, sizeBytes: Number(res.rows[0]?.bytes ?? 0) };
  }

  async search(q: BenchQuery): Promise<Hits> {
    const res = await this.engine.query({ term: q.q, filters: backstageFilters(q.filters), types: ["product"], pageLimit: PAGE });
    return { slugs: res.results.map((r) => slugOf(r.document.location)), total: res.numberOfResults ?? res.results.length };
  }

  async typeahead(prefix: string): Promise<Hits> {
    const res = await this.engine.query({ term: prefix, types: ["product"], pageLimit: SUGGESTIONS });
    return { slugs: res.results.map((r) => slugOf(r.document.location)), total: res.numberOfResults ?? res.results.length };
  }

  async close() {
    await this.knex?.destroy();
  }
}

class LunrEngine implements BenchEngine {
  private engine!: BackstageSearchEngine;

  async build(mesh: Mesh, log: (msg: string) => void): Promise<BuildReport> {
    const node = await loadPackage("@backstage/plugin-search-backend-node");
    const { LunrSearchEngine } = node as { LunrSearchEngine: new (opts: unknown) => BackstageSearchEngine };
    this.engine = new LunrSearchEngine({ logger: silentLogger });
    log("indexing documents (Lunr)");
    const before = process.memoryUsage().rss;
    const started = performance.now();
    await indexDocuments(this.engine, mesh);
    const buildMs = performance.now() - started;
    globalThis.gc?.();
    const rss = process.memoryUsage().rss;
    return { buildMs, sizeBytes: Math.max(0, rss - before), note: "size = process RSS growth while indexing (in-memory index)" };
  }

  async search(q: BenchQuery): Promise<Hits> {
    const res = await this.engine.query({ term: q.q, filters: backstageFilters(q.filters), types: ["product"], pageLimit: PAGE });
    return { slugs: res.results.map((r) => slugOf(r.document.location)), total: res.numberOfResults ?? res.results.length };
  }

  async typeahead(prefix: string): Promise<Hits> {
    const res = await this.engine.query({ term: prefix, types: ["product"], pageLimit: SUGGESTIONS });
    return { slugs: res.results.map((r) => slugOf(r.document.location)), total: res.numberOfResults ?? res.results.length };
  }

  async close() {}
}

export function createEngine(name: EngineName, ctx: EngineContext): BenchEngine {
  switch (name) {
    case "canopy-pg":
      return new CanopyEngine("postgres", ctx);
    case "canopy-pglite":
      return new CanopyEngine("pglite", ctx);
    case "naive":
      return new NaiveEngine(ctx);
    case "backstage-pg":
      return new BackstagePgEngine(ctx);
    case "lunr":
      return new LunrEngine();
  }
}
