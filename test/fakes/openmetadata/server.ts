/**
 * A small, protocol-faithful OpenMetadata REST v1 server for tests (external-apis.md §2): bearer
 * auth, Dropwizard error bodies, tables / domains / data products with PUT upsert and versions,
 * cursor paging, lineage with bare-UUID edges, Elasticsearch-shaped search, and fault injection.
 *
 *   const om = await startFakeOpenMetadata({ pageSize: 2 });
 *   createOpenMetadataClient({ baseUrl: om.url, token: om.token });
 *
 * It keeps its own FQN quoting and type rules (not the adapter's) so an adapter bug cannot hide
 * behind shared code.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { baseUrl, Faults, readBody, sendJson, keepConnectionsOpen } from "../faults";

export const FAKE_OM_TOKEN = "fake-openmetadata-bot-jwt";
export const FAKE_OM_VERSION = "1.6.1";

const DATA_TYPES = new Set([
  "NUMBER", "TINYINT", "SMALLINT", "INT", "BIGINT", "BYTEINT", "BYTES", "FLOAT", "DOUBLE", "DECIMAL", "NUMERIC",
  "TIMESTAMP", "TIMESTAMPZ", "TIME", "DATE", "DATETIME", "INTERVAL", "STRING", "MEDIUMTEXT", "TEXT", "CHAR",
  "LONG", "VARCHAR", "BOOLEAN", "BINARY", "VARBINARY", "ARRAY", "BLOB", "LONGBLOB", "MEDIUMBLOB", "MAP", "STRUCT",
  "UNION", "SET", "GEOGRAPHY", "ENUM", "JSON", "UUID", "VARIANT", "GEOMETRY", "BYTEA", "UNKNOWN", "IPV4", "IPV6",
  "XML", "CLOB", "BIT", "MONEY", "POINT", "POLYGON", "LARGEINT", "UINT", "YEAR",
]);
const NEEDS_LENGTH = new Set(["CHAR", "VARCHAR", "BINARY", "VARBINARY"]);
const DOMAIN_TYPES = new Set(["Source-aligned", "Consumer-aligned", "Aggregate"]);
const TABLE_FIELDS = new Set([
  "tableConstraints", "tablePartition", "usageSummary", "owners", "columns", "sampleData", "tags", "followers",
  "joins", "schemaDefinition", "dataModel", "extension", "testSuite", "domains", "dataProducts", "lifeCycle",
  "domain", "owner",
]);
const LINEAGE_SOURCES = new Set([
  "Manual", "ViewLineage", "QueryLineage", "PipelineLineage", "DashboardLineage", "DbtLineage", "SparkLineage",
  "OpenLineage", "ExternalTableLineage", "CrossDatabaseLineage",
]);
const SEARCH_INDEXES: Record<string, string[] | undefined> = {
  all: ["table", "domain", "dataProduct"],
  dataAsset: ["table"],
  table_search_index: ["table"],
  domain_search_index: ["domain"],
  data_product_search_index: ["dataProduct"],
  glossary_term_search_index: [],
  tag_search_index: [],
  user_search_index: [],
  team_search_index: [],
};
const DEFAULT_TAGS = [
  "PII.Sensitive", "PII.NonSensitive", "PII.None", "PersonalData.Personal", "PersonalData.SpecialCategory",
  "Tier.Tier1", "Tier.Tier2", "Tier.Tier3", "Tier.Tier4", "Tier.Tier5",
];

/** OpenMetadata's quoting: a name containing a dot is double-quoted inside an FQN. */
function quote(name: string): string {
  return name.includes(".") && !/^".*"$/.test(name) ? `"${name}"` : name;
}

export type TagLabel = { tagFQN: string; source: string; labelType: string; state: string };
export type FakeColumn = {
  name: string;
  dataType: string;
  dataTypeDisplay: string;
  dataLength?: number;
  arrayDataType?: string;
  precision?: number;
  scale?: number;
  description?: string;
  tags: TagLabel[];
};
export type FakeEntity = {
  id: string;
  type: string;
  name: string;
  fullyQualifiedName: string;
  description: string;
  version: number;
  updatedAt: number;
  updatedBy: string;
  deleted: boolean;
  /** Tables. */
  databaseSchema?: string;
  tableType?: string;
  columns?: FakeColumn[];
  /** Domains. */
  domainType?: string;
  parent?: string;
  /** Ids of the domains (tables, data products) and data products (tables) it belongs to. */
  domainIds: string[];
  dataProductIds: string[];
  /** Created through the legacy single `domain` field: replies carry `domain` too. */
  legacyDomain?: boolean;
};
export type FakeEdge = { fromId: string; toId: string; lineageDetails: Record<string, unknown> };
export type RecordedRequest = {
  method: string;
  /** Raw (still percent-encoded) path. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
const notFound = (type: string, key: string) => new ApiError(404, `${type} instance for ${key} not found`);

/** The fake's state; tests may read it and seed it directly. */
export class FakeOpenMetadataStore {
  readonly entities = new Map<string, FakeEntity>();
  readonly edges = new Map<string, FakeEdge>();
  readonly tags = new Set(DEFAULT_TAGS);
  /** Known database schemas; null = any schema is accepted (created on first use). */
  schemas: Set<string> | null;
  private readonly schemaIds = new Map<string, string>();

  constructor(schemas?: string[]) {
    this.schemas = schemas ? new Set(schemas) : null;
  }

  schemaId(schemaFqn: string): string {
    let id = this.schemaIds.get(schemaFqn);
    if (!id) this.schemaIds.set(schemaFqn, (id = randomUUID()));
    return id;
  }

  byFqn(type: string, name: string): FakeEntity | undefined {
    for (const e of this.entities.values()) if (e.type === type && e.fullyQualifiedName === name) return e;
    return undefined;
  }

  ofType(type: string): FakeEntity[] {
    return [...this.entities.values()].filter((e) => e.type === type);
  }

  /** Seeds any entity (a dashboard or pipeline for lineage, say). */
  addEntity(type: string, fullyQualifiedName: string, extra: Partial<FakeEntity> = {}): FakeEntity {
    const e: FakeEntity = {
      id: randomUUID(),
      type,
      name: fullyQualifiedName.split(".").at(-1) ?? fullyQualifiedName,
      fullyQualifiedName,
      description: "",
      version: 0.1,
      updatedAt: Date.now(),
      updatedBy: "admin",
      deleted: false,
      domainIds: [],
      dataProductIds: [],
      ...extra,
    };
    this.entities.set(e.id, e);
    return e;
  }

  /** Seeds an edge (for sources other than Manual, column lineage, …). */
  addEdge(from: FakeEntity, to: FakeEntity, lineageDetails: Record<string, unknown> = {}): FakeEdge {
    const edge = { fromId: from.id, toId: to.id, lineageDetails: { source: "Manual", ...lineageDetails } };
    this.edges.set(`${from.id}:${to.id}`, edge);
    return edge;
  }
}

export type FakeOpenMetadataOptions = {
  token?: string;
  faults?: Faults;
  /** Largest page the server hands out, whatever `limit` asks (to force cursor paging). */
  pageSize?: number;
  /** Known schemas; when given, a table in any other schema is refused with 404 as OpenMetadata does. */
  schemas?: string[];
  /** Emulate one server generation: refuse the other domain field with Jackson's 400. Default: accept both. */
  domainField?: "domain" | "domains";
};

export type FakeOpenMetadata = {
  /** Base URL including `/api`. */
  url: string;
  token: string;
  close(): Promise<void>;
  faults: Faults;
  store: FakeOpenMetadataStore;
  requests: RecordedRequest[];
};

export async function startFakeOpenMetadata(opts: FakeOpenMetadataOptions = {}): Promise<FakeOpenMetadata> {
  const token = opts.token ?? FAKE_OM_TOKEN;
  const faults = opts.faults ?? new Faults();
  const store = new FakeOpenMetadataStore(opts.schemas);
  const requests: RecordedRequest[] = [];
  const maxPage = opts.pageSize ?? Number.POSITIVE_INFINITY;
  let origin = "";

  const collectionOf: Record<string, string> = { table: "tables", domain: "domains", dataProduct: "dataProducts" };
  const href = (e: FakeEntity) => `${origin}/api/v1/${collectionOf[e.type] ?? `${e.type}s`}/${e.id}`;
  const ref = (e: FakeEntity) => ({
    id: e.id,
    type: e.type,
    name: e.name,
    fullyQualifiedName: e.fullyQualifiedName,
    displayName: e.name,
    deleted: e.deleted,
    href: href(e),
  });
  const refs = (ids: string[]) => ids.map((id) => store.entities.get(id)).filter((e): e is FakeEntity => !!e).map(ref);

  function render(e: FakeEntity, fields: Set<string> | "all"): Record<string, unknown> {
    const has = (f: string) => fields === "all" || fields.has(f);
    const out: Record<string, unknown> = {
      id: e.id,
      name: e.name,
      fullyQualifiedName: e.fullyQualifiedName,
      displayName: e.name,
      description: e.description,
      version: e.version,
      updatedAt: e.updatedAt,
      updatedBy: e.updatedBy,
      href: href(e),
      deleted: e.deleted,
    };
    if (e.type === "table") {
      const schemaFqn = e.databaseSchema ?? "";
      const [service, database] = schemaFqn.split(".");
      out.tableType = e.tableType;
      out.databaseSchema = { id: store.schemaId(schemaFqn), type: "databaseSchema", fullyQualifiedName: schemaFqn, name: schemaFqn.split(".").at(-1) };
      out.database = { type: "database", fullyQualifiedName: `${service}.${database}`, name: database };
      out.service = { type: "databaseService", fullyQualifiedName: service, name: service };
      out.serviceType = "Trino";
      if (has("columns")) {
        out.columns = (e.columns ?? []).map((c, i) => ({
          name: c.name,
          dataType: c.dataType,
          dataTypeDisplay: c.dataTypeDisplay,
          ...(c.dataLength !== undefined ? { dataLength: c.dataLength } : {}),
          ...(c.arrayDataType ? { arrayDataType: c.arrayDataType } : {}),
          ...(c.precision !== undefined ? { precision: c.precision } : {}),
          ...(c.scale !== undefined ? { scale: c.scale } : {}),
          ...(c.description ? { description: c.description } : {}),
          fullyQualifiedName: `${e.fullyQualifiedName}.${quote(c.name)}`,
          tags: has("tags") ? c.tags : [],
          ordinalPosition: i + 1,
        }));
      }
      if (has("tags")) out.tags = [];
      if (has("owners")) out.owners = [];
      if (has("dataProducts")) out.dataProducts = refs(e.dataProductIds);
      if (has("domains") || has("domain")) {
        out.domains = refs(e.domainIds);
        if (e.legacyDomain) out.domain = refs(e.domainIds)[0];
      }
    } else if (e.type === "domain") {
      out.domainType = e.domainType;
      if (e.parent) out.parent = ref(store.byFqn("domain", e.parent)!);
      out.owners = [];
      out.experts = [];
    } else if (e.type === "dataProduct") {
      out.domains = refs(e.domainIds);
      if (e.legacyDomain) out.domain = refs(e.domainIds)[0];
      out.owners = [];
      out.experts = [];
      out.assets = refs([...store.entities.values()].filter((t) => t.dataProductIds.includes(e.id)).map((t) => t.id));
    }
    return out;
  }

  function parseFields(q: URLSearchParams, allowed?: Set<string>): Set<string> {
    const fields = new Set((q.get("fields") ?? "").split(",").map((f) => f.trim()).filter(Boolean));
    if (allowed) for (const f of fields) if (!allowed.has(f)) throw new ApiError(400, `Invalid field name ${f}`);
    return fields;
  }

  /** OpenMetadata's cursor paging over a list sorted by FQN; cursors are base64 FQNs. */
  function paginate(items: FakeEntity[], q: URLSearchParams, fields: Set<string>) {
    const rawLimit = q.get("limit");
    const limit = rawLimit === null ? 10 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 0) throw new ApiError(400, "query param limit must be greater than or equal to 0");
    if (limit > 1_000_000) throw new ApiError(400, "query param limit must be less than or equal to 1000000");
    const size = Math.min(limit, maxPage);
    const sorted = [...items].sort((a, b) => (a.fullyQualifiedName < b.fullyQualifiedName ? -1 : a.fullyQualifiedName > b.fullyQualifiedName ? 1 : 0));
    const decode = (c: string) => {
      const s = Buffer.from(c, "base64").toString("utf8");
      if (!s || Buffer.from(s, "utf8").toString("base64") !== c) throw new ApiError(400, `Invalid cursor ${c}`);
      return s;
    };
    const after = q.get("after");
    const before = q.get("before");
    let page: FakeEntity[];
    if (after) {
      const key = decode(after);
      page = sorted.filter((e) => e.fullyQualifiedName > key).slice(0, size);
    } else if (before) {
      const key = decode(before);
      const prior = sorted.filter((e) => e.fullyQualifiedName < key);
      page = prior.slice(Math.max(0, prior.length - size));
    } else page = sorted.slice(0, size);
    const first = page[0];
    const last = page.at(-1);
    const encode = (s: string) => Buffer.from(s, "utf8").toString("base64");
    const paging: Record<string, unknown> = { total: sorted.length };
    if (first && sorted[0] !== first) paging.before = encode(first.fullyQualifiedName);
    if (last && sorted.at(-1) !== last) paging.after = encode(last.fullyQualifiedName);
    return { data: page.map((e) => render(e, fields)), paging };
  }

  function domainNames(body: Record<string, unknown>): string[] | undefined {
    if (opts.domainField === "domains" && "domain" in body) throw new ApiError(400, "Unable to process JSON");
    if (opts.domainField === "domain" && "domains" in body) throw new ApiError(400, "Unable to process JSON");
    if (Array.isArray(body.domains)) return body.domains.map(String);
    if (typeof body.domain === "string") return [body.domain];
    return undefined;
  }

  function resolveAll(type: string, names: string[]): string[] {
    return names.map((n) => {
      const e = store.byFqn(type, n);
      if (!e) throw notFound(type, n);
      return e.id;
    });
  }

  function requireName(body: Record<string, unknown>): string {
    if (typeof body.name !== "string" || body.name.trim() === "") throw new ApiError(400, "[name must not be null]");
    if (body.name.length > 256) throw new ApiError(400, "[name size must be between 1 and 256]");
    return body.name;
  }

  /** Creates or updates; returns [entity, created]. Bumps the version by 0.1 when something changed. */
  function upsert(type: string, entityFqn: string, name: string, apply: (e: FakeEntity) => void, mode: "POST" | "PUT"): [FakeEntity, boolean] {
    const existing = store.byFqn(type, entityFqn);
    if (existing && mode === "POST") throw new ApiError(409, "Entity already exists");
    if (!existing) {
      const e = store.addEntity(type, entityFqn, { name, updatedBy: "ingestion-bot" });
      apply(e);
      return [e, true];
    }
    const before = JSON.stringify({ ...existing, version: 0, updatedAt: 0 });
    const draft: FakeEntity = structuredClone(existing);
    apply(draft);
    if (JSON.stringify({ ...draft, version: 0, updatedAt: 0 }) !== before) {
      Object.assign(existing, draft, { version: Math.round((existing.version + 0.1) * 10) / 10, updatedAt: Date.now(), updatedBy: "ingestion-bot" });
    }
    return [existing, false];
  }

  function parseColumns(raw: unknown): FakeColumn[] {
    if (!Array.isArray(raw)) throw new ApiError(400, "[columns must not be null]");
    const names = new Set<string>();
    return raw.map((c: Record<string, unknown>) => {
      if (typeof c?.name !== "string" || !c.name) throw new ApiError(400, "[columns[].name must not be null]");
      if (names.has(c.name)) throw new ApiError(400, `Column name ${c.name} is repeated`);
      names.add(c.name);
      // Jackson refuses a value outside the enum before any validation runs.
      if (typeof c.dataType !== "string" || !DATA_TYPES.has(c.dataType)) throw new ApiError(400, "Unable to process JSON");
      if (NEEDS_LENGTH.has(c.dataType) && typeof c.dataLength !== "number") {
        throw new ApiError(400, `For column data type ${c.dataType}, dataLength must not be null`);
      }
      if (c.dataType === "ARRAY" && typeof c.arrayDataType !== "string") throw new ApiError(400, "For column data type ARRAY, arrayDataType must not be null");
      const tags = Array.isArray(c.tags) ? (c.tags as Record<string, unknown>[]) : [];
      return {
        name: c.name,
        dataType: c.dataType,
        dataTypeDisplay: typeof c.dataTypeDisplay === "string" ? c.dataTypeDisplay : c.dataType.toLowerCase(),
        ...(typeof c.dataLength === "number" ? { dataLength: c.dataLength } : {}),
        ...(typeof c.arrayDataType === "string" ? { arrayDataType: c.arrayDataType } : {}),
        ...(typeof c.precision === "number" ? { precision: c.precision } : {}),
        ...(typeof c.scale === "number" ? { scale: c.scale } : {}),
        ...(typeof c.description === "string" && c.description ? { description: c.description } : {}),
        tags: tags.map((t) => {
          if (typeof t.tagFQN !== "string") throw new ApiError(400, "[tags[].tagFQN must not be null]");
          if (!store.tags.has(t.tagFQN)) throw notFound("tag", t.tagFQN);
          return {
            tagFQN: t.tagFQN,
            source: typeof t.source === "string" ? t.source : "Classification",
            labelType: typeof t.labelType === "string" ? t.labelType : "Manual",
            state: typeof t.state === "string" ? t.state : "Confirmed",
          };
        }),
      };
    });
  }

  function upsertTable(body: Record<string, unknown>, mode: "POST" | "PUT"): [FakeEntity, boolean] {
    const name = requireName(body);
    if (typeof body.databaseSchema !== "string" || !body.databaseSchema) throw new ApiError(400, "[databaseSchema must not be null]");
    const schema = body.databaseSchema;
    if (store.schemas && !store.schemas.has(schema)) throw notFound("databaseSchema", schema);
    store.schemas?.add(schema);
    const columns = parseColumns(body.columns);
    const domains = domainNames(body);
    const domainIds = domains ? resolveAll("domain", domains) : undefined;
    const productIds = Array.isArray(body.dataProducts) ? resolveAll("dataProduct", body.dataProducts.map(String)) : undefined;
    return upsert(
      "table",
      `${schema}.${quote(name)}`,
      name,
      (e) => {
        e.databaseSchema = schema;
        e.tableType = typeof body.tableType === "string" ? body.tableType : "Regular";
        e.columns = columns;
        // PUT keeps a description someone wrote when the request brings none.
        if (typeof body.description === "string" && body.description) e.description = body.description;
        if (domainIds) {
          e.domainIds = domainIds;
          e.legacyDomain = !("domains" in body);
        }
        if (productIds) e.dataProductIds = productIds;
      },
      mode,
    );
  }

  function upsertDomain(body: Record<string, unknown>, mode: "POST" | "PUT"): [FakeEntity, boolean] {
    const name = requireName(body);
    if (body.domainType !== undefined && !DOMAIN_TYPES.has(String(body.domainType))) throw new ApiError(400, "Unable to process JSON");
    const parent = typeof body.parent === "string" && body.parent ? body.parent : undefined;
    if (parent && !store.byFqn("domain", parent)) throw notFound("domain", parent);
    return upsert(
      "domain",
      parent ? `${parent}.${quote(name)}` : quote(name),
      name,
      (e) => {
        e.domainType = typeof body.domainType === "string" ? body.domainType : (e.domainType ?? "Aggregate");
        if (parent) e.parent = parent;
        if (typeof body.description === "string" && body.description) e.description = body.description;
      },
      mode,
    );
  }

  function upsertDataProduct(body: Record<string, unknown>, mode: "POST" | "PUT"): [FakeEntity, boolean] {
    const name = requireName(body);
    const domains = domainNames(body);
    if (!domains?.length) throw new ApiError(400, "[domains must not be empty]");
    const domainIds = resolveAll("domain", domains);
    const first = store.entities.get(domainIds[0]!)!;
    return upsert(
      "dataProduct",
      `${first.fullyQualifiedName}.${quote(name)}`,
      name,
      (e) => {
        e.domainIds = domainIds;
        e.legacyDomain = !("domains" in body);
        if (typeof body.description === "string" && body.description) e.description = body.description;
      },
      mode,
    );
  }

  function depthParam(q: URLSearchParams, name: string): number {
    const raw = q.get(name);
    if (raw === null) return 1;
    const n = Number(raw);
    if (!Number.isInteger(n)) throw new ApiError(400, `query param ${name} is not a number`);
    if (n < 0) throw new ApiError(400, `query param ${name} must be greater than or equal to 0`);
    if (n > 3) throw new ApiError(400, `query param ${name} must be less than or equal to 3`);
    return n;
  }

  function lineageOf(root: FakeEntity, q: URLSearchParams) {
    const up = depthParam(q, "upstreamDepth");
    const down = depthParam(q, "downstreamDepth");
    const nodes = new Set<string>();
    const walk = (depth: number, dir: "up" | "down") => {
      const edges: FakeEdge[] = [];
      const seen = new Set<string>();
      let frontier = new Set([root.id]);
      for (let d = 0; d < depth && frontier.size; d++) {
        const next = new Set<string>();
        for (const [key, e] of store.edges) {
          const [near, far] = dir === "up" ? [e.toId, e.fromId] : [e.fromId, e.toId];
          if (!frontier.has(near) || seen.has(key)) continue;
          seen.add(key);
          edges.push(e);
          if (far !== root.id) nodes.add(far);
          next.add(far);
        }
        frontier = next;
      }
      return edges.map((e) => ({ fromEntity: e.fromId, toEntity: e.toId, lineageDetails: e.lineageDetails }));
    };
    const upstreamEdges = walk(up, "up");
    const downstreamEdges = walk(down, "down");
    return {
      entity: ref(root),
      nodes: [...nodes].map((id) => store.entities.get(id)).filter((e): e is FakeEntity => !!e).map(ref),
      upstreamEdges,
      downstreamEdges,
    };
  }

  function addLineage(body: Record<string, unknown>) {
    const edge = body?.edge as Record<string, unknown> | undefined;
    if (!edge || typeof edge !== "object") throw new ApiError(400, "[edge must not be null]");
    const end = (raw: unknown, what: string) => {
      const r = raw as { id?: unknown; type?: unknown } | undefined;
      if (!r || typeof r.id !== "string" || typeof r.type !== "string") throw new ApiError(400, `[edge.${what} must not be null]`);
      const e = store.entities.get(r.id);
      if (!e || e.type !== r.type) throw notFound(r.type, r.id);
      return e;
    };
    const from = end(edge.fromEntity, "fromEntity");
    const to = end(edge.toEntity, "toEntity");
    const details = (edge.lineageDetails && typeof edge.lineageDetails === "object" ? edge.lineageDetails : {}) as Record<string, unknown>;
    if (details.source !== undefined && !LINEAGE_SOURCES.has(String(details.source))) throw new ApiError(400, "Unable to process JSON");
    const now = Date.now();
    store.addEdge(from, to, {
      ...details,
      ...(typeof edge.description === "string" && !details.description ? { description: edge.description } : {}),
      source: details.source ?? "Manual",
      createdAt: now,
      updatedAt: now,
      createdBy: "ingestion-bot",
      updatedBy: "ingestion-bot",
    });
  }

  function search(q: URLSearchParams) {
    const index = q.get("index") ?? "table_search_index";
    const types = SEARCH_INDEXES[index];
    if (!types) throw new ApiError(400, `Failed to find index ${index}`);
    const from = Number(q.get("from") ?? 0);
    const size = Number(q.get("size") ?? 10);
    if (!Number.isInteger(from) || from < 0 || !Number.isInteger(size) || size < 0) throw new ApiError(400, "from and size must be non-negative whole numbers");
    const text = (q.get("q") ?? "").toLowerCase();
    const words = text.split(/\s+/).map((w) => w.replace(/\*/g, "")).filter(Boolean);
    const scored = [...store.entities.values()]
      .filter((e) => types.includes(e.type) && (q.get("deleted") === "true" ? e.deleted : !e.deleted))
      .map((e) => {
        const name = e.name.toLowerCase();
        const hay = [name, e.fullyQualifiedName.toLowerCase(), e.description.toLowerCase(), ...(e.columns ?? []).map((c) => c.name.toLowerCase())];
        if (!words.every((w) => hay.some((h) => h.includes(w)))) return undefined;
        const score = words.length === 0 ? 1 : words.reduce((s, w) => s + (name.includes(w) ? 2 : 1), 0.3);
        return { e, score };
      })
      .filter((x): x is { e: FakeEntity; score: number } => !!x)
      .sort((a, b) => b.score - a.score || (a.e.fullyQualifiedName < b.e.fullyQualifiedName ? -1 : 1));
    const indexOf = (t: string) => (t === "dataProduct" ? "data_product_search_index" : `${t}_search_index`);
    return {
      took: 1,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: {
        total: { value: scored.length, relation: "eq" },
        max_score: scored[0]?.score ?? null,
        hits: scored.slice(from, from + size).map(({ e, score }) => ({
          _index: indexOf(e.type),
          _id: e.id,
          _score: score,
          _source: {
            id: e.id,
            name: e.name,
            displayName: e.name,
            fullyQualifiedName: e.fullyQualifiedName,
            description: e.description,
            entityType: e.type,
            deleted: e.deleted,
            owners: [],
            tags: [],
            domains: refs(e.domainIds),
            ...(e.type === "table"
              ? { columns: (e.columns ?? []).map((c) => ({ name: c.name, dataType: c.dataType, dataTypeDisplay: c.dataTypeDisplay, tags: c.tags })) }
              : {}),
          },
        })),
      },
    };
  }

  const decodeSeg = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ApiError(400, "Malformed path");
    }
  };

  async function route(method: string, segs: string[], q: URLSearchParams, body: unknown, res: ServerResponse) {
    const obj = (body ?? {}) as Record<string, unknown>;
    const [head, a, b, c, d] = segs;
    const upserts: Record<string, (b: Record<string, unknown>, m: "POST" | "PUT") => [FakeEntity, boolean]> = {
      tables: upsertTable,
      domains: upsertDomain,
      dataProducts: upsertDataProduct,
    };
    const types: Record<string, string> = { tables: "table", domains: "domain", dataProducts: "dataProduct" };

    if (head === "system" && a === "version" && segs.length === 2 && method === "GET") {
      return sendJson(res, 200, { version: FAKE_OM_VERSION, revision: "fake", timestamp: Date.now() });
    }
    if (head === "search" && a === "query" && segs.length === 2 && method === "GET") return sendJson(res, 200, search(q));

    if (head && types[head]) {
      const type = types[head]!;
      if (segs.length === 1) {
        if (method === "PUT" || method === "POST") {
          const [e, created] = upserts[head]!(obj, method);
          return sendJson(res, created ? 201 : 200, render(e, "all"));
        }
        if (method === "GET") {
          const fields = parseFields(q, type === "table" ? TABLE_FIELDS : undefined);
          let items = store.ofType(type).filter((e) => q.get("include") === "all" || !e.deleted);
          const schema = q.get("databaseSchema");
          if (type === "table" && schema) items = items.filter((e) => e.databaseSchema === schema);
          const domain = q.get("domain");
          if (domain) {
            const dom = store.byFqn("domain", domain);
            items = dom ? items.filter((e) => e.domainIds.includes(dom.id)) : [];
          }
          return sendJson(res, 200, paginate(items, q, fields));
        }
      }
      if (method === "GET" && segs.length === 3 && a === "name") {
        const name = decodeSeg(b!);
        const e = store.byFqn(type, name);
        if (!e) throw notFound(type, name);
        return sendJson(res, 200, render(e, parseFields(q, type === "table" ? TABLE_FIELDS : undefined)));
      }
      if (method === "GET" && segs.length === 2) {
        const e = store.entities.get(a!);
        if (!e || e.type !== type) throw notFound(type, a!);
        return sendJson(res, 200, render(e, parseFields(q, type === "table" ? TABLE_FIELDS : undefined)));
      }
    }

    if (head === "lineage") {
      if (method === "PUT" && segs.length === 1) {
        addLineage(obj);
        // Older servers answer 200 with an empty body; the adapter must not rely on one.
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end();
        return;
      }
      if (method === "GET" && segs.length === 4 && b === "name") {
        const name = decodeSeg(c!);
        const e = store.byFqn(a!, name);
        if (!e) throw notFound(a!, name);
        return sendJson(res, 200, lineageOf(e, q));
      }
      if (method === "GET" && segs.length === 3) {
        const e = store.entities.get(b!);
        if (!e || e.type !== a) throw notFound(a!, b!);
        return sendJson(res, 200, lineageOf(e, q));
      }
      if (method === "DELETE" && segs.length === 5) {
        const key = `${b}:${d}`;
        const edge = store.edges.get(key);
        if (!edge || store.entities.get(edge.fromId)?.type !== a || store.entities.get(edge.toId)?.type !== c) {
          throw new ApiError(404, "Lineage edge not found");
        }
        store.edges.delete(key);
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end();
        return;
      }
    }
    throw new ApiError(404, "HTTP 404 Not Found");
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (await faults.control(req, res)) return;
    const u = new URL(req.url ?? "/", "http://fake");
    const method = (req.method ?? "GET").toUpperCase();
    const text = await readBody(req);
    let body: unknown;
    let badJson = false;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        badJson = true;
      }
    }
    requests.push({ method, path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, body: badJson ? text : body });
    if (await faults.apply(req, res, { code: 409, message: "Entity already exists" })) return;

    if (!u.pathname.startsWith("/api/v1/")) return sendJson(res, 404, { code: 404, message: "HTTP 404 Not Found" });
    if (req.headers.authorization !== `Bearer ${token}`) {
      return sendJson(res, 401, { code: 401, message: "Not Authorized! Token not present" }, { "WWW-Authenticate": "om-auth" });
    }
    if (badJson) return sendJson(res, 400, { code: 400, message: "Unable to process JSON" });
    const segs = u.pathname.slice("/api/v1/".length).split("/").filter((s) => s !== "");
    try {
      await route(method, segs, u.searchParams, body, res);
    } catch (err) {
      if (err instanceof ApiError) return sendJson(res, err.status, { code: err.status, message: err.message });
      throw err;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { code: 500, message: (err as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
  keepConnectionsOpen(server);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  origin = baseUrl(server);

  return {
    url: `${origin}/api`,
    token,
    faults,
    store,
    requests,
    /** Idempotent: drops open (keep-alive) connections and stops listening. */
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
