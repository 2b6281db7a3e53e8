import type { QueryClass } from "./queries";
import type { WorkerResult } from "./worker-types";

/** Percentile by linear interpolation between closest ranks (p in 0..100). */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

export type Spread = { min: number; median: number; max: number };
export type Latency = { p50: number; p95: number; p99: number; n: number; p95Spread: Spread };

const spread = (xs: number[]): Spread => ({ min: Math.min(...xs), median: median(xs)!, max: Math.max(...xs) });

/** Per run percentiles, then the median over runs; the spread of p95 over runs is the machine noise. */
export function latency(runs: number[][]): Latency | null {
  const usable = runs.filter((r) => r.length);
  if (!usable.length) return null;
  const per = usable.map((r) => ({ p50: percentile(r, 50)!, p95: percentile(r, 95)!, p99: percentile(r, 99)! }));
  return {
    p50: median(per.map((x) => x.p50))!,
    p95: median(per.map((x) => x.p95))!,
    p99: median(per.map((x) => x.p99))!,
    n: usable[0]!.length,
    p95Spread: spread(per.map((x) => x.p95)),
  };
}

export const FULL_SEARCH_CLASSES: QueryClass[] = ["single", "multi", "misspelled", "facet"];

export type Relevance = { queries: number; mrr: number; ndcg10: number; top1: number; misspelledTop5: number; misspelledQueries: number };

export function relevance(judged: NonNullable<WorkerResult["judged"]>): Relevance {
  const n = judged.length || 1;
  const rr = judged.map((j) => (j.rank ? 1 / j.rank : 0));
  const dcg = judged.map((j) => (j.rank ? 1 / Math.log2(j.rank + 1) : 0));
  const mis = judged.filter((j) => j.misspelled);
  return {
    queries: judged.length,
    mrr: rr.reduce((a, b) => a + b, 0) / n,
    ndcg10: dcg.reduce((a, b) => a + b, 0) / n,
    top1: judged.filter((j) => j.rank === 1).length / n,
    misspelledTop5: mis.length ? mis.filter((j) => j.rank !== null && j.rank <= 5).length / mis.length : 0,
    misspelledQueries: mis.length,
  };
}

export type EngineSummary = {
  engine: string;
  status: "ok" | "partial" | "stopped" | "failed" | "skipped";
  note?: string;
  buildMs?: number;
  loadMs?: number;
  indexBytes?: number | null;
  peakRssMb?: number;
  runs: number;
  full?: Latency | null;
  typeahead?: Latency | null;
  perClass?: Partial<Record<QueryClass, Latency | null>>;
  relevance?: Relevance;
  misspelledNoHit?: string;
  errors?: number;
};

export function summarize(r: WorkerResult): Omit<EngineSummary, "status" | "note"> {
  const full = latency(r.runs.map((run) => FULL_SEARCH_CLASSES.flatMap((c) => run[c])));
  const perClass: EngineSummary["perClass"] = {};
  for (const c of ["single", "multi", "prefix", "misspelled", "facet"] as const) perClass[c] = latency(r.runs.map((run) => run[c]));
  return {
    engine: r.engine,
    buildMs: r.build?.buildMs,
    loadMs: r.build?.loadMs,
    indexBytes: r.build?.sizeBytes,
    peakRssMb: r.peakRssMb,
    runs: r.runs.length,
    full,
    typeahead: perClass.prefix,
    perClass,
    relevance: r.judged ? relevance(r.judged) : undefined,
    misspelledNoHit: r.misspelledTotal !== undefined ? `${r.misspelledNoHit} of ${r.misspelledTotal}` : undefined,
    errors: r.errorCount,
  };
}
