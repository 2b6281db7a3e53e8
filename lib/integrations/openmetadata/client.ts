/**
 * OpenMetadata adapters: the real one speaks REST API v1 (docs: external-apis.md §2) with a bot
 * JWT; the embedded one stands in when no OpenMetadata is configured (lineage then lives in the
 * catalogue only) and never touches the network.
 */
import { createHash } from "node:crypto";
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
import type {
  OmColumn,
  OmEntityRef,
  OmLineage,
  OmLineageEdge,
  OmTableInput,
  OpenMetadataClient,
} from "@/lib/integrations/openmetadata/types";
import type { Logger } from "@/lib/log";

/** The two log calls the adapter makes; a pino logger fits. */
export type OmLogger = Pick<Logger, "warn" | "debug">;

export type OpenMetadataClientOptions = {
  /** Base URL including `/api`, e.g. `http://openmetadata:8585/api` (a bare host gets `/api`; a trailing `/v1` is dropped). */
  baseUrl: string;
  /** Bot JWT, sent as `Authorization: Bearer …`; never logged nor put into error messages. */
  token: string;
  /** Per attempt, body included. Default 10 s. */
  timeoutMs?: number;
  /** `limit` for list calls. Default 100. */
  pageSize?: number;
  retry?: RetryOptions;
  log?: OmLogger;
  fetch?: typeof fetch;
  /**
   * How create requests name the domain: `domains` (array, OpenMetadata 1.6+, default) or `domain`
   * (one FQN, older 1.x). Left unset, the adapter starts with `domains` and switches to `domain` for
   * good if the server refuses the body as unprocessable JSON (what Jackson answers to an unknown
   * field). Set it to pin one.
   */
  domainField?: "domains" | "domain";
};

// ---------------------------------------------------------------------------------------------
// Fully qualified names
// ---------------------------------------------------------------------------------------------

/**
 * Quotes one FQN part the way OpenMetadata does (FullyQualifiedName.quoteName): a part containing
 * a dot is wrapped in double quotes; an already quoted part stays quoted only if it needs to be.
 */
export function quoteFqnPart(part: string): string {
  if (part === "") throw new UserError("An OpenMetadata name part may not be empty");
  const quoted = /^"([^"]+)"$/.exec(part);
  if (quoted) return quoted[1]!.includes(".") ? part : quoted[1]!;
  if (part.includes('"')) throw new UserError(`OpenMetadata name part ${JSON.stringify(part)} may not contain a double quote`);
  return part.includes(".") ? `"${part}"` : part;
}

/** Builds an FQN from raw name parts: `fqn("svc", "db", "demo", "file.csv")` → `svc.db.demo."file.csv"`. */
export function fqn(...parts: string[]): string {
  if (parts.length === 0) throw new UserError("An OpenMetadata FQN needs at least one part");
  return parts.map(quoteFqnPart).join(".");
}

/** Splits an FQN into its unquoted parts: `svc.db.demo."file.csv"` → `["svc","db","demo","file.csv"]`. */
export function splitFqn(name: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inQuotes = false;
  for (const ch of name) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === "." && !inQuotes) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (inQuotes) throw new UserError(`OpenMetadata FQN ${JSON.stringify(name)} has an unbalanced double quote`);
  parts.push(current);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Column types
// ---------------------------------------------------------------------------------------------

/** OpenMetadata's column dataType enum (table.json#/definitions/dataType), the common part of it. */
const OM_DATA_TYPES = new Set([
  "NUMBER", "TINYINT", "SMALLINT", "INT", "BIGINT", "BYTEINT", "BYTES", "FLOAT", "DOUBLE", "DECIMAL", "NUMERIC",
  "TIMESTAMP", "TIMESTAMPZ", "TIME", "DATE", "DATETIME", "INTERVAL", "STRING", "MEDIUMTEXT", "TEXT", "CHAR",
  "LONG", "VARCHAR", "BOOLEAN", "BINARY", "VARBINARY", "ARRAY", "BLOB", "LONGBLOB", "MEDIUMBLOB", "MAP", "STRUCT",
  "UNION", "SET", "GEOGRAPHY", "ENUM", "JSON", "UUID", "VARIANT", "GEOMETRY", "BYTEA", "AGGREGATEFUNCTION",
  "ERROR", "FIXED", "RECORD", "NULL", "SUPER", "HLLSKETCH", "PG_LSN", "PG_SNAPSHOT", "TSQUERY", "TXID_SNAPSHOT",
  "XML", "MACADDR", "TSVECTOR", "UNKNOWN", "CIDR", "INET", "CLOB", "ROWID", "LOWCARDINALITY", "YEAR", "POINT",
  "POLYGON", "TUPLE", "SPATIAL", "TABLE", "NTEXT", "IMAGE", "IPV4", "IPV6", "DATETIMERANGE", "HLL", "LARGEINT",
  "QUANTILE_STATE", "AGG_STATE", "BITMAP", "UINT", "BIT", "MONEY",
]);

const TYPE_ALIASES: Record<string, string> = {
  INTEGER: "INT",
  REAL: "FLOAT",
  "DOUBLE PRECISION": "DOUBLE",
  ROW: "STRUCT",
  IPADDRESS: "IPV6",
  "TIMESTAMP WITH TIME ZONE": "TIMESTAMPZ",
  "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
  "TIME WITH TIME ZONE": "TIME",
  "TIME WITHOUT TIME ZONE": "TIME",
  "CHARACTER VARYING": "VARCHAR",
  CHARACTER: "CHAR",
  BOOL: "BOOLEAN",
};

const NEEDS_LENGTH = new Set(["CHAR", "VARCHAR", "BINARY", "VARBINARY"]);

type OmColumnType = { dataType: string; dataTypeDisplay: string; dataLength?: number; arrayDataType?: string; precision?: number; scale?: number };

/**
 * Maps a SQL/Trino type (`varchar(255)`, `decimal(10,2)`, `array(varchar)`, `timestamp(6) with time
 * zone`) onto OpenMetadata's enum, which refuses anything else; CHAR/VARCHAR/BINARY need a
 * `dataLength` (1 when unknown, as OpenMetadata's own ingestion does) and ARRAY an `arrayDataType`.
 * The original spelling is kept as `dataTypeDisplay`.
 */
export function toOmColumnType(sqlType: string): OmColumnType {
  const display = sqlType.trim();
  const m = /^([A-Za-z_][A-Za-z0-9_ ]*?)\s*(?:\((.*)\))?\s*((?:with|without) time zone)?$/i.exec(display);
  const head = (m?.[1] ?? display).trim().toUpperCase().replace(/\s+/g, " ");
  const args = m?.[2];
  const tz = m?.[3] ? ` ${m[3].toUpperCase()}` : "";
  let base = TYPE_ALIASES[head + tz] ?? TYPE_ALIASES[head] ?? head;
  if (!OM_DATA_TYPES.has(base)) base = "UNKNOWN";
  const out: OmColumnType = { dataType: base, dataTypeDisplay: display.toLowerCase() };
  if (NEEDS_LENGTH.has(base)) {
    const n = args !== undefined ? Number.parseInt(args, 10) : Number.NaN;
    out.dataLength = Number.isFinite(n) && n > 0 ? n : 1;
  }
  if ((base === "DECIMAL" || base === "NUMERIC") && args) {
    const [p, s] = args.split(",").map((x) => Number.parseInt(x.trim(), 10));
    if (p !== undefined && Number.isFinite(p)) out.precision = p;
    if (s !== undefined && Number.isFinite(s)) out.scale = s;
  }
  if (base === "ARRAY") out.arrayDataType = args ? toOmColumnType(args).dataType : "UNKNOWN";
  return out;
}

// ---------------------------------------------------------------------------------------------
// Wire shapes (only what the adapter reads)
// ---------------------------------------------------------------------------------------------

type WireRef = { id?: string; type?: string; name?: string; fullyQualifiedName?: string; fqn?: string };
type WireTag = { tagFQN?: string };
type WireColumn = { name: string; dataType?: string; dataTypeDisplay?: string; description?: string; tags?: WireTag[] };
type WireEntity = { id: string; name?: string; fullyQualifiedName?: string; columns?: WireColumn[] };
type WireList = { data?: WireEntity[]; paging?: { total?: number; after?: string; before?: string } };
type WireEdge = {
  fromEntity?: string | WireRef;
  toEntity?: string | WireRef;
  lineageDetails?: {
    source?: string;
    sqlQuery?: string;
    description?: string;
    columnsLineage?: { fromColumns?: string[]; toColumn?: string }[];
  };
};
type WireLineage = { entity?: WireRef; nodes?: WireRef[]; upstreamEdges?: WireEdge[]; downstreamEdges?: WireEdge[] };

/** Collection paths for the entity types lineage usually links, to look an id up by FQN. */
const COLLECTIONS: Record<string, string> = {
  table: "tables",
  dashboard: "dashboards",
  dashboardDataModel: "dashboard/datamodels",
  pipeline: "pipelines",
  topic: "topics",
  mlmodel: "mlmodels",
  container: "containers",
  searchIndex: "searchIndexes",
  storedProcedure: "storedProcedures",
  apiEndpoint: "apiEndpoints",
  dataProduct: "dataProducts",
  domain: "domains",
};

const MAX_DEPTH = 3;
const MAX_PAGES = 10_000;

function validateDepth(depth: { upstream: number; downstream: number }) {
  for (const [k, v] of Object.entries(depth)) {
    if (!Number.isInteger(v) || v < 0 || v > MAX_DEPTH) {
      throw new UserError(`Lineage ${k} depth must be a whole number from 0 to ${MAX_DEPTH}, got ${String(v)}`);
    }
  }
}

function validateEntityType(entityType: string) {
  if (!/^[A-Za-z]+$/.test(entityType)) throw new UserError(`"${entityType}" is not an OpenMetadata entity type`);
}

function truncate(s: string, n = 500): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** The innermost message of a fetch failure ("fetch failed" → "other side closed"). */
function rootMessage(err: unknown): string {
  let msg = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const m = (e as { message?: unknown }).message;
    if (typeof m === "string" && m) msg = m;
  }
  return msg;
}

// ---------------------------------------------------------------------------------------------
// Connected adapter
// ---------------------------------------------------------------------------------------------

type Call = {
  method: "GET" | "PUT" | "POST" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** For messages: "upsert table svc.db.s.t". */
  what: string;
  attempts?: number;
};

export function createOpenMetadataClient(opts: OpenMetadataClientOptions): OpenMetadataClient {
  // OpenMetadata serves its API under /api: a bare host gets it added, a trailing /v1 is dropped.
  let base = opts.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const origin = new URL(base).origin;
  if (new URL(base).pathname === "/") base = `${origin}/api`;
  const token = opts.token;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const pageSize = opts.pageSize ?? 100;
  const doFetch = opts.fetch ?? fetch;
  const log = opts.log;
  let domainField: "domains" | "domain" = opts.domainField ?? "domains";
  if (!token) throw new UserError("OpenMetadata needs a bot token");
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new UserError("OpenMetadata page size must be a positive whole number");

  /** Belt and braces: no message leaves the adapter with the token in it (too short a token would mangle every message). */
  const redact = (s: string) => (token.length >= 8 ? s.split(token).join("[redacted]") : s);

  function httpError(status: number, text: string, c: Call): IntegrationError {
    // Dropwizard's error body: only `code` and `message` are read; the HTTP status decides.
    let message: string | undefined;
    try {
      const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
      if (typeof parsed.message === "string") message = parsed.message;
    } catch {
      // Not Dropwizard's JSON (a proxy's HTML page, say): say only the status.
    }
    const detail = redact(truncate(message ?? `HTTP ${status}`));
    const st = status;
    const mk = (msg: string, reason: string, transient = false) =>
      new IntegrationError("openmetadata", msg, { status: st, reason, transient });
    switch (st) {
      case 401:
        return mk(`OpenMetadata refused the bot token (401): ${detail}. Check the bot JWT configured for Canopy (OpenMetadata → Settings → Bots).`, "Unauthorized");
      case 403:
        return mk(`OpenMetadata denied the Canopy bot permission to ${c.what} (403): ${detail}`, "Forbidden");
      case 404:
        return mk(`OpenMetadata could not ${c.what}: not found (404): ${detail}`, "NotFound");
      case 409:
        return mk(`OpenMetadata could not ${c.what}: conflict (409): ${detail}`, "Conflict");
      case 412:
        return mk(`OpenMetadata could not ${c.what}: the entity changed meanwhile (412): ${detail}`, "PreconditionFailed");
      default:
        return mk(
          `OpenMetadata could not ${c.what} (${st}): ${detail}`,
          st === 429 ? "TooManyRequests" : st >= 500 ? "ServerError" : "BadRequest",
          isTransientStatus(st),
        );
    }
  }

  function networkError(err: unknown, c: Call): IntegrationError {
    if (err instanceof IntegrationError) return err;
    return new IntegrationError("openmetadata", redact(`OpenMetadata at ${origin} could not ${c.what}: ${rootMessage(err)}`), {
      transient: isTransientNetworkError(err),
      reason: "NetworkError",
      cause: err,
    });
  }

  function url(c: Call): string {
    const u = new URL(`${base}${c.path}`);
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** One JSON call with time-out and retries; an empty 2xx body yields undefined. */
  async function call<T>(c: Call): Promise<T | undefined> {
    const target = url(c);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json" };
    if (c.body !== undefined) headers["Content-Type"] = "application/json";
    return retry(
      () =>
        withTimeout("openmetadata", `OpenMetadata (${c.what})`, timeoutMs, async (signal) => {
          let status: number;
          let text: string;
          try {
            const res = await doFetch(target, {
              method: c.method,
              headers,
              body: c.body === undefined ? undefined : JSON.stringify(c.body),
              signal,
            });
            status = res.status;
            text = await res.text();
          } catch (err) {
            throw networkError(err, c);
          }
          if (status < 200 || status >= 300) throw httpError(status, text, c);
          if (text.trim() === "") return undefined;
          try {
            return JSON.parse(text) as T;
          } catch {
            throw new IntegrationError("openmetadata", `OpenMetadata answered ${c.what} with a body that is not JSON`, { status, reason: "BadResponse" });
          }
        }),
      {
        ...opts.retry,
        attempts: c.attempts ?? opts.retry?.attempts,
        onRetry: (err, attempt, delayMs) => {
          log?.warn(
            {
              system: "openmetadata",
              op: c.what,
              attempt,
              delayMs,
              status: err instanceof IntegrationError ? err.status : undefined,
              err: redact(err instanceof Error ? err.message : String(err)),
            },
            "OpenMetadata call failed; retrying",
          );
          opts.retry?.onRetry?.(err, attempt, delayMs);
        },
      },
    );
  }

  async function need<T>(c: Call): Promise<T> {
    const body = await call<T>(c);
    if (body === undefined) {
      throw new IntegrationError("openmetadata", `OpenMetadata answered ${c.what} with an empty body`, { reason: "BadResponse" });
    }
    return body;
  }

  const isNotFound = (err: unknown) => err instanceof IntegrationError && err.status === 404;

  /** PUT with a domain reference, falling back to the legacy `domain` field once if the server needs it. */
  async function putWithDomain(c: Omit<Call, "body" | "method">, build: (field: "domains" | "domain") => unknown): Promise<WireEntity> {
    const field = domainField;
    try {
      return await need<WireEntity>({ ...c, method: "PUT", body: build(field) });
    } catch (err) {
      const refused =
        !opts.domainField &&
        field === "domains" &&
        err instanceof IntegrationError &&
        err.status === 400 &&
        /unable to process json|unrecognized field/i.test(err.message);
      if (!refused) throw err;
      log?.warn({ system: "openmetadata", op: c.what }, "OpenMetadata refused `domains`; using the legacy `domain` field from now on");
      domainField = "domain";
      return need<WireEntity>({ ...c, method: "PUT", body: build("domain") });
    }
  }

  const domainProp = (field: "domains" | "domain", domain: string | undefined) =>
    domain === undefined ? {} : field === "domains" ? { domains: [domain] } : { domain };

  function toRef(e: WireEntity, type: string): OmEntityRef {
    return { id: e.id, type, name: e.name, fullyQualifiedName: e.fullyQualifiedName };
  }

  async function lookUpId(ref: OmEntityRef): Promise<OmEntityRef> {
    if (ref.id) return ref;
    const collection = COLLECTIONS[ref.type];
    if (!ref.fullyQualifiedName || !collection) {
      throw new UserError(`A lineage end needs an id, or a fullyQualifiedName of a known type (${Object.keys(COLLECTIONS).join(", ")})`);
    }
    const e = await need<WireEntity>({
      method: "GET",
      path: `/v1/${collection}/name/${encodeURIComponent(ref.fullyQualifiedName)}`,
      what: `read ${ref.type} ${ref.fullyQualifiedName}`,
    });
    return { ...ref, id: e.id };
  }

  return {
    mode: "connected",

    async upsertDomain(input) {
      const e = await need<WireEntity>({
        method: "PUT",
        path: "/v1/domains",
        what: `upsert domain ${input.name}`,
        // OpenMetadata requires domainType and description; an empty description on PUT keeps
        // whatever a person wrote there in OpenMetadata.
        body: { name: input.name, domainType: input.domainType ?? "Source-aligned", description: input.description ?? "" },
      });
      return toRef(e, "domain");
    },

    async upsertDataProduct(input) {
      const e = await putWithDomain({ path: "/v1/dataProducts", what: `upsert data product ${input.name}` }, (field) => ({
        name: input.name,
        description: input.description ?? "",
        ...domainProp(field, input.domain),
      }));
      return toRef(e, "dataProduct");
    },

    async upsertTable(input: OmTableInput) {
      const columns = input.columns.map((c) => ({
        name: c.name,
        ...toOmColumnType(c.dataType),
        ...(c.description ? { description: c.description } : {}),
        ...(c.tags?.length
          ? { tags: c.tags.map((tagFQN) => ({ tagFQN, source: "Classification", labelType: "Manual", state: "Confirmed" })) }
          : {}),
      }));
      const e = await putWithDomain({ path: "/v1/tables", what: `upsert table ${input.databaseSchema}.${quoteFqnPart(input.name)}` }, (field) => ({
        name: input.name,
        databaseSchema: input.databaseSchema,
        tableType: "Regular",
        columns,
        ...(input.description ? { description: input.description } : {}),
        ...domainProp(field, input.domain),
        ...(input.dataProducts?.length ? { dataProducts: input.dataProducts } : {}),
      }));
      return toRef(e, "table");
    },

    async getTable(tableFqn) {
      let e: WireEntity;
      try {
        e = await need<WireEntity>({
          method: "GET",
          path: `/v1/tables/name/${encodeURIComponent(tableFqn)}`,
          query: { fields: "columns,tags" },
          what: `read table ${tableFqn}`,
        });
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      const columns: OmColumn[] = (e.columns ?? []).map((c) => {
        const tags = (c.tags ?? []).map((t) => t.tagFQN).filter((t): t is string => typeof t === "string");
        return {
          name: c.name,
          dataType: c.dataTypeDisplay ?? c.dataType ?? "UNKNOWN",
          ...(c.description ? { description: c.description } : {}),
          ...(tags.length ? { tags } : {}),
        };
      });
      return { ...toRef(e, "table"), columns };
    },

    async listTables(databaseSchema) {
      const seen = new Map<string, OmEntityRef>();
      const cursors = new Set<string>();
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const body = await need<WireList>({
          method: "GET",
          path: "/v1/tables",
          query: { databaseSchema, limit: pageSize, after },
          what: `list the tables of ${databaseSchema}`,
        });
        for (const e of body.data ?? []) if (!seen.has(e.id)) seen.set(e.id, toRef(e, "table"));
        after = body.paging?.after;
        if (!after) return [...seen.values()];
        if (cursors.has(after)) {
          throw new IntegrationError("openmetadata", `OpenMetadata paging of ${databaseSchema} returned the same cursor twice`, { reason: "BadResponse" });
        }
        cursors.add(after);
      }
      throw new IntegrationError("openmetadata", `OpenMetadata paging of ${databaseSchema} did not end after ${MAX_PAGES} pages`, { reason: "BadResponse" });
    },

    async getLineage(entityType, entityFqn, depth) {
      validateEntityType(entityType);
      validateDepth(depth);
      const body = await need<WireLineage>({
        method: "GET",
        path: `/v1/lineage/${entityType}/name/${encodeURIComponent(entityFqn)}`,
        query: { upstreamDepth: depth.upstream, downstreamDepth: depth.downstream },
        what: `read the lineage of ${entityType} ${entityFqn}`,
      });
      const byId = new Map<string, { fqn: string; type: string }>();
      for (const n of [body.entity, ...(body.nodes ?? [])]) {
        const name = n?.fullyQualifiedName ?? n?.fqn;
        if (n?.id && name) byId.set(n.id, { fqn: name, type: n.type ?? entityType });
      }
      // Edges hold bare UUIDs; tolerate servers that send reference objects instead.
      const resolve = (end: string | WireRef | undefined) => {
        if (end === undefined) return undefined;
        if (typeof end === "string") return byId.get(end);
        const name = end.fullyQualifiedName ?? end.fqn;
        if (name) return { fqn: name, type: end.type ?? "table" };
        return end.id ? byId.get(end.id) : undefined;
      };
      const edges: OmLineageEdge[] = [];
      const keys = new Set<string>();
      for (const e of [...(body.upstreamEdges ?? []), ...(body.downstreamEdges ?? [])]) {
        const from = resolve(e.fromEntity);
        const to = resolve(e.toEntity);
        if (!from || !to) {
          log?.warn({ system: "openmetadata", op: "getLineage", fqn: entityFqn, edge: { from: e.fromEntity, to: e.toEntity } }, "OpenMetadata lineage edge names an entity missing from nodes; skipped");
          continue;
        }
        const key = `${from.type}:${from.fqn}→${to.type}:${to.fqn}`;
        if (keys.has(key)) continue;
        keys.add(key);
        edges.push({
          from,
          to,
          columns: (e.lineageDetails?.columnsLineage ?? [])
            .filter((c): c is { fromColumns?: string[]; toColumn: string } => typeof c.toColumn === "string")
            .map((c) => ({ from: c.fromColumns ?? [], to: c.toColumn })),
          source: e.lineageDetails?.source ?? "Manual",
          ...(typeof e.lineageDetails?.sqlQuery === "string" && e.lineageDetails.sqlQuery ? { sqlQuery: e.lineageDetails.sqlQuery } : {}),
          ...(typeof e.lineageDetails?.description === "string" && e.lineageDetails.description ? { description: e.lineageDetails.description } : {}),
        });
      }
      const self = body.entity ? resolve(body.entity) : undefined;
      return { entity: self ?? { fqn: entityFqn, type: entityType }, edges };
    },

    async addLineage(from, to, details) {
      validateEntityType(from.type);
      validateEntityType(to.type);
      const [a, b] = [await lookUpId(from), await lookUpId(to)];
      // Older servers answer 200 with an empty body: nothing is read from the reply.
      await call({
        method: "PUT",
        path: "/v1/lineage",
        what: `add lineage ${a.fullyQualifiedName ?? a.id} → ${b.fullyQualifiedName ?? b.id}`,
        body: {
          edge: {
            fromEntity: { id: a.id, type: a.type },
            toEntity: { id: b.id, type: b.type },
            lineageDetails: { source: "Manual", ...(details?.description ? { description: details.description } : {}) },
          },
        },
      });
    },

    async deleteLineage(from, to) {
      validateEntityType(from.type);
      validateEntityType(to.type);
      try {
        const [a, b] = [await lookUpId(from), await lookUpId(to)];
        await call({
          method: "DELETE",
          path: `/v1/lineage/${a.type}/${encodeURIComponent(a.id)}/${b.type}/${encodeURIComponent(b.id)}`,
          what: `remove lineage ${a.fullyQualifiedName ?? a.id} → ${b.fullyQualifiedName ?? b.id}`,
        });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },

    health(): Promise<HealthStatus> {
      return probe("openmetadata", "connected", async () => {
        const v = await need<{ version?: string; revision?: string }>({
          method: "GET",
          path: "/v1/system/version",
          what: "report its version",
          attempts: 1,
        });
        return { endpoint: origin, ...(v.version ? { version: v.version } : {}) };
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Embedded stand-in
// ---------------------------------------------------------------------------------------------

/** A stable UUID-shaped id derived from type and FQN (same input, same id, every run). */
export function embeddedId(type: string, name: string): string {
  const h = createHash("sha1").update(`canopy-om:${type}:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5 layout
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** No OpenMetadata: lineage lives in the catalogue; upserts succeed locally with stable ids. */
export function createEmbeddedOpenMetadataClient(): OpenMetadataClient {
  const ref = (type: string, name: string, fullyQualifiedName: string): OmEntityRef => ({
    id: embeddedId(type, fullyQualifiedName),
    type,
    name,
    fullyQualifiedName,
  });
  return {
    mode: "embedded",
    async upsertDomain(input) {
      return ref("domain", input.name, fqn(input.name));
    },
    async upsertDataProduct(input) {
      return ref("dataProduct", input.name, `${input.domain}.${quoteFqnPart(input.name)}`);
    },
    async upsertTable(input) {
      return ref("table", input.name, `${input.databaseSchema}.${quoteFqnPart(input.name)}`);
    },
    async getTable() {
      return null;
    },
    async listTables() {
      return [];
    },
    async getLineage(entityType, entityFqn, depth): Promise<OmLineage> {
      validateEntityType(entityType);
      validateDepth(depth);
      return { entity: { fqn: entityFqn, type: entityType }, edges: [] };
    },
    async addLineage() {},
    async deleteLineage() {
      return false;
    },
    async health() {
      return { system: "openmetadata", mode: "embedded", healthy: true, latencyMs: null };
    },
  };
}
