import { z } from "zod";
import type { DocPath } from "@/lib/descriptors/paths";
import { logicalTypeOf } from "@/lib/products/spec";
import {
  CLASSIFICATIONS,
  LOGICAL_TYPES,
  PURPOSE_CATEGORIES,
  QUALITY_OPERATORS,
  SLA_PROPERTIES,
  SLA_UNITS,
  type ColumnSpec,
  type PortSpec,
  type PurposeCategory,
  type QualityRule,
  type SlaSpec,
} from "@/lib/products/spec";

/**
 * How Canopy reads each part of an ODPS/ODCS document, and how it writes that part back. Every
 * `read…` is pure and every `write…(value, source)` first asks whether reading `source` already
 * gives `value`: if so the source's own wording is kept byte for byte ("Days" stays "Days", a
 * purpose stays one paragraph), so an import followed by an export changes nothing Canopy did not
 * change. Client-safe.
 *
 * Canopy's conventions where the standards have no field:
 * - ODPS `customProperties`: `canopySlug` (the product's slug), `canopyClassification`.
 * - ODPS `outputPorts[].customProperties`: `canopyClassification` (the port's classification).
 * - ODCS property `customProperties`: `pii: true` (a `pii` tag on the property is read as the same).
 * - ODCS s3 server `customProperties`: `canopyBucketMaxSizeGiB`, `canopyBucketMaxObjects`.
 * - ODCS contract `customProperties`: `canopyPiiPurposes` (purpose categories that see PII unmasked).
 * - ODCS `roles[]`: `firstLevelApprovers` are the contract's approvers (first step),
 *   `secondLevelApprovers` its second approval step.
 * - Product text: ODPS `description.purpose` gives the summary (its first line) and the start of
 *   the markdown description; `limitations` and `usage` become "## Limitations" and "## Usage"
 *   sections of it, and are split out again on export.
 */

export type Obj = Record<string, unknown>;
export type Note = { path: DocPath; message: string };
type Classification = (typeof CLASSIFICATIONS)[number];
type LogicalType = (typeof LOGICAL_TYPES)[number];
type PortType = PortSpec["type"];
export type LifecycleStatus = "draft" | "published" | "deprecated" | "retired";

/**
 * Source documents are stored as JSON text inside the Json columns: PostgreSQL's jsonb does not keep
 * the order of keys, and an export should read like the document that was imported.
 */
export const encodeSource = (doc: unknown): string => JSON.stringify(doc);
export function decodeSource(stored: unknown): unknown {
  if (typeof stored !== "string") return stored;
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    return undefined;
  }
}

/** Key of the note an import leaves in the stored ODPS source (never exported): what it could not link. */
export const IMPORT_NOTE_KEY = "x-canopy-import";
export type ImportNote = {
  /** The team slug and domain the import read, so an export keeps the document's wording while they are unchanged. */
  team: string;
  domain: string;
  /** Input contract ids that resolved to no visible port: exported again as they were. */
  unresolvedInputs: string[];
  /** Owner e-mails without a Canopy account: kept in the team on export. */
  keptOwners: string[];
};

export function readImportNote(source: unknown): ImportNote | undefined {
  const n = isObj(source) ? source[IMPORT_NOTE_KEY] : undefined;
  if (!isObj(n)) return undefined;
  const strings = (v: unknown) => list(v).filter((x): x is string => typeof x === "string");
  return { team: str(n.team) ?? "", domain: str(n.domain) ?? "", unresolvedInputs: strings(n.unresolvedInputs), keptOwners: strings(n.keptOwners) };
}

export const CP = {
  slug: "canopySlug",
  classification: "canopyClassification",
  pii: "pii",
  bucketMaxSize: "canopyBucketMaxSizeGiB",
  bucketMaxObjects: "canopyBucketMaxObjects",
  piiPurposes: "canopyPiiPurposes",
} as const;

export const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const emailSchema = z.email();
export const isEmail = (s: string) => emailSchema.safeParse(s).success;

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A shallow copy without some keys. */
export function omit(o: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// customProperties: [{ property, value }]

export function getCustom(props: unknown, name: string): { index: number; value: unknown } | undefined {
  const items = list(props);
  const index = items.findIndex((p) => isObj(p) && p.property === name);
  return index < 0 ? undefined : { index, value: (items[index] as Obj).value };
}

/** The list with `name` set to `value` (or removed when undefined); undefined when it ends up empty and was absent. */
export function setCustom(props: unknown, name: string, value: unknown): unknown[] | undefined {
  const items = [...list(props)];
  const at = getCustom(items, name);
  if (value === undefined) {
    if (at) items.splice(at.index, 1);
  } else if (at) items[at.index] = { ...(items[at.index] as Obj), value };
  else items.push({ property: name, value });
  return items.length || Array.isArray(props) ? items : undefined;
}

/** Sets or removes a key, keeping the position of existing keys. */
export function put(o: Obj, key: string, value: unknown): void {
  if (value === undefined) delete o[key];
  else o[key] = value;
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

const STATUS_READ: Record<string, LifecycleStatus> = {
  proposed: "draft",
  draft: "draft",
  active: "published",
  published: "published",
  deprecated: "deprecated",
  retired: "retired",
};
const STATUS_WRITE: Record<LifecycleStatus, string> = { draft: "draft", published: "active", deprecated: "deprecated", retired: "retired" };

export const readStatus = (v: unknown): LifecycleStatus | undefined => STATUS_READ[str(v)?.trim().toLowerCase() ?? ""];
export const writeStatus = (status: LifecycleStatus, source: unknown): string =>
  typeof source === "string" && readStatus(source) === status ? source : STATUS_WRITE[status];

// ---------------------------------------------------------------------------------------------
// Classification

export function readClassification(v: unknown): Classification | undefined {
  const c = str(v)?.trim().toLowerCase();
  return (CLASSIFICATIONS as readonly string[]).includes(c ?? "") ? (c as Classification) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Product text: summary + markdown description <-> description { purpose, limitations, usage }

const SUMMARY_MAX = 300;
const H_LIMITATIONS = "## Limitations";
const H_USAGE = "## Usage";

function shorten(line: string): string {
  if (line.length <= SUMMARY_MAX) return line;
  const head = line.slice(0, SUMMARY_MAX);
  const sentence = Math.max(head.lastIndexOf(". "), head.lastIndexOf("! "), head.lastIndexOf("? "));
  if (sentence >= 40) return head.slice(0, sentence + 1);
  const space = head.lastIndexOf(" ", SUMMARY_MAX - 2);
  return `${head.slice(0, space > 40 ? space : SUMMARY_MAX - 1).trimEnd()}…`;
}

export function composeDescription(rest: string, limitations: string, usage: string): string {
  return [rest, limitations && `${H_LIMITATIONS}\n\n${limitations}`, usage && `${H_USAGE}\n\n${usage}`].filter(Boolean).join("\n\n");
}

function headingAt(text: string, heading: string, before = text.length): number {
  for (let i = text.lastIndexOf(heading, before); i >= 0; i = i === 0 ? -1 : text.lastIndexOf(heading, i - 1)) {
    if (i + heading.length > before) continue;
    const startOk = i === 0 || text.slice(i - 2, i) === "\n\n";
    if (startOk && text.startsWith("\n\n", i + heading.length)) return i;
  }
  return -1;
}

/** Splits a description written by composeDescription; anything else stays whole in `rest`. */
export function decomposeDescription(md: string): { rest: string; limitations: string; usage: string } {
  const text = md.trim();
  const u = headingAt(text, H_USAGE);
  const usage = u >= 0 ? text.slice(u + H_USAGE.length + 2).trim() : "";
  const beforeUsage = u >= 0 ? text.slice(0, u).trim() : text;
  const l = headingAt(beforeUsage, H_LIMITATIONS);
  const limitations = l >= 0 ? beforeUsage.slice(l + H_LIMITATIONS.length + 2).trim() : "";
  const rest = l >= 0 ? beforeUsage.slice(0, l).trim() : beforeUsage;
  if (composeDescription(rest, limitations, usage) === text) return { rest, limitations, usage };
  return { rest: text, limitations: "", usage: "" };
}

export function readProductText(desc: unknown): { summary: string; description: string } {
  const d = isObj(desc) ? desc : {};
  const purpose = (str(d.purpose) ?? "").trim();
  const lines = purpose.split(/\r?\n/);
  const first = (lines[0] ?? "").trim();
  let summary: string;
  let rest: string;
  if (first.length <= SUMMARY_MAX) {
    summary = first;
    rest = lines.slice(1).join("\n").trim();
  } else {
    // The summary is a shortened first sentence; the whole purpose goes into the description.
    summary = shorten(first);
    rest = purpose;
  }
  return { summary, description: composeDescription(rest, (str(d.limitations) ?? "").trim(), (str(d.usage) ?? "").trim()) };
}

export function writeProductText(summary: string, description: string, source: unknown): Obj | undefined {
  if (isObj(source)) {
    const r = readProductText(source);
    if (r.summary === summary && r.description === description) return source;
  }
  const { rest, limitations, usage } = decomposeDescription(description);
  const restFirst = (rest.split(/\r?\n/)[0] ?? "").trim();
  const purpose = restFirst.length > SUMMARY_MAX && shorten(restFirst) === summary ? rest : [summary, rest].filter(Boolean).join("\n\n");
  const out: Obj = isObj(source) ? { ...source } : {};
  put(out, "purpose", purpose || undefined);
  put(out, "limitations", limitations || undefined);
  put(out, "usage", usage || undefined);
  return Object.keys(out).length ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Tags

export const TAG_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const MAX_TAGS = 20;

export function readTags(tags: unknown): { tags: string[]; at: number[]; notes: Note[] } {
  const out: string[] = [];
  const at: number[] = [];
  const notes: Note[] = [];
  list(tags).forEach((t, i) => {
    if (typeof t !== "string") return;
    const n = t.trim().toLowerCase();
    if (!TAG_RE.test(n)) notes.push({ path: [i], message: `"${t}" is not a Canopy tag (lower-case letters, digits and -, at most 40); it is kept in the descriptor only` });
    else if (out.includes(n)) return;
    else if (out.length >= MAX_TAGS) notes.push({ path: [i], message: `Canopy keeps ${MAX_TAGS} tags; "${t}" is left out` });
    else {
      out.push(n);
      at.push(i);
    }
  });
  return { tags: out, at, notes };
}

export function writeTags(tags: readonly string[], source: unknown): string[] | undefined {
  const out: unknown[] = [];
  const emitted = new Set<string>();
  for (const t of list(source)) {
    if (typeof t !== "string") continue;
    const n = t.trim().toLowerCase();
    // Tags Canopy could not take in are kept; Canopy's tags keep the source's spelling.
    if (!TAG_RE.test(n) || tags.includes(n)) {
      out.push(t);
      emitted.add(n);
    }
  }
  for (const t of tags) if (!emitted.has(t)) out.push(t);
  return out.length || Array.isArray(source) ? (out as string[]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Team and owners

const OWNER_ROLES = new Set(["owner", "product owner", "data product owner", "dataproductowner", "productowner"]);
export const isOwnerRole = (role: unknown) => typeof role === "string" && OWNER_ROLES.has(role.trim().toLowerCase().replace(/[_-]+/g, " "));

/** Owners: team members whose role is owner and whose username is an e-mail address. */
export function readOwners(team: unknown): { owners: string[]; members: number[]; notes: Note[] } {
  const owners: string[] = [];
  const members: number[] = [];
  const notes: Note[] = [];
  list(isObj(team) ? team.members : undefined).forEach((m, j) => {
    if (!isObj(m) || !isOwnerRole(m.role)) return;
    const u = (str(m.username) ?? "").trim();
    if (!isEmail(u)) {
      notes.push({ path: ["members", j, "username"], message: `"${u}" is not an e-mail address, so Canopy cannot make them an owner; they stay in the descriptor only` });
      return;
    }
    if (owners.includes(u.toLowerCase())) return;
    owners.push(u.toLowerCase());
    members.push(j);
  });
  return { owners, members, notes };
}

// ---------------------------------------------------------------------------------------------
// Output port type (ODPS outputPorts[].type is free text)

export function readPortType(v: unknown): PortType | undefined {
  const t = str(v)?.trim().toLowerCase() ?? "";
  if (["table", "tables", "view", "views", "trino", "trino_table", "iceberg"].includes(t)) return "trino_table";
  if (["file", "files", "bucket", "buckets", "s3", "s3_bucket", "object storage"].includes(t)) return "s3_bucket";
  if (["api", "apis", "rest", "http"].includes(t)) return "api";
  return undefined;
}

export function writePortType(type: PortType, source: unknown): string {
  if (typeof source === "string") {
    const r = readPortType(source);
    if (r === type || r === undefined) return source;
  }
  return type === "trino_table" ? "tables" : type === "s3_bucket" ? "files" : "api";
}

// ---------------------------------------------------------------------------------------------
// Where a port is served: ODCS servers[] (+ the table name from schema[0])

const SERVED = new Set(["trino", "s3", "api"]);
/** Databases Trino reaches through a catalog: their tables are read as Trino tables. */
const VIA_TRINO = new Set([
  "postgres",
  "postgresql",
  "mysql",
  "oracle",
  "sqlserver",
  "db2",
  "redshift",
  "snowflake",
  "bigquery",
  "databricks",
  "hive",
  "impala",
  "presto",
  "vertica",
  "clickhouse",
  "synapse",
  "cloudsql",
  "informix",
  "glue",
]);
export const DEFAULT_TRINO_CATALOG = "iceberg";

const ident = (s: string) => {
  const t = s.trim().toLowerCase().replace(/[^a-z0-9_$-]+/g, "_");
  return /^[a-z0-9_]/.test(t) ? t : `_${t}`;
};

export type ServerReading = {
  type: PortType;
  location: string;
  bucket?: { maxSizeGiB: number; maxObjects?: number };
  /** The servers[] entry read; null when none was usable. */
  serverIndex: number | null;
  notes: Note[];
};

export function firstSchemaObject(contract: Obj | undefined): Obj | undefined {
  const s = list(contract?.schema)[0];
  return isObj(s) ? s : undefined;
}

export function tableNameOf(contract: Obj | undefined, portName: string): string {
  const s = firstSchemaObject(contract);
  return ident(str(s?.physicalName) ?? str(s?.name) ?? portName);
}

function readBucket(server: Obj): ServerReading["bucket"] {
  const size = getCustom(server.customProperties, CP.bucketMaxSize)?.value;
  const objects = getCustom(server.customProperties, CP.bucketMaxObjects)?.value;
  const num = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : undefined);
  const maxSizeGiB = num(size);
  if (maxSizeGiB === undefined) return undefined;
  const maxObjects = num(objects);
  return { maxSizeGiB, ...(maxObjects !== undefined ? { maxObjects } : {}) };
}

export function readServer(contract: Obj | undefined, portName: string, domain: string): ServerReading | null {
  const servers = list(contract?.servers);
  const table = tableNameOf(contract, portName);
  const candidates = servers.map((s, i) => ({ s, i })).filter((x): x is { s: Obj; i: number } => isObj(x.s) && SERVED.has(String(x.s.type)));
  const prod = candidates.find((c) => /^prod(uction)?$/i.test(String(c.s.environment ?? "")));
  const chosen = prod ?? candidates[0];
  const othersNote = (i: number): Note[] =>
    servers.length > 1
      ? [{ path: [], message: `Canopy serves a port from one place: servers[${i}] is used; the other servers stay in the descriptor only` }]
      : [];
  if (chosen) {
    const { s, i } = chosen;
    if (s.type === "trino")
      return { type: "trino_table", location: `${ident(String(s.catalog))}.${ident(String(s.schema))}.${table}`, serverIndex: i, notes: othersNote(i) };
    if (s.type === "s3") return { type: "s3_bucket", location: String(s.location), bucket: readBucket(s), serverIndex: i, notes: othersNote(i) };
    return { type: "api", location: String(s.location), serverIndex: i, notes: othersNote(i) };
  }
  const db = servers.map((s, i) => ({ s, i })).find((x): x is { s: Obj; i: number } => isObj(x.s) && VIA_TRINO.has(String(x.s.type)));
  if (db) {
    const { s, i } = db;
    const catalog = str(s.catalog) ?? str(s.database) ?? str(s.project) ?? str(s.server);
    const schema = str(s.schema) ?? str(s.dataset);
    if (catalog && schema) {
      const location = `${ident(catalog)}.${ident(schema)}.${table}`;
      return {
        type: "trino_table",
        location,
        serverIndex: i,
        notes: [
          {
            path: [i],
            message: `Canopy serves tables through Trino: this ${String(s.type)} server is read as the Trino table ${location} (a Trino catalog "${ident(catalog)}" must reach it)`,
          },
        ],
      };
    }
  }
  if (!domain) return null;
  const location = `${DEFAULT_TRINO_CATALOG}.${ident(domain)}.${table}`;
  return {
    type: "trino_table",
    location,
    serverIndex: null,
    notes: [
      {
        path: [],
        message: `no trino, s3 or api server says where port "${portName}" is served; Canopy registers it as the Trino table ${location}. Add a server to choose another place`,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Columns: ODCS schema[0].properties[]

const DEFAULT_PHYSICAL: Record<LogicalType, string> = {
  string: "varchar",
  number: "double",
  integer: "bigint",
  boolean: "boolean",
  date: "date",
  timestamp: "timestamp(6)",
  time: "time",
  object: "json",
  array: "array(varchar)",
};

const hasPiiTag = (tags: unknown) => list(tags).some((t) => typeof t === "string" && t.trim().toLowerCase() === "pii");

export function readColumn(prop: Obj): { column: ColumnSpec; notes: Note[] } {
  const notes: Note[] = [];
  const physical = str(prop.physicalType)?.trim();
  const logical = (LOGICAL_TYPES as readonly string[]).includes(str(prop.logicalType) ?? "") ? (prop.logicalType as LogicalType) : undefined;
  const logicalType = logical ?? (physical ? logicalTypeOf(physical) : "string");
  const rawClass = str(prop.classification);
  const classification = readClassification(rawClass);
  if (rawClass !== undefined && !classification)
    notes.push({
      path: ["classification"],
      message: `"${rawClass}" is not a Canopy classification (public, internal, confidential, restricted); Canopy treats the column as internal and keeps the value in the descriptor`,
    });
  const piiValue = getCustom(prop.customProperties, CP.pii)?.value;
  return {
    column: {
      name: (str(prop.name) ?? "").trim(),
      physicalType: physical || DEFAULT_PHYSICAL[logicalType],
      logicalType,
      description: (str(prop.description) ?? "").trim(),
      classification: classification ?? "internal",
      pii: piiValue === true || piiValue === "true" || hasPiiTag(prop.tags),
      required: prop.required === true,
      primaryKey: prop.primaryKey === true,
    },
    notes,
  };
}

export function writeColumn(col: ColumnSpec, source: Obj | undefined): Obj {
  if (!source) {
    const out: Obj = { name: col.name, logicalType: col.logicalType, physicalType: col.physicalType };
    if (col.description) out.description = col.description;
    out.classification = col.classification;
    if (col.required) out.required = true;
    if (col.primaryKey) out.primaryKey = true;
    if (col.pii) out.customProperties = [{ property: CP.pii, value: true }];
    return out;
  }
  const r = readColumn(source).column;
  const out: Obj = { ...source, name: col.name };
  if (r.logicalType !== col.logicalType) out.logicalType = col.logicalType;
  if (r.physicalType !== col.physicalType) out.physicalType = col.physicalType;
  if (r.description !== col.description) put(out, "description", col.description || undefined);
  if (r.classification !== col.classification) out.classification = col.classification;
  if (r.required !== col.required) out.required = col.required;
  if (r.primaryKey !== col.primaryKey) out.primaryKey = col.primaryKey;
  if (r.pii !== col.pii) {
    if (col.pii) out.customProperties = setCustom(source.customProperties, CP.pii, true);
    else {
      put(out, "customProperties", setCustom(source.customProperties, CP.pii, undefined));
      if (Array.isArray(source.tags)) out.tags = source.tags.filter((t) => !(typeof t === "string" && t.trim().toLowerCase() === "pii"));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Quality rules: ODCS quality[] on schema[0] (the table) and on its properties (a column)

const RANGE_OPERATORS = ["mustBeBetween", "mustNotBeBetween"] as const;
const ALL_OPERATORS: readonly string[] = [...QUALITY_OPERATORS, ...RANGE_OPERATORS];
const CANOPY_METRICS = new Set(["nullValues", "duplicateValues", "rowCount"]);

export function readRule(entry: unknown, column: string): { rule: QualityRule | null; why?: string } {
  if (!isObj(entry)) return { rule: null };
  const type = str(entry.type) ?? (entry.metric !== undefined ? "library" : entry.query !== undefined ? "sql" : "library");
  if (type !== "library" && type !== "sql") return { rule: null, why: `${type} checks stay in the descriptor; Canopy does not run them` };
  const ops = ALL_OPERATORS.filter((k) => k in entry);
  if (ops.length !== 1) return { rule: null, why: "a check needs exactly one comparison (mustBe, mustBeLessThan, …)" };
  const operator = ops[0] as (typeof QUALITY_OPERATORS)[number];
  if (!(QUALITY_OPERATORS as readonly string[]).includes(operator)) return { rule: null, why: `Canopy does not run ${operator} checks; it stays in the descriptor` };
  const threshold = entry[operator];
  if (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold < 0)
    return { rule: null, why: "Canopy runs checks that compare with a number of 0 or more; this one stays in the descriptor" };
  const unit = str(entry.unit)?.trim().toLowerCase();
  if (unit && !["rows", "row", "count"].includes(unit)) return { rule: null, why: `Canopy counts rows; a check in ${unit} stays in the descriptor` };
  const description = (str(entry.description) ?? "").trim();
  if (type === "sql") {
    const query = (str(entry.query) ?? "").trim();
    if (!query) return { rule: null, why: "an SQL check needs a query" };
    return { rule: { metric: "sql", column, operator, threshold, query, description } };
  }
  const metric = str(entry.metric) ?? "";
  if (!CANOPY_METRICS.has(metric)) return { rule: null, why: `Canopy does not run ${metric || "these"} checks; it stays in the descriptor` };
  return { rule: { metric: metric as QualityRule["metric"], column, operator, threshold, query: "", description } };
}

function writeRule(rule: QualityRule, source?: unknown): unknown {
  if (source !== undefined && deepEqual(readRule(source, rule.column).rule, rule)) return source;
  const out: Obj = isObj(source) ? omit(source, [...ALL_OPERATORS, "metric", "query", "rule"]) : {};
  if (rule.metric === "sql") {
    out.type = "sql";
    out.query = rule.query;
  } else {
    if (out.type !== undefined) out.type = "library";
    out.metric = rule.metric;
  }
  out[rule.operator] = rule.threshold;
  put(out, "description", rule.description || undefined);
  return out;
}

/** Pairs items Canopy models with source entries: equal readings first, then in order; unmodelled entries stay in place. */
function pairWithSource<T>(
  items: readonly T[],
  source: unknown,
  read: (entry: unknown) => T | null,
  write: (item: T, src?: unknown) => unknown,
  sameSlot: (item: T, reading: T) => boolean = () => true,
): unknown[] | undefined {
  const src = list(source);
  const readings = src.map((e) => read(e));
  const bySource = new Map<number, number>();
  const used = new Set<number>();
  items.forEach((item, k) => {
    const i = readings.findIndex((r, i) => r !== null && !bySource.has(i) && deepEqual(r, item));
    if (i >= 0) {
      bySource.set(i, k);
      used.add(k);
    }
  });
  items.forEach((item, k) => {
    if (used.has(k)) return;
    const i = readings.findIndex((r, i) => r !== null && !bySource.has(i) && sameSlot(item, r));
    if (i >= 0) {
      bySource.set(i, k);
      used.add(k);
    }
  });
  const out: unknown[] = [];
  src.forEach((e, i) => {
    if (readings[i] === null) out.push(e);
    else if (bySource.has(i)) out.push(write(items[bySource.get(i)!]!, e));
  });
  items.forEach((item, k) => {
    if (!used.has(k)) out.push(write(item));
  });
  return out.length || Array.isArray(source) ? out : undefined;
}

export function writeRules(rules: readonly QualityRule[], source: unknown, column: string): unknown[] | undefined {
  return pairWithSource(
    rules,
    source,
    (e) => readRule(e, column).rule,
    (r, s) => writeRule(r, s),
    (a, b) => a.metric === b.metric,
  );
}

// ---------------------------------------------------------------------------------------------
// SLA: ODCS slaProperties[]

const UNIT_ALIASES: Record<string, (typeof SLA_UNITS)[number]> = {};
for (const [unit, words] of Object.entries({
  m: ["m", "min", "mins", "minute", "minutes"],
  h: ["h", "hr", "hrs", "hour", "hours"],
  d: ["d", "day", "days"],
  w: ["w", "wk", "week", "weeks"],
  y: ["y", "yr", "yrs", "year", "years"],
  "%": ["%", "percent", "pct"],
}))
  for (const w of words) UNIT_ALIASES[w] = unit as (typeof SLA_UNITS)[number];

export function readSla(entry: unknown): { sla: SlaSpec | null; why?: string } {
  if (!isObj(entry)) return { sla: null };
  const property = str(entry.property) ?? "";
  if (!Object.prototype.hasOwnProperty.call(SLA_PROPERTIES, property)) return { sla: null };
  const value = entry.value;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    return { sla: null, why: `Canopy checks ${property} when its value is a number; this one stays in the descriptor` };
  const rawUnit = str(entry.unit)?.trim().toLowerCase();
  const unit = rawUnit ? UNIT_ALIASES[rawUnit] : property === "availability" ? "%" : undefined;
  if (!unit) return { sla: null, why: `${property} needs a unit Canopy knows (${SLA_UNITS.join(", ")}); this one stays in the descriptor` };
  return { sla: { property: property as SlaSpec["property"], value, unit, element: (str(entry.element) ?? "").trim() } };
}

function writeSla(sla: SlaSpec, source?: unknown): unknown {
  if (source !== undefined && deepEqual(readSla(source).sla, sla)) return source;
  const out: Obj = isObj(source) ? { ...source } : {};
  out.property = sla.property;
  out.value = sla.value;
  out.unit = sla.unit;
  put(out, "element", sla.element || undefined);
  return out;
}

export function writeSlaProperties(sla: readonly SlaSpec[], source: unknown): unknown[] | undefined {
  return pairWithSource(sla, source, (e) => readSla(e).sla, writeSla, (a, b) => a.property === b.property);
}

// ---------------------------------------------------------------------------------------------
// Approvers: e-mail addresses in ODCS roles[].firstLevelApprovers (the contract's `approvers`, the
// first approval step) and roles[].secondLevelApprovers (`secondLevelApprovers`, a second step).
// Other words in those fields ("Reporting Manager") are not addresses: they are kept, not read.

const APPROVER_FIELDS = { approvers: "firstLevelApprovers", secondLevelApprovers: "secondLevelApprovers" } as const;
type ApproverLevel = keyof typeof APPROVER_FIELDS;
export type ApproverLevels = { approvers: string[]; secondLevelApprovers: string[] };

const splitApprovers = (s: string) =>
  s
    .split(/[,;]/)
    .map((t) => t.trim())
    .filter(Boolean);

function readApproverField(roles: unknown, field: string): string[] {
  const out: string[] = [];
  for (const role of list(roles)) {
    if (!isObj(role)) continue;
    for (const t of splitApprovers(str(role[field]) ?? "")) if (isEmail(t) && !out.some((o) => o.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out;
}

/** The approvers of each step named in an ODCS `roles` list. */
export function readApprovers(roles: unknown): ApproverLevels {
  return { approvers: readApproverField(roles, APPROVER_FIELDS.approvers), secondLevelApprovers: readApproverField(roles, APPROVER_FIELDS.secondLevelApprovers) };
}

export const APPROVER_ROLE = "access-approvers";

export function writeRoles(wanted: ApproverLevels, source: unknown): unknown[] | undefined {
  const norm = (xs: readonly string[]) => xs.map((x) => x.toLowerCase()).sort();
  const current = readApprovers(source);
  const levels = Object.keys(APPROVER_FIELDS) as ApproverLevel[];
  if (levels.every((l) => deepEqual(norm(current[l]), norm(wanted[l])))) return Array.isArray(source) ? source : undefined;
  const want = Object.fromEntries(levels.map((l) => [l, new Set(wanted[l].map((a) => a.toLowerCase()))])) as Record<ApproverLevel, Set<string>>;
  const emitted = Object.fromEntries(levels.map((l) => [l, new Set<string>()])) as Record<ApproverLevel, Set<string>>;
  const out = list(source).map((role) => {
    if (!isObj(role)) return role;
    const copy: Obj = { ...role };
    for (const level of levels) {
      const f = APPROVER_FIELDS[level];
      const raw = str(role[f]);
      if (raw === undefined) continue;
      const tokens = splitApprovers(raw);
      const keep = tokens.filter((t) => !isEmail(t) || want[level].has(t.toLowerCase()));
      keep.forEach((t) => emitted[level].add(t.toLowerCase()));
      if (keep.length !== tokens.length) put(copy, f, keep.length ? keep.join(", ") : undefined);
    }
    return copy;
  });
  const missing = Object.fromEntries(levels.map((l) => [l, wanted[l].filter((a) => !emitted[l].has(a.toLowerCase()))])) as Record<ApproverLevel, string[]>;
  if (missing.approvers.length || missing.secondLevelApprovers.length) {
    const role: Obj = { role: APPROVER_ROLE, access: "read" };
    for (const level of levels) if (missing[level].length) role[APPROVER_FIELDS[level]] = missing[level].join(", ");
    out.push(role);
  }
  return out.length || Array.isArray(source) ? out : undefined;
}

// ---------------------------------------------------------------------------------------------
// Purposes that see personal data unmasked: ODCS contract customProperties `canopyPiiPurposes`
// (a list of purpose categories).

/** The purpose categories a contract lists for unmasked personal data, and the values it could not read. */
export function readPiiPurposes(customProperties: unknown): { purposes: PurposeCategory[]; unknown: unknown[]; index?: number } {
  const prop = getCustom(customProperties, CP.piiPurposes);
  if (!prop) return { purposes: [], unknown: [] };
  const values = Array.isArray(prop.value) ? prop.value : typeof prop.value === "string" ? prop.value.split(",").map((v) => v.trim()).filter(Boolean) : [prop.value];
  const purposes: PurposeCategory[] = [];
  const unknown: unknown[] = [];
  for (const v of values) {
    if (typeof v === "string" && Object.prototype.hasOwnProperty.call(PURPOSE_CATEGORIES, v)) {
      if (!purposes.includes(v as PurposeCategory)) purposes.push(v as PurposeCategory);
    } else unknown.push(v);
  }
  return { purposes, unknown, index: prop.index };
}

export function writePiiPurposes(purposes: readonly string[], source: unknown): unknown[] | undefined {
  const current = readPiiPurposes(source);
  if (deepEqual([...current.purposes].sort(), [...purposes].sort())) return Array.isArray(source) ? source : undefined;
  return setCustom(source, CP.piiPurposes, purposes.length ? [...purposes] : undefined);
}

// ---------------------------------------------------------------------------------------------
// Terms of use: ODCS description { purpose, limitations, usage }

const TERMS = ["purpose", "limitations", "usage"] as const;

export function readTerms(desc: unknown): { purpose: string; limitations: string; usage: string } {
  const d = isObj(desc) ? desc : {};
  return {
    purpose: (str(d.purpose) ?? "").trim(),
    limitations: (str(d.limitations) ?? "").trim(),
    usage: (str(d.usage) ?? "").trim(),
  };
}

export function writeTerms(terms: { purpose: string; limitations: string; usage: string }, source: unknown): Obj | undefined {
  const current = readTerms(source);
  const out: Obj = isObj(source) ? { ...source } : {};
  for (const k of TERMS) if (current[k] !== terms[k]) put(out, k, terms[k] || undefined);
  return Object.keys(out).length ? out : undefined;
}
