/**
 * Open Policy Agent adapter (Data API v1, external-apis.md §5): `POST /v1/data/<path>` with
 * `{"input": …}`. An undefined decision (no `result` key) is a deny. When OPA is not configured the
 * disabled client refuses to decide rather than allowing anything.
 */
import { UserError } from "@/lib/errors";
import {
  IntegrationError,
  isTransientNetworkError,
  isTransientStatus,
  probe,
  retry,
  withTimeout,
  type HealthStatus,
  type RetryOptions,
} from "@/lib/integrations/http";
import type { OpaClient, OpaDecision } from "@/lib/integrations/opa/types";
import type { Logger } from "@/lib/log";

export type OpaLogger = Pick<Logger, "warn" | "debug">;

export type OpaClientOptions = {
  /** OPA's base URL, e.g. `http://opa:8181` (no `/v1/data`). */
  url: string;
  /** Per attempt. Default 5 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  log?: OpaLogger;
  fetch?: typeof fetch;
  /** Only when OPA runs with `--authentication=token`; sent as a bearer token, never logged. */
  token?: string;
};

export const OPA_PATH_PATTERN = /^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/;

/** Throws a UserError unless `path` is a plain document path like `canopy/publish/allow`. */
export function validateOpaPath(path: string): void {
  if (!OPA_PATH_PATTERN.test(path)) {
    throw new UserError(`"${path}" is not a policy path: use letters, digits and underscores separated by "/", e.g. canopy/publish/allow`, {
      code: "invalid_policy_path",
    });
  }
}

/** Turns OPA's reply into a decision: true, or an object whose `allow` is true, allows; all else denies. */
export function toDecision(body: unknown): OpaDecision {
  const reply = (body && typeof body === "object" ? body : {}) as { result?: unknown; decision_id?: unknown };
  const decisionId = typeof reply.decision_id === "string" ? { decisionId: reply.decision_id } : {};
  if (!("result" in reply)) return { defined: false, allowed: false, result: undefined, ...decisionId };
  const result = reply.result;
  const allowed =
    result === true ||
    (result !== null && typeof result === "object" && !Array.isArray(result) && (result as { allow?: unknown }).allow === true);
  return { defined: true, allowed, result, ...decisionId };
}

function rootMessage(err: unknown): string {
  let msg = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === "string" && m) msg = m;
  }
  return msg;
}

export function createOpaClient(opts: OpaClientOptions): OpaClient {
  const base = opts.url.replace(/\/+$/, "");
  const origin = new URL(base).origin;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const doFetch = opts.fetch ?? fetch;
  const token = opts.token;
  const redact = (s: string) => (token && token.length >= 8 ? s.split(token).join("[redacted]") : s);

  async function call(method: "GET" | "POST", path: string, what: string, body: unknown, attempts?: number): Promise<unknown> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    return retry(
      () =>
        withTimeout("opa", `OPA (${what})`, timeoutMs, async (signal) => {
          let status: number;
          let text: string;
          try {
            const res = await doFetch(`${base}${path}`, {
              method,
              headers,
              body: body === undefined ? undefined : JSON.stringify(body),
              signal,
            });
            status = res.status;
            text = await res.text();
          } catch (err) {
            if (err instanceof IntegrationError) throw err;
            throw new IntegrationError("opa", redact(`OPA at ${origin} could not ${what}: ${rootMessage(err)}`), {
              transient: isTransientNetworkError(err),
              reason: "NetworkError",
              cause: err,
            });
          }
          let parsed: unknown;
          try {
            parsed = text.trim() === "" ? {} : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          if (status < 200 || status >= 300) {
            const e = (parsed ?? {}) as { code?: unknown; message?: unknown };
            const code = typeof e.code === "string" ? e.code : undefined;
            const message = typeof e.message === "string" ? e.message : `HTTP ${status}`;
            const detail = redact(message.length > 500 ? `${message.slice(0, 500)}…` : message);
            const prefix = status === 401 ? "OPA refused Canopy's credentials" : `OPA could not ${what}`;
            throw new IntegrationError("opa", `${prefix} (${status}${code ? ` ${code}` : ""}): ${detail}`, {
              status,
              reason: code ?? (status >= 500 ? "ServerError" : "BadRequest"),
              transient: isTransientStatus(status),
            });
          }
          if (parsed === undefined) {
            throw new IntegrationError("opa", `OPA answered ${what} with a body that is not JSON`, { status, reason: "BadResponse" });
          }
          return parsed;
        }),
      {
        ...opts.retry,
        attempts: attempts ?? opts.retry?.attempts,
        onRetry: (err, attempt, delayMs) => {
          opts.log?.warn(
            {
              system: "opa",
              op: what,
              attempt,
              delayMs,
              status: err instanceof IntegrationError ? err.status : undefined,
              err: redact(err instanceof Error ? err.message : String(err)),
            },
            "OPA call failed; retrying",
          );
          opts.retry?.onRetry?.(err, attempt, delayMs);
        },
      },
    );
  }

  return {
    mode: "connected",
    async evaluate(path, input) {
      validateOpaPath(path);
      const body = await call("POST", `/v1/data/${path}`, `evaluate ${path}`, { input });
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new IntegrationError("opa", `OPA answered evaluate ${path} with something other than a JSON object`, { reason: "BadResponse" });
      }
      const decision = toDecision(body);
      opts.log?.debug({ system: "opa", path, defined: decision.defined, allowed: decision.allowed, decisionId: decision.decisionId }, "OPA decision");
      return decision;
    },
    health(): Promise<HealthStatus> {
      return probe("opa", "connected", async () => {
        await call("GET", "/health", "report its health", undefined, 1);
        return { endpoint: origin };
      });
    },
  };
}

/** OPA not configured: nothing can be decided by policy, so evaluation refuses instead of allowing. */
export function createDisabledOpaClient(): OpaClient {
  return {
    mode: "disabled",
    async evaluate(path) {
      throw new IntegrationError("opa", `OPA is not configured, so policy ${path} cannot be evaluated`, { reason: "NotConnected" });
    },
    async health() {
      return { system: "opa", mode: "disabled", healthy: true, latencyMs: null };
    },
  };
}
