import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createEngine, ENGINE_NAMES, type EngineName, type Hits } from "./engines";
import { generateMesh } from "./generate";
import { judgedSet, queryMix, type BenchQuery, type QueryClass } from "./queries";
import type { WorkerResult } from "./worker-types";

/**
 * One engine, one process: builds its index over the generated mesh, runs the query mix `runs` times
 * and the judged set once, and writes what it measured to --out (rewritten after every phase, so a
 * run stopped by the time cap still leaves its partial results).
 */

const { values } = parseArgs({
  options: {
    engine: { type: "string" },
    products: { type: "string", default: "20000" },
    seed: { type: "string", default: "42" },
    runs: { type: "string", default: "3" },
    out: { type: "string" },
    "db-url": { type: "string" },
    "query-budget-s": { type: "string", default: "900" },
    "build-only": { type: "boolean", default: false },
  },
});

const engineName = values.engine as EngineName;
if (!ENGINE_NAMES.includes(engineName)) throw new Error(`unknown engine ${values.engine}`);
if (!values.out) throw new Error("--out is required");
const out = values.out;
const products = Number(values.products);
const seed = Number(values.seed);
const runs = Math.max(1, Number(values.runs));
const budgetMs = Number(values["query-budget-s"]) * 1000;

const result: WorkerResult = { engine: engineName, products, phase: "starting", runs: [], runWallMs: [], errors: [], errorCount: 0, peakRssMb: 0 };
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
const save = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  result.peakRssMb = Math.round(peakRss / 1e6);
  writeFileSync(out, JSON.stringify(result));
};
const log = (msg: string) => process.stderr.write(`[${engineName} ${products}] ${msg}\n`);

const mesh = generateMesh({ products, seed });
const mix = queryMix(mesh);
const judged = judgedSet(mesh);
const engine = createEngine(engineName, { databaseUrl: values["db-url"], seed });

async function run(q: BenchQuery): Promise<{ ms: number; hits: Hits | null }> {
  const started = performance.now();
  try {
    const hits = q.cls === "prefix" ? await engine.typeahead(q.q) : await engine.search(q);
    return { ms: performance.now() - started, hits };
  } catch (err) {
    result.errorCount++;
    if (result.errors.length < 10) result.errors.push({ query: q.q, message: err instanceof Error ? err.message.slice(0, 300) : String(err) });
    return { ms: performance.now() - started, hits: null };
  }
}

try {
  result.phase = "building";
  save();
  result.build = await engine.build(mesh, log);
  log(`index built in ${(result.build.buildMs / 1000).toFixed(1)} s`);
  if (values["build-only"]) {
    result.phase = "done";
    save();
    process.exit(0);
  }
  result.phase = "querying";
  save();

  // Warm-up: a few queries of each class, not measured.
  for (const cls of ["single", "multi", "prefix", "misspelled", "facet"] as const) {
    for (const q of mix.filter((x) => x.cls === cls).slice(0, 3)) await run(q);
  }
  result.errors = [];
  result.errorCount = 0;

  // Classes interleaved, so a pass cut short by the budget still samples every class.
  const byCls = new Map<QueryClass, BenchQuery[]>();
  for (const q of mix) byCls.set(q.cls, [...(byCls.get(q.cls) ?? []), q]);
  const order: BenchQuery[] = [];
  for (let k = 0; order.length < mix.length; k++) {
    for (const list of byCls.values()) {
      const q = list[k];
      if (q) order.push(q);
    }
  }
  const queryStarted = performance.now();
  for (let r = 0; r < runs; r++) {
    const byClass: Record<QueryClass, number[]> = { single: [], multi: [], prefix: [], misspelled: [], facet: [] };
    const wall = performance.now();
    let noHit = 0;
    let misspelledRun = 0;
    for (const q of order) {
      if (performance.now() - queryStarted > budgetMs) {
        result.stoppedEarly = `query budget of ${budgetMs / 1000} s used: pass ${r + 1} cut after ${Object.values(byClass).flat().length} of ${mix.length} queries`;
        break;
      }
      const { ms, hits } = await run(q);
      if (hits) byClass[q.cls].push(ms);
      if (q.cls === "misspelled") misspelledRun++;
      if (q.cls === "misspelled" && (!hits || hits.slugs.length === 0)) noHit++;
    }
    result.runs.push(byClass);
    result.runWallMs.push(performance.now() - wall);
    if (r === 0) {
      result.misspelledNoHit = noHit;
      result.misspelledTotal = misspelledRun;
    }
    log(`run ${r + 1}/${runs} in ${((performance.now() - wall) / 1000).toFixed(1)} s`);
    save();
    if (result.stoppedEarly) break;
    if (r < runs - 1 && performance.now() - queryStarted > budgetMs) {
      result.stoppedEarly = `stopped after ${r + 1} run(s): query budget of ${budgetMs / 1000} s used`;
      log(result.stoppedEarly);
      break;
    }
  }

  result.phase = "relevance";
  save();
  result.judged = [];
  const judgedStarted = performance.now();
  for (const j of judged) {
    if (performance.now() - judgedStarted > budgetMs) {
      result.stoppedEarly = [result.stoppedEarly, `relevance cut after ${result.judged.length} of ${judged.length} judged queries`].filter(Boolean).join("; ");
      break;
    }
    const { hits } = await run({ id: j.id, cls: "single", q: j.q });
    const top = (hits?.slugs ?? []).slice(0, 10);
    const at = top.indexOf(j.expected);
    result.judged.push({ ...j, rank: at >= 0 ? at + 1 : null, top: top.slice(0, 3) });
  }
  result.phase = "done";
  save();
} finally {
  clearInterval(sampler);
  save();
  await engine.close().catch(() => undefined);
}
process.exit(0);
