import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPgliteHandle, createPostgresHandle, openPglite, type DatabaseHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { traverseAssets, traverseProducts } from "@/lib/lineage/graph";
import { hash32, rng } from "../search/generate";
import { percentile } from "../search/stats";
import { generateLineageMesh, loadLineageMesh, type LineageMesh, type LoadTimings } from "./generate";
import { naiveAssets, naiveProducts, type Walk } from "./naive";

/**
 * `npm run bench:lineage -- --products 10000`
 *
 * Generates a lineage mesh (bench/lineage/generate.ts), loads it into an in-memory PGlite and into a
 * scratch PostgreSQL database (created and dropped here), both migrated with the project's migrator,
 * then times upstream + downstream traversal to a fixed depth from the same fixed sample of start
 * nodes — products, tables, columns — with Canopy's traversal (`traverseProducts` / `traverseAssets`,
 * one recursive SQL statement each) and with a naive per-hop baseline (one ORM query per frontier
 * node per hop). Both must return the same node set for every start; any difference fails the run.
 * Each class is measured in --runs passes over its sample; percentiles are taken per pass and the
 * median over passes is reported (the spread of p95 over passes is the machine noise).
 * Prints tables and writes bench/results/lineage-<products>-<timestamp>.json.
 */

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "10000" },
    seed: { type: "string", default: "42" },
    samples: { type: "string", default: "300" },
    runs: { type: "string", default: "3" },
    warmup: { type: "string", default: "20" },
    depth: { type: "string", default: "3" },
    engines: { type: "string", default: "pglite,postgres" },
    "database-url": { type: "string" },
    "keep-db": { type: "boolean", default: false },
    "out-dir": { type: "string", default: "bench/results" },
  },
});

const PRODUCTS = Number(values.products);
const SEED = Number(values.seed);
const SAMPLES = Number(values.samples);
const RUNS = Math.max(1, Number(values.runs));
const WARMUP = Number(values.warmup);
const DEPTH = Number(values.depth);
const ENGINES = values.engines!.split(",").map((e) => e.trim()).filter(Boolean);
for (const e of ENGINES) if (e !== "pglite" && e !== "postgres") throw new Error(`unknown engine "${e}" (pglite, postgres)`);
const adminUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const say = (msg: string) => process.stdout.write(`${msg}\n`);

type StartClass = "product" | "table" | "column";
const CLASSES: StartClass[] = ["product", "table", "column"];
const LARGE = 50;
type Method = "canopy" | "naive";
/** Percentiles per pass over the sample, then the median over passes; p95Spread is min–max of p95 over passes (the machine noise). */
type Latency = { n: number; runs: number; p50: number; p95: number; p99: number; mean: number; max: number; p95Spread: [number, number] };
type ClassResult = {
  engine: string;
  startClass: StartClass;
  canopy: Latency;
  naive: Latency;
  nodes: { median: number; p95: number; max: number; mean: number };
  naiveQueries: { median: number; max: number; mean: number };
  ratio: { p50: number; p95: number; p99: number };
  /** Starts whose neighbourhood has at least LARGE nodes: where the per-hop round trips add up. */
  large: { minNodes: number; n: number; canopyP50: number | null; naiveP50: number | null; ratioP50: number | null };
  /** The start that reaches the most nodes. */
  largest: { start: string; nodes: number; canopyMs: number; naiveMs: number; naiveQueries: number };
  /** Per start, in sample order: milliseconds of each method, nodes reached, naive queries. */
  perStart: { canopyMs: number[]; naiveMs: number[]; nodes: number[]; naiveQueries: number[] };
  mismatches: number;
  loadAvg: [number, number];
};
type EngineReport = {
  engine: string;
  server: string | null;
  migrateMs: number;
  load: LoadTimings;
  reindexMs: number;
  analyzeMs: number;
  bytes: Record<string, number>;
  classes: ClassResult[];
  loadAvg: { start: number[]; end: number[] };
};

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

const median = (xs: number[]) => percentile(xs, 50)!;

function latency(passes: number[][]): Latency {
  const per = passes.map((xs) => ({
    p50: percentile(xs, 50)!,
    p95: percentile(xs, 95)!,
    p99: percentile(xs, 99)!,
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    max: Math.max(...xs),
  }));
  const mid = (k: keyof (typeof per)[number]) => round(median(per.map((x) => x[k])), 3);
  const p95s = per.map((x) => x.p95);
  return { n: passes[0]!.length, runs: passes.length, p50: mid("p50"), p95: mid("p95"), p99: mid("p99"), mean: mid("mean"), max: mid("max"), p95Spread: [round(Math.min(...p95s), 3), round(Math.max(...p95s), 3)] };
}

/** A fixed sample (same seed → same starts on every engine): `k` distinct ids. */
function sample(ids: readonly string[], k: number, salt: number): string[] {
  const r = rng(hash32(SEED, 9100, salt));
  const picked = new Set<number>();
  const want = Math.min(k, ids.length);
  while (picked.size < want) picked.add(r.int(ids.length));
  return [...picked].map((i) => ids[i]!);
}

/** Node ids without their kind prefix (`table:<uuid>` → `<uuid>`). */
const bare = (id: string) => id.replace(/^(product|port|table|column):/, "");

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(os.totalmem() / 1e9),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  pglite: (JSON.parse(readFileSync(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version,
  /** The traversal measured (its source changes; the hash says which version produced these numbers). */
  graphSha256: createHash("sha256").update(readFileSync(path.join(process.cwd(), "lib/lineage/graph.ts"))).digest("hex"),
  loadAvgStart: os.loadavg().map((x) => round(x)),
  loadAvgEnd: [] as number[],
  loadAvgSamples: [] as { at: string; phase: string; load1: number }[],
};
let phase = "generate";
const sampler = setInterval(() => machine.loadAvgSamples.push({ at: new Date().toISOString(), phase, load1: round(os.loadavg()[0]!) }), 10_000);

// Scratch PostgreSQL database.
const dbName = `canopy_bench_lineage_${process.pid}`;
let admin: DatabaseHandle | null = null;
async function createScratch(): Promise<string> {
  admin ??= await createPostgresHandle(adminUrl);
  await admin.raw.exec(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.raw.exec(`CREATE DATABASE "${dbName}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}
async function dropScratch() {
  if (!admin) return;
  if (!values["keep-db"]) await admin.raw.exec(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  await admin.close();
  admin = null;
}
process.on("SIGINT", () => void dropScratch().finally(() => process.exit(130)));
process.on("SIGTERM", () => void dropScratch().finally(() => process.exit(143)));

type Mismatch = { engine: string; startClass: StartClass; start: string; canopy: number; naive: number; onlyCanopy: string[]; onlyNaive: string[] };
const mismatches: Mismatch[] = [];

async function traverse(method: Method, startClass: StartClass, h: DatabaseHandle, start: string): Promise<{ nodes: Set<string>; queries: number }> {
  const opts = { up: DEPTH, down: DEPTH };
  if (method === "naive") {
    const w: Walk = startClass === "product" ? await naiveProducts(h.prisma, [start], opts) : await naiveAssets(h.prisma, [start], opts);
    return { nodes: w.nodes, queries: w.queries };
  }
  // No node cap: the baseline has none, and the node sets are compared.
  const uncapped = { ...opts, maxNodes: 1_000_000 };
  const res = startClass === "product" ? await traverseProducts(h.prisma, [start], uncapped) : await traverseAssets(h.prisma, [start], uncapped);
  if (res.truncated) throw new Error(`traversal from ${startClass} ${start} was truncated at ${res.nodes.length} of ${res.reached} nodes`);
  const nodes = new Set(res.nodes.map((n) => bare(n.id)));
  nodes.add(start);
  return { nodes, queries: 1 };
}

async function measureClass(engine: string, h: DatabaseHandle, startClass: StartClass, starts: string[], warm: string[]): Promise<ClassResult> {
  const loadBefore = os.loadavg()[0]!;
  for (const s of warm) {
    await traverse("canopy", startClass, h, s);
    await traverse("naive", startClass, h, s);
  }
  const passes: Record<Method, number[][]> = { canopy: [], naive: [] };
  const sizes: number[] = [];
  const queries: number[] = [];
  let bad = 0;
  for (let pass = 0; pass < RUNS; pass++) {
    const times: Record<Method, number[]> = { canopy: [], naive: [] };
    for (let k = 0; k < starts.length; k++) {
      const start = starts[k]!;
      // Alternate which method goes first, so neither always runs on a warmer cache.
      const order: Method[] = (k + pass) % 2 === 0 ? ["canopy", "naive"] : ["naive", "canopy"];
      const got = {} as Record<Method, Set<string>>;
      let naiveQueries = 0;
      for (const m of order) {
        const t = performance.now();
        const r = await traverse(m, startClass, h, start);
        times[m].push(performance.now() - t);
        got[m] = r.nodes;
        if (m === "naive") naiveQueries = r.queries;
      }
      if (pass > 0) continue;
      // Correctness and sizes from the first pass (the data does not change between passes).
      sizes.push(got.canopy.size);
      queries.push(naiveQueries);
      const onlyCanopy = [...got.canopy].filter((x) => !got.naive.has(x));
      const onlyNaive = [...got.naive].filter((x) => !got.canopy.has(x));
      if (onlyCanopy.length || onlyNaive.length) {
        bad++;
        mismatches.push({ engine, startClass, start, canopy: got.canopy.size, naive: got.naive.size, onlyCanopy: onlyCanopy.slice(0, 5), onlyNaive: onlyNaive.slice(0, 5) });
        say(`  MISMATCH ${engine} ${startClass} ${start}: canopy ${got.canopy.size} nodes, naive ${got.naive.size}`);
      }
    }
    passes.canopy.push(times.canopy);
    passes.naive.push(times.naive);
  }
  const canopy = latency(passes.canopy);
  const naive = latency(passes.naive);
  // Per start: the median over passes.
  const times: Record<Method, number[]> = {
    canopy: starts.map((_, k) => median(passes.canopy.map((p) => p[k]!))),
    naive: starts.map((_, k) => median(passes.naive.map((p) => p[k]!))),
  };
  const bigIdx = sizes.flatMap((size, k) => (size >= LARGE ? [k] : []));
  const bigP50 = (m: Method) => (bigIdx.length ? round(percentile(bigIdx.map((k) => times[m][k]!), 50)!, 3) : null);
  const large = { minNodes: LARGE, n: bigIdx.length, canopyP50: bigP50("canopy"), naiveP50: bigP50("naive"), ratioP50: null as number | null };
  if (large.canopyP50 && large.naiveP50) large.ratioP50 = round(large.naiveP50 / large.canopyP50, 1);
  const top = sizes.indexOf(Math.max(...sizes));
  const largest = { start: starts[top]!, nodes: sizes[top]!, canopyMs: round(times.canopy[top]!, 3), naiveMs: round(times.naive[top]!, 3), naiveQueries: queries[top]! };
  return {
    engine,
    startClass,
    canopy,
    naive,
    nodes: { median: percentile(sizes, 50)!, p95: percentile(sizes, 95)!, max: Math.max(...sizes), mean: round(sizes.reduce((a, b) => a + b, 0) / sizes.length, 1) },
    naiveQueries: { median: percentile(queries, 50)!, max: Math.max(...queries), mean: round(queries.reduce((a, b) => a + b, 0) / queries.length, 1) },
    ratio: { p50: round(naive.p50 / canopy.p50, 1), p95: round(naive.p95 / canopy.p95, 1), p99: round(naive.p99 / canopy.p99, 1) },
    large,
    largest,
    perStart: { canopyMs: times.canopy.map((x) => round(x, 3)), naiveMs: times.naive.map((x) => round(x, 3)), nodes: sizes, naiveQueries: queries },

    mismatches: bad,
    loadAvg: [round(loadBefore), round(os.loadavg()[0]!)],
  };
}

async function runEngine(engine: string, mesh: LineageMesh, starts: Record<StartClass, string[]>, warm: Record<StartClass, string[]>): Promise<EngineReport> {
  const loadStart = os.loadavg().map((x) => round(x));
  phase = `${engine}: migrate`;
  const h = engine === "pglite" ? createPgliteHandle(await openPglite()) : await createPostgresHandle(await createScratch());
  try {
    const [v] = await h.raw.query<{ server_version: string }>("SHOW server_version");
    let t = performance.now();
    await migrate(h.raw);
    const migrateMs = performance.now() - t;
    phase = `${engine}: load`;
    say(`[${engine}] migrated in ${(migrateMs / 1000).toFixed(1)} s; loading…`);
    const load = await loadLineageMesh(h.raw, mesh);
    say(`[${engine}] loaded in ${(load.totalMs / 1000).toFixed(1)} s (catalogue ${(load.catalogMs / 1000).toFixed(1)} s, assets ${(load.assetsMs / 1000).toFixed(1)} s, edges ${(load.edgesMs / 1000).toFixed(1)} s)`);
    phase = `${engine}: index`;
    t = performance.now();
    await h.raw.exec(`REINDEX TABLE "lineage_assets"; REINDEX TABLE "lineage_edges"; REINDEX TABLE "product_dependencies"; REINDEX TABLE "output_ports"`);
    const reindexMs = performance.now() - t;
    t = performance.now();
    await h.raw.exec("ANALYZE");
    const analyzeMs = performance.now() - t;
    say(`[${engine}] lineage indexes rebuilt in ${(reindexMs / 1000).toFixed(1)} s, ANALYZE ${(analyzeMs / 1000).toFixed(1)} s`);
    const sizeRows = await h.raw.query<{ name: string; total: string; indexes: string }>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid)::text AS total, pg_indexes_size(c.oid)::text AS indexes
       FROM pg_class c WHERE c.relname IN ('lineage_assets', 'lineage_edges', 'product_dependencies', 'output_ports') AND c.relkind = 'r'`,
    );
    const bytes: Record<string, number> = {};
    for (const s of sizeRows) {
      bytes[`${s.name}`] = Number(s.total);
      bytes[`${s.name} (indexes)`] = Number(s.indexes);
    }
    const classes: ClassResult[] = [];
    for (const c of CLASSES) {
      phase = `${engine}: ${c}`;
      const res = await measureClass(engine, h, c, starts[c], warm[c]);
      say(
        `[${engine}] ${c}: canopy p50 ${res.canopy.p50.toFixed(2)} / p95 ${res.canopy.p95.toFixed(2)} ms, naive p50 ${res.naive.p50.toFixed(2)} / p95 ${res.naive.p95.toFixed(2)} ms, ` +
          `nodes median ${res.nodes.median} max ${res.nodes.max}, ${res.mismatches} mismatches, load ${res.loadAvg.join("→")}`,
      );
      classes.push(res);
    }
    return { engine, server: v?.server_version ?? null, migrateMs: round(migrateMs, 0), load: { catalogMs: round(load.catalogMs, 0), assetsMs: round(load.assetsMs, 0), edgesMs: round(load.edgesMs, 0), totalMs: round(load.totalMs, 0) }, reindexMs: round(reindexMs, 0), analyzeMs: round(analyzeMs, 0), bytes, classes, loadAvg: { start: loadStart, end: os.loadavg().map((x) => round(x)) } };
  } finally {
    await h.close();
    if (engine === "postgres") await dropScratch();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

async function main() {
  const started = performance.now();
  say(`Canopy lineage benchmark: ${PRODUCTS} products, seed ${SEED}, depth ${DEPTH} up + ${DEPTH} down, ${SAMPLES} starts per class, ${RUNS} pass(es), engines ${ENGINES.join(", ")}`);
  say(`machine: ${machine.cpus} CPU ${machine.cpuModel}, ${machine.memoryGb} GB, node ${machine.node}, load average ${machine.loadAvgStart.join(" ")}`);
  const t = performance.now();
  const mesh = generateLineageMesh({ products: PRODUCTS, seed: SEED });
  const generateMs = performance.now() - t;
  say(`generated in ${(generateMs / 1000).toFixed(1)} s: ${Object.entries(mesh.counts).map(([k, v]) => `${k} ${v}`).join(", ")}`);

  const pools: Record<StartClass, string[]> = { product: mesh.products.map((p) => p.id), table: mesh.tableIds, column: mesh.columnIds };
  const starts = Object.fromEntries(CLASSES.map((c, i) => [c, sample(pools[c], SAMPLES, i)])) as Record<StartClass, string[]>;
  const warm = Object.fromEntries(CLASSES.map((c, i) => [c, sample(pools[c], WARMUP, 100 + i)])) as Record<StartClass, string[]>;

  const engines: EngineReport[] = [];
  try {
    for (const e of ENGINES) engines.push(await runEngine(e, mesh, starts, warm));
  } finally {
    clearInterval(sampler);
    machine.loadAvgEnd = os.loadavg().map((x) => round(x));
    await dropScratch();
  }

  const f = (x: number) => (x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(x >= 10 ? 1 : 2));
  const results = table([
    ["engine", "start", "canopy p50 / p95 / p99 ms", "naive p50 / p95 / p99 ms", "naive ÷ canopy p50 / p95", "p95 noise canopy / naive", `≥ ${LARGE} nodes: n, canopy / naive p50 ms`, "largest: nodes, canopy / naive ms", "nodes median / p95 / max", "naive queries median / max", "load avg"],
    ...engines.flatMap((e) =>
      e.classes.map((c) => [
        e.engine,
        c.startClass,
        `${f(c.canopy.p50)} / ${f(c.canopy.p95)} / ${f(c.canopy.p99)}`,
        `${f(c.naive.p50)} / ${f(c.naive.p95)} / ${f(c.naive.p99)}`,
        `${c.ratio.p50}× / ${c.ratio.p95}×`,
        `${f(c.canopy.p95Spread[0])}–${f(c.canopy.p95Spread[1])} / ${f(c.naive.p95Spread[0])}–${f(c.naive.p95Spread[1])}`,
        c.large.n ? `${c.large.n}: ${f(c.large.canopyP50!)} / ${f(c.large.naiveP50!)} (${c.large.ratioP50}×)` : "0",
        `${c.largest.nodes}: ${f(c.largest.canopyMs)} / ${f(c.largest.naiveMs)}`,
        `${c.nodes.median} / ${Math.round(c.nodes.p95)} / ${c.nodes.max}`,
        `${c.naiveQueries.median} / ${c.naiveQueries.max}`,
        c.loadAvg.join("→"),
      ]),
    ),
  ]);
  const mb = (b: number | undefined) => (b === undefined ? "—" : `${(b / 1e6).toFixed(1)} MB`);
  const loads = table([
    ["engine", "migrate", "load catalogue", "load assets", "load edges", "load total", "reindex", "ANALYZE", "lineage_edges (indexes)", "lineage_assets (indexes)"],
    ...engines.map((e) => [
      e.engine,
      `${(e.migrateMs / 1000).toFixed(1)} s`,
      `${(e.load.catalogMs / 1000).toFixed(1)} s`,
      `${(e.load.assetsMs / 1000).toFixed(1)} s`,
      `${(e.load.edgesMs / 1000).toFixed(1)} s`,
      `${(e.load.totalMs / 1000).toFixed(1)} s`,
      `${(e.reindexMs / 1000).toFixed(1)} s`,
      `${(e.analyzeMs / 1000).toFixed(1)} s`,
      `${mb(e.bytes["lineage_edges"])} (${mb(e.bytes["lineage_edges (indexes)"])})`,
      `${mb(e.bytes["lineage_assets"])} (${mb(e.bytes["lineage_assets (indexes)"])})`,
    ]),
  ]);
  say(`\n## Lineage traversal, depth ${DEPTH} up + ${DEPTH} down — ${PRODUCTS.toLocaleString("en")} products, ${mesh.counts.assetEdges!.toLocaleString("en")} asset edges\n`);
  say(results);
  say("");
  say(loads);
  say(`\nmachine: ${machine.cpus} CPU (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, PGlite ${machine.pglite}, PostgreSQL ${engines.find((e) => e.engine === "postgres")?.server ?? "—"}; load average ${machine.loadAvgStart.join(" ")} → ${machine.loadAvgEnd.join(" ")}`);

  const outDir = values["out-dir"]!;
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace(/-\d{3}Z$/, "Z");
  const file = path.join(outDir, `lineage-${PRODUCTS}-${stamp}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        products: PRODUCTS,
        seed: SEED,
        depth: DEPTH,
        samplesPerClass: SAMPLES,
        runs: RUNS,
        warmupPerClass: WARMUP,
        date: new Date().toISOString(),
        wallSeconds: Math.round((performance.now() - started) / 1000),
        machine,
        mesh: { ...mesh.counts, generateMs: Math.round(generateMs) },
        engines,
        mismatches,
        tables: { results, loads },
      },
      null,
      1,
    ),
  );
  say(`\nwrote ${file}`);
  if (mismatches.length) {
    say(`\nFAILED: ${mismatches.length} start node(s) where Canopy's traversal and the naive baseline returned different node sets (see "mismatches" in ${file}).`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch(async (err) => {
  console.error(err);
  clearInterval(sampler);
  await dropScratch();
  process.exit(1);
});
