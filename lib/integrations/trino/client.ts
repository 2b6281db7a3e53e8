/**
 * Trino adapter ("connected" mode) on top of npm `trino-client` 0.2.9 (external-apis.md §1).
 *
 * - Every statement runs as the END USER: a fresh client per statement (no session state is ever
 *   shared, not even between two statements of the same user) and `query({ query, user })`, so the
 *   POST carries `X-Trino-User: <user>`. Without a password the client's default headers carry the
 *   end user too (GET nextUri, cancels). With a password the client authenticates as `serviceUser`
 *   (HTTP Basic) and acts as the end user: Trino must allow that impersonation.
 * - Statements are built only from validated identifiers and integer limits (identifiers.ts).
 * - trino-client never throws on query errors and never retries or times out: every page is checked
 *   for `error` / `stats.state === "FAILED"`, 429/502/503/504 and connection resets are retried
 *   (whole statement; they are all read-only), and each call has a deadline (default 30 s). On
 *   time-out or abort the running query is cancelled on the server (`DELETE <nextUri>`, falling back
 *   to `DELETE /v1/query/{id}`).
 * - trino-client hides the POST reply (and so the query id) inside its iterator; `peek()` reads it
 *   from the iterator's internals (stable in 0.2.x), so a query can be cancelled before its first
 *   page of data arrives. Without it, cancellation would only work once data pages had been seen.
 */

import { BasicAuth, Trino, type Iterator as TrinoIterator, type QueryError, type QueryResult } from "trino-client";
import { UserError } from "@/lib/errors";
import { IntegrationError, isTransientNetworkError, probe, retry, withTimeout, type HealthStatus, type RetryOptions } from "@/lib/integrations/http";
import {
  qualifiedName,
  quoteIdent,
  snapshotsTableName,
  sqlLimit,
  validateIdentifier,
  validateTableRef,
  validateTrinoUser,
} from "@/lib/integrations/trino/identifiers";
import type { PreviewResult, QueryOptions, Snapshot, TableRef, TrinoColumn, TrinoQueryEngine } from "@/lib/integrations/trino/types";
import type { Logger } from "@/lib/log";

export type TrinoLogger = Pick<Logger, "debug" | "warn">;

export type TrinoQueryEngineOptions = {
  /** Coordinator base URL, e.g. `https://trino.example.com:8443`. */
  server: string;
  /** `X-Trino-Source` (default "canopy"). */
  source?: string;
  /** Trino user for health checks; with `password`, the principal Canopy authenticates as (default "canopy"). */
  serviceUser?: string;
  /** Password of `serviceUser` (Trino password authentication, HTTPS only). Never logged. */
  password?: string;
  /** Extra headers on every request, e.g. `Authorization: Bearer …` for JWT. `X-Trino-User` is ignored. */
  extraHeaders?: Record<string, string>;
  /** Deadline per call, retries included (default 30 000 ms). */
  timeoutMs?: number;
  /** Upper bound for preview/snapshot row limits (default 1000). */
  maxRows?: number;
  retry?: RetryOptions;
  log?: TrinoLogger;
};

/** HTTP statuses Trino (or a proxy in front of it) uses for "try again". */
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);
/** Trino error names worth retrying (server-side conditions, not the statement). */
const TRANSIENT_ERROR_NAMES = new Set(["SERVER_STARTING_UP", "SERVER_SHUTTING_DOWN", "NO_NODES_AVAILABLE"]);
const NOT_FOUND_ERROR_NAMES = new Set(["NOT_FOUND", "CATALOG_NOT_FOUND", "SCHEMA_NOT_FOUND", "TABLE_NOT_FOUND", "COLUMN_NOT_FOUND"]);
/** Rows a listing (SHOW …, DESCRIBE) may return before the adapter stops reading. */
const LISTING_ROW_CAP = 10_000;
/** How long a failed call waits for its cancellation requests before giving up on them. */
const CANCEL_WAIT_MS = 5_000;
const DEFAULT_SNAPSHOTS = 50;

type Columns = { name: string; type: string }[];
type Outcome = { columns: Columns; rows: unknown[][]; queryId: string | null; complete: boolean };

/** A query started on the server that may still be running. */
type Live = { id?: string; nextUri?: string; iterator?: unknown; done: boolean; cancel(): Promise<void> };
type Tracker = { live: Set<Live>; pending: Promise<unknown>[] };

/** Reads the current QueryResult (id, nextUri) from trino-client's iterator, whose POST reply is never yielded. */
export function peek(iterator: unknown): { id?: string; nextUri?: string } {
  const inner = (iterator as { iter?: { queryResult?: { id?: unknown; nextUri?: unknown } } } | undefined)?.iter?.queryResult;
  return {
    id: typeof inner?.id === "string" ? inner.id : undefined,
    nextUri: typeof inner?.nextUri === "string" ? inner.nextUri : undefined,
  };
}

function bodyMessage(data: unknown): string | undefined {
  let text: string | undefined;
  if (typeof data === "string") text = data;
  else if (data && typeof data === "object") {
    const m = (data as { message?: unknown; error?: unknown }).message ?? (data as { error?: unknown }).error;
    if (typeof m === "string") text = m;
  }
  text = text?.replace(/\s+/g, " ").trim();
  if (!text) return undefined;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Turns whatever trino-client / axios threw into an IntegrationError without carrying request config (credentials) along. */
export function toIntegrationError(err: unknown, what: string): IntegrationError | UserError {
  if (err instanceof IntegrationError || err instanceof UserError) return err;
  const e = err as { response?: { status?: unknown; data?: unknown }; code?: unknown; message?: unknown } | undefined;
  const message = typeof e?.message === "string" ? e.message : String(err);
  const code = typeof e?.code === "string" ? e.code : undefined;
  const cause = Object.assign(new Error(message), code ? { code } : {});
  const status = typeof e?.response?.status === "number" ? e.response.status : undefined;
  if (status !== undefined) {
    const detail = bodyMessage(e?.response?.data);
    const reason = status === 401 ? "Unauthorized" : status === 403 ? "Forbidden" : status === 429 ? "TooManyRequests" : `HTTP_${status}`;
    return new IntegrationError("trino", `Trino answered HTTP ${status} to ${what}${detail ? `: ${detail}` : ""}`, {
      status,
      transient: TRANSIENT_STATUSES.has(status),
      reason,
      cause,
    });
  }
  const transient = isTransientNetworkError(err);
  return new IntegrationError("trino", `Trino could not be reached for ${what}: ${code ? `${code} ` : ""}${message}`.trim(), {
    transient,
    reason: code ?? (transient ? "NetworkError" : "RequestFailed"),
    cause,
  });
}

/** Errors Trino reported as the statement's or the user's fault (logged at debug level only). */
const userQueryErrors = new WeakSet<Error>();

/** A failed query page (HTTP 200 with `error`) as an IntegrationError. */
export function queryError(error: QueryError | undefined, queryId: string | undefined): IntegrationError {
  const message = typeof error?.message === "string" && error.message ? error.message : "the query failed without an error message";
  const name = typeof error?.errorName === "string" && error.errorName ? error.errorName : "QUERY_FAILED";
  const denied = name === "PERMISSION_DENIED" || /^Access Denied\b/i.test(message);
  const reason = denied ? "PERMISSION_DENIED" : name;
  const err = new IntegrationError("trino", `Trino query failed: ${message}`, {
    reason,
    status: denied ? 403 : NOT_FOUND_ERROR_NAMES.has(reason) ? 404 : undefined,
    transient: error?.errorType !== "USER_ERROR" && TRANSIENT_ERROR_NAMES.has(reason),
    cause: queryId ? new Error(`Trino query ${queryId}`) : undefined,
  });
  if (denied || error?.errorType === "USER_ERROR") userQueryErrors.add(err);
  return err;
}

function abortedError(): IntegrationError {
  return new IntegrationError("trino", "The Trino query was cancelled", { reason: "Aborted", transient: false });
}

/** Resolves/rejects with `p`, or rejects as soon as `signal` aborts (p's later outcome is swallowed). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(abortedError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError());
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** `2025-03-04 17:00:00.500 UTC` → `2025-03-04T17:00:00.500Z`; other renderings are returned unchanged. */
export function trinoTimestampToIso(value: unknown): string {
  if (typeof value !== "string") return value === null || value === undefined ? "" : String(value);
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))? ?(UTC|Z|[+-]\d{2}:\d{2})$/.exec(value);
  if (!m) return value;
  const ms = (m[3] ?? "").slice(0, 3).padEnd(3, "0");
  const d = new Date(`${m[1]}T${m[2]}.${ms}${m[4] === "UTC" ? "Z" : m[4]}`);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

function textOrNull(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function createTrinoQueryEngine(opts: TrinoQueryEngineOptions): TrinoQueryEngine {
  let serverUrl: URL;
  try {
    serverUrl = new URL(opts.server);
  } catch {
    throw new Error("Trino server must be an absolute http(s) URL");
  }
  if (serverUrl.protocol !== "http:" && serverUrl.protocol !== "https:") throw new Error("Trino server must be an http(s) URL");
  if (serverUrl.username || serverUrl.password) throw new Error("Put Trino credentials in the password option, not in the server URL");
  const server = serverUrl.toString().replace(/\/+$/, "");
  const origin = serverUrl.origin;
  const source = opts.source ?? "canopy";
  const serviceUser = validateTrinoUser(opts.serviceUser ?? "canopy");
  const password = opts.password;
  const defaultTimeout = opts.timeoutMs ?? 30_000;
  const maxRows = opts.maxRows ?? 1000;
  const log = opts.log;
  const extraHeaders = Object.fromEntries(Object.entries(opts.extraHeaders ?? {}).filter(([k]) => k.toLowerCase() !== "x-trino-user"));

  function clientFor(user: string): Trino {
    if (password !== undefined) return Trino.create({ server, source, auth: new BasicAuth(serviceUser, password), extraHeaders });
    return Trino.create({ server, source, extraHeaders: { ...extraHeaders, "X-Trino-User": user } });
  }

  /** Headers for requests made outside trino-client (cancellation), matching what it sends. */
  function directHeaders(user: string): Record<string, string> {
    const h: Record<string, string> = { ...extraHeaders, "X-Trino-User": user, "X-Trino-Source": source };
    if (password !== undefined) h.Authorization = `Basic ${Buffer.from(`${serviceUser}:${password}`).toString("base64")}`;
    return h;
  }

  async function cancelOnServer(trino: Trino, user: string, live: Live): Promise<void> {
    const current = { ...live, ...peek(live.iterator) };
    const id = current.id ?? live.id;
    const nextUri = current.nextUri ?? live.nextUri;
    if (nextUri) {
      try {
        // Only to our own coordinator: never send credentials to a host the reply named.
        if (new URL(nextUri).origin === origin) {
          const res = await fetch(nextUri, { method: "DELETE", headers: directHeaders(user), signal: AbortSignal.timeout(CANCEL_WAIT_MS) });
          await res.body?.cancel().catch(() => undefined);
          if (res.ok || res.status === 404 || res.status === 410) {
            log?.debug({ queryId: id, user }, "trino query cancelled");
            return;
          }
        }
      } catch (err) {
        log?.debug({ queryId: id, err: err instanceof Error ? err.message : String(err) }, "trino: DELETE nextUri failed, trying /v1/query");
      }
    }
    if (!id) return;
    try {
      await withTimeout("trino", "Trino cancel", CANCEL_WAIT_MS, () => trino.cancel(id));
      log?.debug({ queryId: id, user }, "trino query cancelled");
    } catch (err) {
      log?.warn({ queryId: id, err: toIntegrationError(err, "cancel").message }, "trino: could not cancel query");
    }
  }

  /** A handle on a started query; `cancel()` sends at most one cancellation. Tracked ones are cancelled when the call fails. */
  function liveQuery(tracker: Tracker, trino: Trino, user: string, tracked: boolean): Live {
    let cancelling: Promise<void> | undefined;
    const live: Live = {
      done: false,
      cancel: () => {
        if (live.done) return Promise.resolve();
        live.done = true;
        tracker.live.delete(live);
        cancelling ??= cancelOnServer(trino, user, live);
        return cancelling;
      },
    };
    if (tracked) tracker.live.add(live);
    return live;
  }

  function finish(tracker: Tracker, live: Live) {
    live.done = true;
    tracker.live.delete(live);
  }

  async function attempt(user: string, sql: string, what: string, signal: AbortSignal, tracker: Tracker, rowCap: number): Promise<Outcome> {
    if (signal.aborted) throw abortedError();
    const trino = clientFor(user);
    const posted = trino.query({ query: sql, user });
    let iterator: TrinoIterator<QueryResult>;
    try {
      iterator = await raceAbort(posted, signal);
    } catch (err) {
      if (signal.aborted) {
        // The POST may still be answered: cancel whatever query it started.
        const late = liveQuery(tracker, trino, user, false);
        tracker.pending.push(
          posted.then(
            (it) => {
              late.iterator = it;
              return late.cancel();
            },
            () => finish(tracker, late),
          ),
        );
      }
      throw toIntegrationError(err, what);
    }
    const live = liveQuery(tracker, trino, user, true);
    live.iterator = iterator;
    Object.assign(live, peek(iterator));
    let columns: Columns | undefined;
    const rows: unknown[][] = [];
    let queryId: string | null = live.id ?? null;
    try {
      for (;;) {
        const step = await raceAbort(iterator.next(), signal);
        const page = step.value as QueryResult | undefined;
        if (step.done || !page) break;
        queryId = page.id ?? queryId;
        live.id = page.id ?? live.id;
        live.nextUri = page.nextUri;
        if (page.error || page.stats?.state === "FAILED") {
          finish(tracker, live);
          throw queryError(page.error, page.id);
        }
        if (!columns && Array.isArray(page.columns)) columns = page.columns.map((c) => ({ name: String(c.name), type: String(c.type) }));
        for (const row of page.data ?? []) rows.push(row as unknown[]);
        if (!page.nextUri) {
          finish(tracker, live);
          return { columns: columns ?? [], rows, queryId, complete: true };
        }
        if (rows.length > rowCap) {
          // More rows than asked for (the statement's LIMIT makes this a safety net): stop reading
          // and release the query on the server.
          await settleWithin([live.cancel()], CANCEL_WAIT_MS);
          return { columns: columns ?? [], rows: rows.slice(0, rowCap), queryId, complete: false };
        }
      }
      finish(tracker, live);
      return { columns: columns ?? [], rows, queryId, complete: true };
    } catch (err) {
      if (!live.done) tracker.pending.push(live.cancel());
      throw toIntegrationError(err, what);
    }
  }

  async function run(user: string, sql: string, what: string, q: { timeoutMs?: number; signal?: AbortSignal; rowCap?: number } = {}): Promise<Outcome> {
    const ms = q.timeoutMs ?? defaultTimeout;
    if (!Number.isFinite(ms) || ms <= 0) throw new UserError("The Trino time-out must be a positive number of milliseconds.", { code: "invalid_timeout" });
    if (q.signal?.aborted) throw abortedError();
    const tracker: Tracker = { live: new Set(), pending: [] };
    const started = performance.now();
    const rowCap = q.rowCap ?? LISTING_ROW_CAP;
    try {
      const outcome = await withTimeout(
        "trino",
        `Trino (${what})`,
        ms,
        (signal) =>
          retry(() => attempt(user, sql, what, signal, tracker, rowCap), {
            attempts: 3,
            baseDelayMs: 100,
            maxDelayMs: 2_000,
            ...opts.retry,
            signal,
            onRetry: (err, n, delayMs) => {
              log?.warn({ user, what, attempt: n, delayMs, err: err instanceof Error ? err.message : String(err) }, "trino: retrying");
              opts.retry?.onRetry?.(err, n, delayMs);
            },
          }),
        q.signal,
      );
      if (!outcome.complete && rowCap === LISTING_ROW_CAP) log?.warn({ user, what, rows: outcome.rows.length }, "trino: listing truncated");
      log?.debug({ user, what, queryId: outcome.queryId, rows: outcome.rows.length, ms: Math.round(performance.now() - started) }, "trino query done");
      return outcome;
    } catch (err) {
      // Time-out or abort: cancel what is still running on the server, and wait (briefly) for it.
      await settleWithin([...[...tracker.live].map((l) => l.cancel()), ...tracker.pending], CANCEL_WAIT_MS);
      const e = toIntegrationError(err, what);
      const fields = { user, what, reason: e instanceof IntegrationError ? e.reason : e.code, status: e.status, ms: Math.round(performance.now() - started), err: e.message };
      if (userQueryErrors.has(e)) log?.debug(fields, "trino query failed");
      else log?.warn(fields, "trino query failed");
      throw e;
    }
  }

  const column = (columns: Columns, name: string, fallback: number) => {
    const i = columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    return i >= 0 ? i : fallback;
  };

  return {
    mode: "connected",

    async listCatalogs(user) {
      validateTrinoUser(user);
      const r = await run(user, "SHOW CATALOGS", "list catalogs");
      return r.rows.map((row) => String(row[0]));
    },

    async listSchemas(user, catalog) {
      validateTrinoUser(user);
      const sql = `SHOW SCHEMAS FROM ${quoteIdent(validateIdentifier(catalog, "catalog"))}`;
      const r = await run(user, sql, "list schemas");
      return r.rows.map((row) => String(row[0]));
    },

    async listTables(user, catalog, schema) {
      validateTrinoUser(user);
      const sql = `SHOW TABLES FROM ${quoteIdent(validateIdentifier(catalog, "catalog"))}.${quoteIdent(validateIdentifier(schema, "schema"))}`;
      const r = await run(user, sql, "list tables");
      return r.rows.map((row) => String(row[0]));
    },

    async describeTable(user, table: TableRef): Promise<TrinoColumn[]> {
      validateTrinoUser(user);
      const sql = `DESCRIBE ${qualifiedName(table)}`;
      const r = await run(user, sql, "describe table");
      const [iName, iType, iComment] = [column(r.columns, "Column", 0), column(r.columns, "Type", 1), column(r.columns, "Comment", 3)];
      // DESCRIBE does not say whether a column is nullable: assume it is.
      return r.rows.map((row, i) => ({
        name: String(row[iName]),
        type: String(row[iType]),
        nullable: true,
        comment: textOrNull(row[iComment]) ?? "",
        position: i + 1,
      }));
    },

    async previewRows(user, table: TableRef, o: QueryOptions = {}): Promise<PreviewResult> {
      validateTrinoUser(user);
      const n = sqlLimit(o.limit, maxRows);
      const sql = `SELECT * FROM ${qualifiedName(table)} LIMIT ${n + 1}`;
      const r = await run(user, sql, "preview rows", { timeoutMs: o.timeoutMs, signal: o.signal, rowCap: n + 1 });
      return { columns: r.columns, rows: r.rows.slice(0, n), truncated: r.rows.length > n, queryId: r.queryId };
    },

    async snapshots(user, table: TableRef, o: QueryOptions = {}): Promise<Snapshot[]> {
      validateTrinoUser(user);
      validateTableRef(table);
      const n = sqlLimit(o.limit, maxRows, DEFAULT_SNAPSHOTS);
      // Snapshot ids are 64-bit: as JSON numbers they would lose precision in JavaScript, so they travel as text.
      const sql =
        `SELECT CAST(snapshot_id AS varchar) AS snapshot_id, committed_at, operation, CAST(parent_id AS varchar) AS parent_id, summary ` +
        `FROM ${snapshotsTableName(table)} ORDER BY committed_at DESC LIMIT ${n}`;
      const r = await run(user, sql, "list snapshots", { timeoutMs: o.timeoutMs, signal: o.signal, rowCap: n });
      const at = (name: string, fallback: number) => column(r.columns, name, fallback);
      const [iId, iAt, iOp, iParent, iSummary] = [at("snapshot_id", 0), at("committed_at", 1), at("operation", 2), at("parent_id", 3), at("summary", 4)];
      return r.rows.map((row) => {
        const summary = row[iSummary];
        return {
          snapshotId: textOrNull(row[iId]) ?? "",
          committedAt: trinoTimestampToIso(row[iAt]),
          operation: textOrNull(row[iOp]) ?? "",
          parentId: textOrNull(row[iParent]),
          summary:
            summary && typeof summary === "object" && !Array.isArray(summary)
              ? Object.fromEntries(Object.entries(summary as Record<string, unknown>).map(([k, v]) => [k, textOrNull(v) ?? ""]))
              : {},
        };
      });
    },

    health(): Promise<HealthStatus> {
      return probe("trino", "connected", async () => {
        const details: Record<string, string> = { endpoint: serverUrl.host, serviceUser };
        const res = await fetch(`${origin}/v1/info`, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(Math.min(defaultTimeout, 10_000)) });
        if (!res.ok) {
          await res.body?.cancel().catch(() => undefined);
          throw new IntegrationError("trino", `Trino answered HTTP ${res.status} to GET /v1/info`, { status: res.status, transient: TRANSIENT_STATUSES.has(res.status) });
        }
        const info = (await res.json().catch(() => ({}))) as { nodeVersion?: { version?: unknown }; starting?: unknown; environment?: unknown };
        if (typeof info.nodeVersion?.version === "string") details.version = info.nodeVersion.version;
        if (typeof info.environment === "string") details.environment = info.environment;
        if (info.starting === true) throw new IntegrationError("trino", "Trino is still starting", { transient: true, reason: "SERVER_STARTING_UP" });
        await run(serviceUser, "SELECT 1", "health check", { timeoutMs: Math.min(defaultTimeout, 10_000) });
        return details;
      });
    },
  };
}
