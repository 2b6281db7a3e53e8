import type { BuildReport, EngineName } from "./engines";
import type { JudgedKind, QueryClass } from "./queries";

/** What one engine process measured (written by worker.ts, read by run.ts). */
export type JudgedOutcome = { id: string; kind: JudgedKind; q: string; expected: string; misspelled: boolean; rank: number | null; top: string[] };
export type WorkerResult = {
  engine: EngineName;
  products: number;
  phase: "starting" | "building" | "querying" | "relevance" | "done";
  build?: BuildReport;
  /** Per run: latencies in ms per query class ("prefix" = typeahead). */
  runs: Record<QueryClass, number[]>[];
  runWallMs: number[];
  /** Misspelled queries of the mix that found nothing (first run). */
  misspelledNoHit?: number;
  misspelledTotal?: number;
  judged?: JudgedOutcome[];
  errors: { query: string; message: string }[];
  errorCount: number;
  peakRssMb: number;
  stoppedEarly?: string;
};
