import type { HealthStatus } from "@/lib/integrations/http";

/** An undefined decision (no `result` key) is a deny. */
export type OpaDecision = { defined: boolean; allowed: boolean; result: unknown; decisionId?: string };

export interface OpaClient {
  readonly mode: "connected" | "disabled";
  /** POST /v1/data/<path> with `{input}`; `path` like `canopy/publish/allow`. */
  evaluate(path: string, input: unknown): Promise<OpaDecision>;
  health(): Promise<HealthStatus>;
}
