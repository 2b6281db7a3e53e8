import { createHash } from "node:crypto";
import { z } from "zod";
import { UserError } from "@/lib/errors";

/**
 * Reading a dbt `manifest.json` (schema v7 to v12, dbt 1.3 and later). The parts Canopy uses have
 * kept their shape across these versions: `nodes` (models, seeds, snapshots, tests…) and `sources`
 * keyed by unique id, each relation with `database` (the Trino catalog with dbt-trino), `schema` and
 * `alias` (sources: `identifier`), `depends_on.nodes`, and `columns` with descriptions; generic tests
 * carry `test_metadata` and, from v9 on, `attached_node`. Everything else is ignored, so fields
 * added by later dbt releases do not get in the way.
 */

/** Code-point order: stable whatever the locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const MAX_MANIFEST_BYTES = 50 * 1024 * 1024;
export const SUPPORTED_SCHEMA_VERSIONS = [7, 8, 9, 10, 11, 12] as const;

/** A manifest Canopy cannot import; the message says what is wrong. Nothing is changed. */
export class DbtManifestError extends UserError {
  static readonly kind: string = "DbtManifestError";
  constructor(message: string, opts: { status?: number; issues?: string[] } = {}) {
    super(message, { status: opts.status ?? 400, code: "invalid_manifest", ...(opts.issues ? { details: { issues: opts.issues } } : {}) });
    this.name = "DbtManifestError";
  }
}

const text = z.string();
const optText = z.string().nullish();

const columnSchema = z.looseObject({
  name: text,
  description: optText,
  data_type: optText,
});

const dependsOnSchema = z.looseObject({ nodes: z.array(text).nullish() }).nullish();

const configSchema = z
  .looseObject({
    enabled: z.boolean().nullish(),
    materialized: optText,
    severity: optText,
    where: optText,
    error_if: optText,
    warn_if: optText,
  })
  .nullish();

const nodeSchema = z.looseObject({
  unique_id: text,
  resource_type: text,
  name: text,
  package_name: text,
  database: optText,
  schema: optText,
  alias: optText,
  description: optText,
  relation_name: optText,
  columns: z.record(text, columnSchema).nullish(),
  depends_on: dependsOnSchema,
  config: configSchema,
  column_name: optText,
  attached_node: optText,
  test_metadata: z
    .looseObject({
      name: text,
      namespace: optText,
      kwargs: z.record(text, z.unknown()).nullish(),
    })
    .nullish(),
});

const sourceSchema = z.looseObject({
  unique_id: text,
  resource_type: text,
  name: text,
  source_name: text,
  package_name: text,
  database: optText,
  schema: text,
  identifier: optText,
  description: optText,
  columns: z.record(text, columnSchema).nullish(),
});

const manifestSchema = z.looseObject({
  metadata: z.looseObject({
    dbt_schema_version: text,
    dbt_version: optText,
    generated_at: optText,
    project_name: optText,
    project_id: optText,
    adapter_type: optText,
  }),
  nodes: z.record(text, nodeSchema),
  sources: z.record(text, sourceSchema).default({}),
});

export type ManifestNode = z.infer<typeof nodeSchema>;
export type ManifestSource = z.infer<typeof sourceSchema>;

export type DbtColumn = { name: string; description: string };

/** A table dbt builds or reads, under the fqn Canopy matches ports by. */
export type DbtTable = {
  fqn: string;
  /** As dbt names the relation (alias or identifier). */
  name: string;
  description: string;
  uniqueIds: string[];
  resourceType: "model" | "seed" | "snapshot" | "source";
  columns: DbtColumn[];
};

export type DbtEdge = { from: string; to: string; fromId: string; toId: string };

export type DbtTestKind = "not_null" | "unique" | "accepted_values" | "relationships";

export type DbtTest = {
  uniqueId: string;
  name: string;
  kind: DbtTestKind;
  /** The table the test checks and the column, as written in the test. */
  tableFqn: string;
  column: string;
  severity: "error" | "warn";
  where: string | null;
  /** error_if as written ("!= 0" by default). */
  errorIf: string;
  values?: unknown[];
  quote?: boolean;
  /** relationships: the referenced table and column. */
  toFqn?: string;
  toField?: string;
};

export type UnsupportedTest = { uniqueId: string; name: string; reason: string };
export type SkippedNode = { uniqueId: string; reason: string };

export type ParsedManifest = {
  project: string;
  schemaVersion: number;
  dbtVersion: string | null;
  generatedAt: string | null;
  adapter: string | null;
  tables: DbtTable[];
  edges: DbtEdge[];
  tests: DbtTest[];
  unsupportedTests: UnsupportedTest[];
  skippedNodes: SkippedNode[];
  counts: { models: number; seeds: number; snapshots: number; sources: number; tests: number };
};

const RELATION_TYPES = new Set(["model", "seed", "snapshot"]);

function issuesOf(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((i) => {
    const path = i.path
      .map((p, n) => (typeof p === "number" ? `[${p}]` : n > 0 && /[^A-Za-z0-9_]/.test(String(p)) ? `["${String(p)}"]` : n > 0 ? `.${String(p)}` : String(p)))
      .join("");
    return `${path || "(top level)"}: ${i.message}`;
  });
}

/** The manifest's schema version from `metadata.dbt_schema_version` (…/dbt/manifest/v12.json). */
export function schemaVersionOf(url: string): number | null {
  const m = /\/manifest\/v(\d+)(?:\.json)?\/?$/.exec(url.trim());
  return m ? Number.parseInt(m[1]!, 10) : null;
}

/** Parses JSON text (or an already parsed value) into the tables, edges and tests Canopy imports. */
export function parseManifest(input: string | Uint8Array | unknown, opts: { project?: string } = {}): ParsedManifest {
  let raw: unknown = input;
  if (typeof input === "string" || input instanceof Uint8Array) {
    const size = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
    if (size > MAX_MANIFEST_BYTES)
      throw new DbtManifestError(`The manifest is ${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_MANIFEST_BYTES / 1024 / 1024} MB`, { status: 413 });
    const textInput = typeof input === "string" ? input : new TextDecoder("utf-8", { fatal: false }).decode(input);
    if (!textInput.trim()) throw new DbtManifestError("The manifest is empty");
    try {
      raw = JSON.parse(textInput);
    } catch (err) {
      throw new DbtManifestError(`The manifest is not valid JSON (${err instanceof Error ? err.message : "parse error"})`);
    }
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new DbtManifestError("The manifest must be a JSON object with metadata, nodes and sources");
  const meta = (raw as { metadata?: { dbt_schema_version?: unknown } }).metadata;
  if (!meta || typeof meta !== "object") throw new DbtManifestError("This is not a dbt manifest: metadata is missing (is it run_results.json or catalog.json?)");
  if (typeof meta.dbt_schema_version !== "string") throw new DbtManifestError("This is not a dbt manifest: metadata.dbt_schema_version is missing");
  if (!/\/dbt\/manifest\//.test(meta.dbt_schema_version))
    throw new DbtManifestError(`This is not a dbt manifest: its schema is ${meta.dbt_schema_version} (expected …/dbt/manifest/v7.json to v12.json)`);
  const version = schemaVersionOf(meta.dbt_schema_version);
  if (version === null || !(SUPPORTED_SCHEMA_VERSIONS as readonly number[]).includes(version))
    throw new DbtManifestError(
      `dbt manifest schema ${version === null ? meta.dbt_schema_version : `v${version}`} is not supported: Canopy reads v7 (dbt 1.3) to v12 (dbt 1.8 and later)`,
    );
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    throw new DbtManifestError(`The manifest does not have the shape of a dbt v${version} manifest: ${issues.slice(0, 3).join("; ")}`, { issues });
  }
  return extract(parsed.data, version, opts);
}

type Manifest = z.infer<typeof manifestSchema>;

/**
 * The project the manifest describes: `metadata.project_name` (v10+); in older manifests the
 * package whose name hashes to `metadata.project_id` (dbt derives it that way), else the id itself.
 */
function projectOf(m: Manifest, override?: string): string {
  if (override?.trim()) return override.trim();
  if (m.metadata.project_name?.trim()) return m.metadata.project_name.trim();
  const id = m.metadata.project_id?.trim();
  const packages = new Set([...Object.values(m.nodes), ...Object.values(m.sources)].map((n) => n.package_name));
  if (id) {
    for (const p of packages) if (createHash("md5").update(p).digest("hex") === id) return p;
    return id;
  }
  if (packages.size === 1) return [...packages][0]!;
  throw new DbtManifestError("The manifest does not name its project (metadata.project_name or metadata.project_id); name it with the project parameter");
}

function identPart(s: string | null | undefined): string | null {
  const t = (s ?? "").trim().replace(/^"(.*)"$/, "$1").replace(/^`(.*)`$/, "$1");
  if (!t || /[."`\u0000-\u001f]/.test(t)) return null;
  return t.toLowerCase();
}

function relationOf(n: { database?: string | null; schema?: string | null }, identifier: string): string | null {
  const parts = [identPart(n.database), identPart(n.schema), identPart(identifier)];
  return parts.every(Boolean) ? parts.join(".") : null;
}

/** ref('orders'), ref('pkg', 'orders'), ref('orders', v=2), source('shop', 'orders') in test kwargs. */
function refTarget(s: unknown): { kind: "ref"; name: string } | { kind: "source"; source: string; name: string } | null {
  if (typeof s !== "string") return null;
  const src = /source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)/.exec(s);
  if (src) return { kind: "source", source: src[1]!, name: src[2]! };
  const ref = /ref\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?(?:,\s*v(?:ersion)?\s*=\s*['"]?[^)'"]+['"]?\s*)?\)/.exec(s);
  if (ref) return { kind: "ref", name: ref[2] ?? ref[1]! };
  return null;
}

function extract(m: Manifest, version: number, opts: { project?: string }): ParsedManifest {
  const project = projectOf(m, opts.project);
  const skippedNodes: SkippedNode[] = [];
  const fqnOf = new Map<string, string>();
  const ephemeral = new Map<string, string[]>();
  const tables = new Map<string, DbtTable>();
  const counts = { models: 0, seeds: 0, snapshots: 0, sources: 0, tests: 0 };

  const addTable = (fqn: string, t: Omit<DbtTable, "fqn" | "uniqueIds"> & { uniqueId: string }) => {
    const prev = tables.get(fqn);
    if (!prev) {
      tables.set(fqn, { fqn, name: t.name, description: t.description, resourceType: t.resourceType, uniqueIds: [t.uniqueId], columns: t.columns });
      return;
    }
    // A relation declared twice (a model and a source over its output): what the model says wins.
    prev.uniqueIds.push(t.uniqueId);
    if (!prev.description) prev.description = t.description;
    const names = new Set(prev.columns.map((c) => c.name.toLowerCase()));
    for (const c of t.columns) {
      const same = prev.columns.find((p) => p.name.toLowerCase() === c.name.toLowerCase());
      if (!names.has(c.name.toLowerCase())) prev.columns.push(c);
      else if (same && !same.description) same.description = c.description;
    }
  };
  const columnsOf = (cols: Record<string, { name: string; description?: string | null }> | null | undefined): DbtColumn[] =>
    Object.values(cols ?? {}).map((c) => ({ name: c.name, description: (c.description ?? "").trim() }));

  for (const n of Object.values(m.nodes)) {
    if (!RELATION_TYPES.has(n.resource_type)) continue;
    if (n.config?.enabled === false) continue;
    counts[`${n.resource_type}s` as "models" | "seeds" | "snapshots"]++;
    if (n.resource_type === "model" && n.config?.materialized === "ephemeral") {
      ephemeral.set(n.unique_id, n.depends_on?.nodes ?? []);
      continue;
    }
    const fqn = relationOf(n, n.alias ?? n.name);
    if (!fqn) {
      skippedNodes.push({ uniqueId: n.unique_id, reason: n.database ? "its relation name has characters Canopy cannot match" : "no database (Trino catalog) in the manifest" });
      continue;
    }
    fqnOf.set(n.unique_id, fqn);
    addTable(fqn, {
      uniqueId: n.unique_id,
      name: n.alias ?? n.name,
      description: (n.description ?? "").trim(),
      resourceType: n.resource_type as DbtTable["resourceType"],
      columns: columnsOf(n.columns),
    });
  }
  for (const s of Object.values(m.sources)) {
    counts.sources++;
    const fqn = relationOf(s, s.identifier ?? s.name);
    if (!fqn) {
      skippedNodes.push({ uniqueId: s.unique_id, reason: s.database ? "its relation name has characters Canopy cannot match" : "no database (Trino catalog) in the manifest" });
      continue;
    }
    fqnOf.set(s.unique_id, fqn);
    addTable(fqn, { uniqueId: s.unique_id, name: s.identifier ?? s.name, description: (s.description ?? "").trim(), resourceType: "source", columns: columnsOf(s.columns) });
  }

  // Upstream relations of a node, looking through ephemeral models (they are CTEs, not tables).
  const upstreamOf = (ids: string[], seen = new Set<string>()): string[] => {
    const out: string[] = [];
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      if (fqnOf.has(id)) out.push(id);
      else if (ephemeral.has(id)) out.push(...upstreamOf(ephemeral.get(id)!, seen));
    }
    return out;
  };

  const edges = new Map<string, DbtEdge>();
  for (const n of Object.values(m.nodes)) {
    const to = fqnOf.get(n.unique_id);
    if (!to || !RELATION_TYPES.has(n.resource_type)) continue;
    for (const upId of upstreamOf(n.depends_on?.nodes ?? [])) {
      const from = fqnOf.get(upId)!;
      if (from === to) continue;
      const key = `${from}>${to}`;
      if (!edges.has(key)) edges.set(key, { from, to, fromId: upId, toId: n.unique_id });
    }
  }

  const tests: DbtTest[] = [];
  const unsupportedTests: UnsupportedTest[] = [];
  const byName = new Map<string, string[]>();
  for (const n of Object.values(m.nodes)) if (RELATION_TYPES.has(n.resource_type)) byName.set(n.name, [...(byName.get(n.name) ?? []), n.unique_id]);
  const sourceId = (source: string, name: string) => Object.values(m.sources).find((s) => s.source_name === source && s.name === name)?.unique_id;
  const resolve = (target: ReturnType<typeof refTarget>, candidates: string[]): string | undefined => {
    if (!target) return undefined;
    if (target.kind === "source") {
      const id = sourceId(target.source, target.name);
      return id && (candidates.length === 0 || candidates.includes(id)) ? id : undefined;
    }
    const ids = byName.get(target.name) ?? [];
    return ids.find((id) => candidates.includes(id)) ?? (candidates.length === 0 ? ids[0] : undefined);
  };

  for (const n of Object.values(m.nodes)) {
    if (n.resource_type !== "test") continue;
    if (n.config?.enabled === false) continue;
    counts.tests++;
    const meta = n.test_metadata;
    const unsupported = (reason: string) => unsupportedTests.push({ uniqueId: n.unique_id, name: n.name, reason });
    if (!meta) {
      unsupported("a singular test (its own SQL file); only not_null, unique, accepted_values and relationships become quality rules");
      continue;
    }
    if (meta.namespace && meta.namespace !== "dbt") {
      unsupported(`${meta.namespace}.${meta.name} has no quality-rule equivalent`);
      continue;
    }
    if (!["not_null", "unique", "accepted_values", "relationships"].includes(meta.name)) {
      unsupported(`${meta.name} has no quality-rule equivalent`);
      continue;
    }
    const kind = meta.name as DbtTestKind;
    const kwargs = meta.kwargs ?? {};
    const column = typeof kwargs.column_name === "string" ? kwargs.column_name : n.column_name;
    if (!column) {
      unsupported("the test names no column");
      continue;
    }
    const deps = n.depends_on?.nodes ?? [];
    const attached = n.attached_node ?? resolve(refTarget(kwargs.model), deps) ?? (deps.length === 1 ? deps[0] : undefined);
    const tableFqn = attached ? fqnOf.get(attached) : undefined;
    if (!tableFqn) {
      unsupported(attached && ephemeral.has(attached) ? "it tests an ephemeral model, which is not a table" : "the table it tests is not in the manifest");
      continue;
    }
    const severity = (n.config?.severity ?? "error").toLowerCase() === "warn" ? "warn" : "error";
    const test: DbtTest = {
      uniqueId: n.unique_id,
      name: n.name,
      kind,
      tableFqn,
      column,
      severity,
      where: n.config?.where?.trim() || null,
      errorIf: n.config?.error_if?.trim() || "!= 0",
    };
    if (kind === "accepted_values") {
      if (!Array.isArray(kwargs.values) || kwargs.values.length === 0) {
        unsupported("accepted_values lists no values");
        continue;
      }
      test.values = kwargs.values;
      test.quote = kwargs.quote !== false;
    }
    if (kind === "relationships") {
      const parentId = resolve(refTarget(kwargs.to), deps.filter((d) => d !== attached));
      const toFqn = parentId ? fqnOf.get(parentId) : undefined;
      if (!toFqn || typeof kwargs.field !== "string") {
        unsupported("the referenced table or column is not in the manifest");
        continue;
      }
      test.toFqn = toFqn;
      test.toField = kwargs.field;
    }
    tests.push(test);
  }

  return {
    project,
    schemaVersion: version,
    dbtVersion: m.metadata.dbt_version ?? null,
    generatedAt: m.metadata.generated_at ?? null,
    adapter: m.metadata.adapter_type ?? null,
    tables: [...tables.values()].sort((a, b) => cmp(a.fqn, b.fqn)),
    edges: [...edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to)),
    tests: tests.sort((a, b) => cmp(a.uniqueId, b.uniqueId)),
    unsupportedTests: unsupportedTests.sort((a, b) => cmp(a.uniqueId, b.uniqueId)),
    skippedNodes,
    counts,
  };
}
