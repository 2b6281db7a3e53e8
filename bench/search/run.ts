import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createPostgresHandle } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ENGINE_NAMES, type EngineName } from "./engines";
import { generateMesh, loadMesh } from "./generate";
import { judgedSet, queryMix } from "./queries";
import { summarize, type EngineSummary, type Latency } from "./stats";
import type { WorkerResult } from "./worker-types";

/**
 * `npm run bench:search -- --products 20000 --engines canopy-pg,canopy-pglite,naive,backstage-pg,lunr --runs 3`
 *
 * Creates its own PostgreSQL databases (dropped at the end), loads the generated mesh once for the
 * engines that read Canopy's tables, runs every engine in its own child process (memory and crashes
 * isolated, a time cap per engine), prints a table with ratios against each peer and writes JSON to
 * bench/results/search-<size>-<timestamp>.json.
 */

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "20000" },
    engines: { type: "string", default: "canopy-pg,canopy-pglite,naive,backstage-pg,lunr" },
    runs: { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    "database-url": { type: "string" },
    "index-cap-s": { type: "string", default: "600" },
    "query-budget-s": { type: "string", default: "900" },
    "lunr-memory-gb": { type: "string" },
    "out-dir": { type: "string", default: "bench/results" },
    "keep-db": { type: "boolean", default: false },
    "reuse-db": { type: "string" },
  },
});

const products = Number(values.products);
const seed = Number(values.seed);
const runs = Number(values.runs);
const engines = values.engines!.split(",").map((e) => e.trim()).filter(Boolean) as EngineName[];
for (const e of engines) if (!ENGINE_NAMES.includes(e)) throw new Error(`unknown engine "${e}" (known: ${ENGINE_NAMES.join(", ")})`);
const adminUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const indexCapMs = Number(values["index-cap-s"]) * 1000;
const queryBudgetS = Number(values["query-budget-s"]);
// Lunr keeps everything in the Node heap: give it at most half of the memory free now (or what was asked).
const lunrBudgetMb = Math.floor(values["lunr-memory-gb"] ? Number(values["lunr-memory-gb"]) * 1024 : (os.freemem() / 1024 / 1024) * 0.5);

const tmp = path.join(os.tmpdir(), `canopy-bench-${process.pid}`);
mkdirSync(tmp, { recursive: true });
const say = (msg: string) => process.stdout.write(`${msg}\n`);

// ---------------------------------------------------------------------------------------------------------
// Databases

const dbName = (suffix = "") => `canopy_bench_${process.pid}${suffix}`;
const urlFor = (name: string) => {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
};
const created: string[] = [];
let admin: Awaited<ReturnType<typeof createPostgresHandle>> | null = null;

async function createDatabase(name: string) {
  admin ??= await createPostgresHandle(adminUrl);
  await admin.raw.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.raw.exec(`CREATE DATABASE "${name}"`);
  created.push(name);
  return urlFor(name);
}

async function dropDatabase(name: string) {
  await admin?.raw.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
}

async function dropDatabases() {
  if (!admin) return;
  if (!values["keep-db"]) for (const name of created) await admin.raw.exec(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  await admin.close();
  admin = null;
}

const children = new Set<ReturnType<typeof spawn>>();
const cleanup = async () => {
  for (const c of children) c.kill("SIGKILL");
  await dropDatabases();
  rmSync(tmp, { recursive: true, force: true });
};
process.on("SIGINT", () => void cleanup().finally(() => process.exit(130)));
process.on("SIGTERM", () => void cleanup().finally(() => process.exit(143)));

// ---------------------------------------------------------------------------------------------------------
// Child processes

type ChildOutcome = { result: WorkerResult | null; exitCode: number | null; signal: string | null; timedOut: boolean; stderrTail: string; wallMs: number };

function runWorker(engine: EngineName, opts: { products: number; runs: number; databaseUrl?: string; buildOnly?: boolean; capMs: number; nodeArgs?: string[] }): Promise<ChildOutcome> {
  const out = path.join(tmp, `${engine}-${opts.products}-${opts.buildOnly ? "probe" : "run"}.json`);
  rmSync(out, { force: true });
  const args = [
    ...(opts.nodeArgs ?? []),
    "--import",
    "tsx",
    "bench/search/worker.ts",
    "--engine", engine,
    "--products", String(opts.products),
    "--seed", String(seed),
    "--runs", String(opts.runs),
    "--out", out,
    "--query-budget-s", String(queryBudgetS),
    ...(opts.databaseUrl ? ["--db-url", opts.databaseUrl] : []),
    ...(opts.buildOnly ? ["--build-only"] : []),
  ];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), stdio: ["ignore", "inherit", "pipe"] });
    children.add(child);
    let stderrTail = "";
    child.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-2000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.capMs);
    child.on("exit", (exitCode, signal) => {
      clearTimeout(timer);
      children.delete(child);
      let result: WorkerResult | null = null;
      if (existsSync(out)) {
        try {
          result = JSON.parse(readFileSync(out, "utf8")) as WorkerResult;
        } catch {
          result = null;
        }
      }
      resolve({ result, exitCode, signal, timedOut, stderrTail, wallMs: performance.now() - started });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Main

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(os.totalmem() / 1e9),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  loadAvgStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  loadAvgEnd: [] as number[],
  postgres: null as string | null,
};

const summaries: EngineSummary[] = [];
const raw: Record<string, unknown> = {};
let loadReport: Awaited<ReturnType<typeof loadMesh>> | null = null;
const mesh = generateMesh({ products, seed });
say(`Canopy search benchmark: ${products} products, seed ${seed}, ${runs} run(s), engines ${engines.join(", ")}`);
say(`queries: ${queryMix(mesh).length} in the mix, ${judgedSet(mesh).length} judged; machine ${machine.cpus} CPU ${machine.cpuModel}, ${machine.memoryGb} GB, load ${machine.loadAvgStart.join(" ")}`);

try {
  let canopyUrl: string | undefined;
  if (engines.includes("canopy-pg") || engines.includes("naive")) {
    const reuse = values["reuse-db"];
    if (reuse) {
      // A database a previous run loaded with the same --products/--seed and kept (--keep-db); dropped at the end.
      admin ??= await createPostgresHandle(adminUrl);
      created.push(reuse);
      canopyUrl = urlFor(reuse);
    } else canopyUrl = await createDatabase(dbName());
    const h = await createPostgresHandle(canopyUrl);
    try {
      const [v] = await h.raw.query<{ server_version: string }>("SHOW server_version");
      machine.postgres = v?.server_version ?? null;
      if (reuse) {
        const [c] = await h.raw.query<{ products: number; ports: number; columns: number; dependencies: number }>(
          `SELECT (SELECT count(*) FROM data_products)::int AS products, (SELECT count(*) FROM output_ports)::int AS ports,
                  (SELECT count(*) FROM schema_fields)::int AS columns, (SELECT count(*) FROM product_dependencies)::int AS dependencies`,
        );
        if (c?.products !== products) throw new Error(`--reuse-db ${reuse} holds ${c?.products} products, not ${products}`);
        loadReport = { ...c, ms: 0 };
        say(`reusing ${reuse}: ${c.products} products, ${c.columns} columns`);
      }
    } finally {
      if (reuse) await h.close();
    }
    if (!reuse) try {
      await migrate(h.raw);
      say(`loading ${products} products into PostgreSQL (${dbName()})…`);
      loadReport = await loadMesh(h.raw, mesh, {
        chunk: 1000,
        onProgress: (done, total) => {
          if (done % 20000 === 0 || done === total) say(`  ${done}/${total}`);
        },
      });
      await h.raw.exec("ANALYZE");
      say(`loaded ${loadReport.products} products, ${loadReport.ports} ports, ${loadReport.columns} columns, ${loadReport.dependencies} dependencies in ${(loadReport.ms / 1000).toFixed(1)} s`);
    } finally {
      await h.close();
    }
  }

  for (const engine of engines) {
    const loadBefore = os.loadavg()[0]!;
    let databaseUrl: string | undefined = canopyUrl;
    let nodeArgs: string[] = [];
    if (engine === "backstage-pg") databaseUrl = await createDatabase(dbName("_backstage"));
    if (engine === "lunr") {
      // Lunr holds every document and its inverted index in the heap: measure a small build, extrapolate,
      // and only run where the estimate fits (with a raised stack: broad queries recurse deeply).
      const probeSize = Math.min(products, 2000);
      const probe = await runWorker("lunr", { products: probeSize, runs: 1, buildOnly: true, capMs: 300_000, nodeArgs: ["--expose-gc"] });
      const probeRss = probe.result?.peakRssMb ?? 0;
      const baseMb = 150;
      const estimateMb = Math.round(baseMb + ((probeRss - baseMb) * products) / probeSize);
      say(`lunr: ${probeSize} products peaked at ${probeRss} MB → estimate ${estimateMb} MB for ${products} (budget ${lunrBudgetMb} MB)`);
      if (estimateMb > lunrBudgetMb) {
        summaries.push({ engine, status: "skipped", runs: 0, note: `estimated ${(estimateMb / 1024).toFixed(1)} GB > budget ${(lunrBudgetMb / 1024).toFixed(1)} GB (probe: ${probeRss} MB at ${probeSize} products)` });
        raw[engine] = { probe: probe.result };
        continue;
      }
      nodeArgs = [`--max-old-space-size=${lunrBudgetMb}`, "--stack-size=7600", "--expose-gc"];
    }
    say(`\n== ${engine} ==`);
    const outcome = await runWorker(engine, { products, runs, databaseUrl, capMs: indexCapMs + queryBudgetS * 1000 * 1.5 + 120_000, nodeArgs });
    const r = outcome.result;
    let status: EngineSummary["status"] = "ok";
    let note: string | undefined;
    const buildMs = r?.build?.buildMs;
    if (!r || r.phase === "starting" || r.phase === "building") {
      status = outcome.timedOut ? "stopped" : "failed";
      note = outcome.timedOut
        ? `index build did not finish within the cap (${Math.round(outcome.wallMs / 1000)} s)`
        : `exited ${outcome.exitCode ?? outcome.signal} while ${r?.phase ?? "starting"}: ${outcome.stderrTail.trim().split("\n").slice(-3).join(" | ")}`;
    } else if (r.phase !== "done") {
      status = "partial";
      note = outcome.timedOut ? `stopped by the time cap while ${r.phase}` : `exited ${outcome.exitCode ?? outcome.signal} while ${r.phase}: ${outcome.stderrTail.trim().split("\n").slice(-2).join(" | ")}`;
    } else if (buildMs !== undefined && buildMs > indexCapMs) {
      note = `index build took longer than the cap (${Math.round(buildMs / 1000)} s)`;
    }
    if (r?.stoppedEarly) note = [note, r.stoppedEarly].filter(Boolean).join("; ");
    const loadAfter = os.loadavg()[0]!;
    note = [note, `load average ${loadBefore.toFixed(1)}→${loadAfter.toFixed(1)}`].filter(Boolean).join("; ");
    summaries.push({ ...(r ? summarize(r) : { engine, runs: 0 }), status, note });
    raw[engine] = r;
    // Free the disk before the next engine.
    if (engine === "backstage-pg" && !values["keep-db"]) await dropDatabase(dbName("_backstage"));
  }
} finally {
  machine.loadAvgEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  await dropDatabases();
}

// ---------------------------------------------------------------------------------------------------------
// Report

const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "—" : x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(digits));
const lat = (l: Latency | null | undefined) => (l ? `${fmt(l.p50)} / ${fmt(l.p95)} / ${fmt(l.p99)}` : "—");
const noise = (l: Latency | null | undefined) => (l ? `${fmt(l.p95Spread.min)}–${fmt(l.p95Spread.median)}–${fmt(l.p95Spread.max)}` : "—");
const bytes = (b: number | null | undefined) => (b === null || b === undefined ? "—" : b >= 1e9 ? `${(b / 1e9).toFixed(2)} GB` : `${Math.round(b / 1e6)} MB`);
const pct = (x: number | undefined) => (x === undefined ? "—" : `${Math.round(x * 100)}%`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

const main = table([
  ["engine", "status", "full search p50/p95/p99 ms", "p95 noise min–med–max", "typeahead p50/p95/p99 ms", "index build", "index size", "peak RSS", "MRR", "nDCG@10", "misspelled top-5", "misspelled (mix) no hit"],
  ...summaries.map((s) => [
    s.engine,
    s.status,
    lat(s.full),
    noise(s.full),
    lat(s.typeahead),
    s.buildMs === undefined ? "—" : `${fmt(s.buildMs / 1000)} s`,
    bytes(s.indexBytes),
    s.peakRssMb ? `${s.peakRssMb} MB` : "—",
    s.relevance ? s.relevance.mrr.toFixed(3) : "—",
    s.relevance ? s.relevance.ndcg10.toFixed(3) : "—",
    pct(s.relevance?.misspelledTop5),
    s.misspelledNoHit ?? "—",
  ]),
]);

const perClass = table([
  ["engine", "single", "multi", "misspelled", "facet", "typeahead"],
  ...summaries.map((s) => [s.engine, ...(["single", "multi", "misspelled", "facet", "prefix"] as const).map((c) => lat(s.perClass?.[c]))]),
]);

const ratioRows: string[][] = [];
for (const base of summaries.filter((s) => s.engine.startsWith("canopy") && s.full)) {
  for (const peer of summaries.filter((s) => !s.engine.startsWith("canopy") && s.full)) {
    const r = (a?: number, b?: number) => (a && b ? `${(b / a).toFixed(1)}×` : "—");
    ratioRows.push([
      `${peer.engine} ÷ ${base.engine}`,
      r(base.full?.p50, peer.full?.p50),
      r(base.full?.p95, peer.full?.p95),
      r(base.typeahead?.p95, peer.typeahead?.p95),
      r(base.buildMs, peer.buildMs),
    ]);
  }
}
const ratios = ratioRows.length ? table([["peer ÷ Canopy (higher = Canopy faster)", "full p50", "full p95", "typeahead p95", "index build"], ...ratioRows]) : "";

say(`\n## Search benchmark — ${products.toLocaleString("en")} products (${loadReport ? `${loadReport.columns.toLocaleString("en")} columns` : "~20 columns each"}), ${runs} run(s)\n`);
say(main);
say(`\nPer query class, p50 / p95 / p99 ms (median over runs):\n`);
say(perClass);
if (ratios) say(`\n${ratios}`);
for (const s of summaries) if (s.note) say(`- ${s.engine}: ${s.note}`);
say(`- machine: ${machine.cpus} CPU (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres ?? "—"}; load average ${machine.loadAvgStart.join(" ")} → ${machine.loadAvgEnd.join(" ")}`);

const outDir = values["out-dir"]!;
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, "-").replace(/-\d{3}Z$/, "Z");
const file = path.join(outDir, `search-${products}-${stamp}.json`);
const compactRaw = Object.fromEntries(
  Object.entries(raw).map(([k, v]) => {
    const r = v as WorkerResult | null;
    if (!r || !("runs" in r)) return [k, v];
    return [k, { ...r, runs: r.runs.map((run) => Object.fromEntries(Object.entries(run).map(([c, xs]) => [c, xs.map((x) => Math.round(x * 100) / 100)]))) }];
  }),
);
writeFileSync(
  file,
  JSON.stringify(
    { products, seed, runs, engines, date: new Date().toISOString(), machine, load: loadReport, summaries, tables: { main, perClass, ratios }, raw: compactRaw },
    null,
    1,
  ),
);
say(`\nwrote ${file}`);
rmSync(tmp, { recursive: true, force: true });
process.exit(0);
