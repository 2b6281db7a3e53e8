/**
 * Shared plumbing for the integration adapters: a typed error, time-outs, and retries with
 * exponential backoff for transient failures (5xx, 429, connection resets and time-outs).
 */

import { brandError, hasErrorKind } from "@/lib/errors";

export type IntegrationSystem = "trino" | "kubernetes" | "fybrik" | "openmetadata" | "opa";

export class IntegrationError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || hasErrorKind(value, "IntegrationError");
  }
  readonly system: IntegrationSystem;
  /** HTTP status from the system, when there was one. */
  readonly status?: number;
  /** Worth retrying: the same call may succeed later. */
  readonly transient: boolean;
  /** Machine-readable reason from the system (Kubernetes `reason`, Trino `errorName`, …). */
  readonly reason?: string;
  constructor(
    system: IntegrationSystem,
    message: string,
    opts: { status?: number; transient?: boolean; reason?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "IntegrationError";
    this.system = system;
    this.status = opts.status;
    this.transient = opts.transient ?? false;
    this.reason = opts.reason;
    brandError(this, ["IntegrationError"]);
  }
}

const TRANSIENT_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "UND_ERR_SOCKET", "ECONNABORTED", "ERR_SOCKET_CONNECTION_TIMEOUT"]);

export function isTransientStatus(status: number | undefined): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || (status !== undefined && status >= 500 && status !== 501);
}

/** True for network-level failures that a retry may cure. */
export function isTransientNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
    const msg = (e as { message?: unknown }).message;
    if (typeof msg === "string" && /socket hang up|ECONNRESET|network socket disconnected|fetch failed|other side closed|timed? ?out/i.test(msg)) return true;
  }
  return false;
}

export type RetryOptions = {
  /** Attempts in total, the first included. */
  attempts?: number;
  /** Delay before the second attempt; doubles each time, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  isTransient?: (err: unknown) => boolean;
  /** Called before each retry (for logs). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
  /** Injected in tests. */
  sleep?: (ms: number) => Promise<void>;
};

export const defaultIsTransient = (err: unknown) =>
  err instanceof IntegrationError ? err.transient : isTransientNetworkError(err);

export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 200;
  const max = opts.maxDelayMs ?? 5_000;
  const isTransient = opts.isTransient ?? defaultIsTransient;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !isTransient(err) || opts.signal?.aborted) throw err;
      const delay = backoffDelay(attempt, base, max);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay);
    }
  }
}

/** Rejects with a transient IntegrationError when `promise` takes longer than `ms`; aborts `controller` then. */
export async function withTimeout<T>(
  system: IntegrationSystem,
  what: string,
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(new Error("timeout"));
      reject(new IntegrationError(system, `${what} did not answer within ${ms} ms`, { transient: true, reason: "Timeout" }));
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onAbort);
  }
}

export type HealthStatus = {
  system: IntegrationSystem;
  /** "connected" when configured against the real system, "embedded" for the stand-in. */
  mode: "connected" | "embedded" | "disabled";
  healthy: boolean;
  latencyMs: number | null;
  error?: string;
  /** Non-secret facts worth showing (server version, endpoint host). */
  details?: Record<string, string>;
};

/** Runs a health probe, timing it and turning failures into a status instead of an exception. */
export async function probe(
  system: IntegrationSystem,
  mode: HealthStatus["mode"],
  check: () => Promise<Record<string, string> | void>,
): Promise<HealthStatus> {
  const started = performance.now();
  try {
    const details = (await check()) ?? undefined;
    return { system, mode, healthy: true, latencyMs: Math.round(performance.now() - started), details };
  } catch (err) {
    return {
      system,
      mode,
      healthy: false,
      latencyMs: Math.round(performance.now() - started),
      error: err instanceof Error ? err.message : String(err),
    };
  }
}
