import { OM_TRINO_SERVICE } from "@/lib/provisioning/metadata";
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from "@/lib/audit/record";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { NotFoundError, UserError } from "@/lib/errors";
import { IntegrationError } from "@/lib/integrations/http";
import { fqn as omFqn, splitFqn as splitOmFqn } from "@/lib/integrations/openmetadata/client";
import type { OmLineageEdge, OpenMetadataClient } from "@/lib/integrations/openmetadata/types";
import { isPermanent } from "@/lib/jobs/worker";
import { syncEdges, type EdgeInput, type EdgeRef } from "@/lib/lineage/assets";

/**
 * Lineage with OpenMetadata, per product. Pull: the product's tables are looked up in OpenMetadata
 * (under the database service Canopy shares them to), their lineage is read up- and downstream, and
 * table → table and column → column edges are merged into Canopy's asset lineage as source
 * "openmetadata" — edges of other sources, manual ones above all, are never touched. Push: the
 * product's dependencies (its input ports) become lineage edges between OpenMetadata data products.
 * Runs as an outbox job; every run is recorded in lineage_imports and audited.
 */

export const OM_LINEAGE_SYNC_JOB = "lineage.openmetadata.sync";
export const OM_LINEAGE_SWEEP_JOB = "lineage.openmetadata.sweep";

export { OM_TRINO_SERVICE };
/** OpenMetadata answers at most three hops each way. */
export const OM_MAX_DEPTH = 3;
export const OM_DEFAULT_DEPTH = 3;
/** A sweep looks for products to sync this often; each product is synced when it changed, and at least daily. */
export const OM_SWEEP_EVERY_MS = 15 * 60_000;
export const OM_REFRESH_AFTER_MS = 24 * 60 * 60_000;
/** At most this many products are queued per sweep (the next sweep takes the rest). */
export const OM_SWEEP_BATCH = 100;
/** Pushed edges carry this at the start of their description, so a later sync recognises (and may remove) its own edges only. */
export const OM_PUSH_MARKER = "Canopy product dependency";

export const OM_NOT_CONFIGURED = "OpenMetadata is not configured: lineage comes from descriptors, dbt imports and manual edges only.";
const LISTED_EDGES = 50;

export type OmSyncSummary = {
  depth: { upstream: number; downstream: number };
  /** The product's tables (Canopy fqns) found in OpenMetadata, and those it does not know (yet). */
  tables: { found: string[]; missing: string[] };
  /** What the pull read: edges between tables, between columns, and edges left out (other entity types, names Canopy cannot hold). */
  pulled: { tableEdges: number; columnEdges: number; skipped: number };
  /** What the merge changed in Canopy (source "openmetadata" only). */
  edges: { added: number; removed: number; updated: number; unchanged: number; addedEdges: EdgeRef[]; removedEdges: EdgeRef[] };
  /** Product-level lineage written to OpenMetadata (data product → data product), by upstream product slug. */
  pushed: {
    dataProduct: string | null;
    added: string[];
    unchanged: string[];
    removed: string[];
    skipped: { upstream: string; reason: string }[];
    error: string | null;
  };
};

export type OmSyncPayload = { productId: string; depth?: number; actor?: { id: string | null; label: string } | null; reason?: string };

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/** A name part Canopy can store unquoted (lib/lineage/assets.ts refuses the rest). */
const PLAIN_PART = /^[^\s"`.\u0000-\u001f]+$/;

/** `catalog.schema.table` of a trino_table port → its OpenMetadata parts [service, catalog, schema, table]. */
function omPartsOfLocation(location: string): [string, string, string, string] | null {
  const parts = location.trim().split(".");
  if (parts.length !== 3 || parts.some((p) => !PLAIN_PART.test(p))) return null;
  return [OM_TRINO_SERVICE, parts[0]!, parts[1]!, parts[2]!];
}

/**
 * OpenMetadata table FQN `service.database.schema.table` → Canopy table fqn `database.schema.table`
 * (for a Trino service the database is the catalog). The service is dropped, so the same table
 * ingested by OpenMetadata's own Trino connector and shared by Canopy is one asset. Null for names
 * Canopy cannot hold (other shapes, dots or spaces inside a part).
 */
export function canopyTableFqn(omTableFqn: string): string | null {
  let parts: string[];
  try {
    parts = splitOmFqn(omTableFqn);
  } catch {
    return null;
  }
  if (parts.length !== 4 || parts.some((p) => !PLAIN_PART.test(p))) return null;
  return parts.slice(1).join(".").toLowerCase();
}

/** A column FQN of the given OpenMetadata table → Canopy column fqn; null for nested or unusable names. */
function canopyColumnFqn(omColumnFqn: string, omTableFqn: string, tableFqn: string): string | null {
  if (!omColumnFqn.startsWith(`${omTableFqn}.`)) return null;
  let rest: string[];
  try {
    rest = splitOmFqn(omColumnFqn.slice(omTableFqn.length + 1));
  } catch {
    return null;
  }
  if (rest.length !== 1 || !PLAIN_PART.test(rest[0]!)) return null;
  return `${tableFqn}.${rest[0]!.toLowerCase()}`;
}

/** The data product's FQN in OpenMetadata (domain name, product slug; as the metadata push names it). */
export function omDataProductFqn(p: { slug: string; domain: { name: string } }): string {
  return omFqn(p.domain.name, p.slug);
}

// ---------------------------------------------------------------------------------------------
// Pull
// ---------------------------------------------------------------------------------------------

type PortTable = { fqn: string; omSchema: string; omName: string };

async function loadProduct(db: Tx, productId: string) {
  const p = await db.dataProduct.findUnique({
    where: { id: productId },
    select: {
      id: true,
      slug: true,
      domain: { select: { name: true } },
      outputPorts: { where: { type: "trino_table" }, select: { location: true } },
      dependencies: {
        select: {
          inputName: true,
          upstreamPort: { select: { name: true, product: { select: { id: true, slug: true, domain: { select: { name: true } } } } } },
        },
      },
    },
  });
  if (!p) throw new NotFoundError("No such product");
  return p;
}

function portTables(ports: { location: string }[]): PortTable[] {
  const out = new Map<string, PortTable>();
  for (const port of ports) {
    const parts = omPartsOfLocation(port.location);
    if (!parts) continue;
    const fqn = parts.slice(1).join(".").toLowerCase();
    out.set(fqn, { fqn, omSchema: omFqn(parts[0], parts[1], parts[2]), omName: parts[3] });
  }
  return [...out.values()];
}

/** Finds the product's tables in OpenMetadata, one (paged) listing per schema; names match case-insensitively. */
async function findTables(om: OpenMetadataClient, tables: PortTable[]) {
  const found = new Map<string, string>(); // Canopy fqn → OpenMetadata FQN
  const bySchema = new Map<string, PortTable[]>();
  for (const t of tables) bySchema.set(t.omSchema, [...(bySchema.get(t.omSchema) ?? []), t]);
  for (const [schema, wanted] of bySchema) {
    let listed: Awaited<ReturnType<OpenMetadataClient["listTables"]>>;
    try {
      listed = await om.listTables(schema);
    } catch (err) {
      // A schema OpenMetadata does not know holds none of the tables (yet).
      if (err instanceof IntegrationError && err.status === 404) continue;
      throw err;
    }
    const byName = new Map(listed.map((r) => [(r.name ?? "").toLowerCase(), r]));
    for (const t of wanted) {
      const hit = byName.get(t.omName.toLowerCase());
      if (hit) found.set(t.fqn, hit.fullyQualifiedName ?? omFqn(...splitOmFqn(schema), hit.name ?? t.omName));
    }
  }
  return found;
}

function edgeDetails(e: OmLineageEdge): Record<string, unknown> {
  return { lineageSource: e.source, ...(e.sqlQuery ? { sqlQuery: e.sqlQuery } : {}) };
}

/** Table and column edges of the lineage around the given tables, in Canopy names. */
async function pullEdges(om: OpenMetadataClient, omTables: string[], depth: { upstream: number; downstream: number }) {
  const edges = new Map<string, EdgeInput>();
  let skipped = 0;
  const seen = new Set<string>();
  for (const table of omTables) {
    const lineage = await om.getLineage("table", table, depth);
    for (const e of lineage.edges) {
      const key = `${e.from.type}:${e.from.fqn}→${e.to.type}:${e.to.fqn}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const from = e.from.type === "table" ? canopyTableFqn(e.from.fqn) : null;
      const to = e.to.type === "table" ? canopyTableFqn(e.to.fqn) : null;
      if (!from || !to || from === to) {
        skipped++;
        continue;
      }
      const details = edgeDetails(e);
      edges.set(`table|${from}|${to}`, { kind: "table", from, to, details });
      for (const c of e.columns) {
        const toCol = canopyColumnFqn(c.to, e.to.fqn, to);
        for (const f of c.from) {
          const fromCol = canopyColumnFqn(f, e.from.fqn, from);
          if (!fromCol || !toCol) {
            skipped++;
            continue;
          }
          edges.set(`column|${fromCol}|${toCol}`, { kind: "column", from: fromCol, to: toCol, details });
        }
      }
    }
  }
  return { edges: [...edges.values()], skipped };
}

// ---------------------------------------------------------------------------------------------
// Push
// ---------------------------------------------------------------------------------------------

type LoadedProduct = Awaited<ReturnType<typeof loadProduct>>;

/**
 * Writes the product's dependencies to OpenMetadata as data product → data product edges, adding
 * what is missing and removing edges Canopy pushed earlier for dependencies that are gone; edges
 * people drew in OpenMetadata are left alone. Data products OpenMetadata does not know yet are skipped.
 */
async function pushDependencies(om: OpenMetadataClient, p: LoadedProduct): Promise<OmSyncSummary["pushed"]> {
  const self = omDataProductFqn(p);
  const out: OmSyncSummary["pushed"] = { dataProduct: self, added: [], unchanged: [], removed: [], skipped: [], error: null };
  const upstream = new Map<string, { slug: string; ports: string[] }>();
  for (const d of p.dependencies) {
    const u = d.upstreamPort.product;
    if (u.id === p.id) continue;
    const key = omDataProductFqn(u);
    const entry = upstream.get(key) ?? { slug: u.slug, ports: [] };
    entry.ports.push(d.upstreamPort.name);
    upstream.set(key, entry);
  }
  try {
    let existing: OmLineageEdge[];
    try {
      existing = (await om.getLineage("dataProduct", self, { upstream: 1, downstream: 0 })).edges;
    } catch (err) {
      if (err instanceof IntegrationError && err.status === 404) {
        for (const u of upstream.values()) out.skipped.push({ upstream: u.slug, reason: `data product ${self} is not in OpenMetadata yet` });
        return { ...out, dataProduct: null };
      }
      throw err;
    }
    const current = new Map<string, OmLineageEdge>();
    for (const e of existing) if (e.to.type === "dataProduct" && e.to.fqn === self && e.from.type === "dataProduct") current.set(e.from.fqn, e);
    for (const [fromFqn, u] of [...upstream].sort(([a], [b]) => a.localeCompare(b))) {
      if (current.has(fromFqn)) {
        out.unchanged.push(u.slug);
        continue;
      }
      try {
        await om.addLineage({ id: "", type: "dataProduct", fullyQualifiedName: fromFqn }, { id: "", type: "dataProduct", fullyQualifiedName: self }, {
          description: `${OM_PUSH_MARKER}: ${p.slug} reads ${u.slug} (${[...new Set(u.ports)].sort().join(", ")})`,
        });
        out.added.push(u.slug);
      } catch (err) {
        if (!(err instanceof IntegrationError && err.status === 404)) throw err;
        out.skipped.push({ upstream: u.slug, reason: `data product ${fromFqn} is not in OpenMetadata yet` });
      }
    }
    for (const [fromFqn, e] of current) {
      if (upstream.has(fromFqn) || !e.description?.startsWith(OM_PUSH_MARKER)) continue;
      if (await om.deleteLineage({ id: "", type: "dataProduct", fullyQualifiedName: fromFqn }, { id: "", type: "dataProduct", fullyQualifiedName: self })) {
        out.removed.push(splitOmFqn(fromFqn).at(-1) ?? fromFqn);
      }
    }
  } catch (err) {
    // A refusal (permissions, a rejected body) is reported and the pulled lineage still merged; a
    // transient failure fails the run so that the worker tries again.
    if (!isPermanent(err)) throw err;
    out.error = err instanceof Error ? err.message : String(err);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One sync
// ---------------------------------------------------------------------------------------------

export function parseDepth(depth: unknown): number {
  if (depth === undefined || depth === null) return OM_DEFAULT_DEPTH;
  if (typeof depth !== "number" || !Number.isInteger(depth) || depth < 1 || depth > OM_MAX_DEPTH) {
    throw new UserError(`OpenMetadata lineage depth must be a whole number from 1 to ${OM_MAX_DEPTH}`, { status: 400, code: "invalid_input" });
  }
  return depth;
}

const toJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

async function actorFor(db: Tx, actor: OmSyncPayload["actor"]): Promise<AuditActor> {
  if (!actor?.id) return actor ? { id: null, label: actor.label } : SYSTEM_ACTOR;
  // The requester may have been removed since; the run is still recorded under their name.
  const exists = await db.user.findUnique({ where: { id: actor.id }, select: { id: true } });
  return { id: exists ? actor.id : null, label: actor.label };
}

/**
 * Pulls and merges the product's lineage and pushes its dependencies; records the run. Network
 * calls come first, then one transaction writes the edges, the import record and the audit event.
 */
export async function syncProductLineage(
  db: Db,
  om: OpenMetadataClient,
  productId: string,
  opts: { depth?: number; actor?: OmSyncPayload["actor"] } = {},
): Promise<{ importId: string; summary: OmSyncSummary }> {
  const depthN = parseDepth(opts.depth);
  const depth = { upstream: depthN, downstream: depthN };
  const p = await loadProduct(db, productId);
  const tables = portTables(p.outputPorts);
  const found = await findTables(om, tables);
  const pulled = await pullEdges(om, [...found.values()], depth);
  const pushed = await pushDependencies(om, p);
  const actor = await actorFor(db, opts.actor);

  return db.$transaction(async (tx) => {
    // Only tables OpenMetadata knows are in scope: a table it lacks (not shared yet) keeps its edges.
    const scopeTables = await tx.lineageAsset.findMany({ where: { kind: "table", fqn: { in: [...found.keys()] } }, select: { id: true } });
    const scopeColumns = scopeTables.length
      ? await tx.lineageAsset.findMany({ where: { kind: "column", tableId: { in: scopeTables.map((t) => t.id) } }, select: { id: true } })
      : [];
    const result = await syncEdges(tx, {
      source: "openmetadata",
      scope: { assetIds: [...scopeTables, ...scopeColumns].map((a) => a.id) },
      edges: pulled.edges,
      actorId: actor.id,
    });
    const summary: OmSyncSummary = {
      depth,
      tables: { found: [...found.keys()].sort(), missing: tables.map((t) => t.fqn).filter((f) => !found.has(f)).sort() },
      pulled: {
        tableEdges: pulled.edges.filter((e) => e.kind === "table").length,
        columnEdges: pulled.edges.filter((e) => e.kind === "column").length,
        skipped: pulled.skipped,
      },
      edges: {
        added: result.added,
        removed: result.removed,
        updated: result.updated,
        unchanged: result.unchanged,
        addedEdges: result.addedEdges.slice(0, LISTED_EDGES),
        removedEdges: result.removedEdges.slice(0, LISTED_EDGES),
      },
      pushed,
    };
    const run = await tx.lineageImport.create({
      data: { source: "openmetadata", actorId: actor.id, actor: actor.label, productId, status: "succeeded", summary: toJson(summary) },
      select: { id: true },
    });
    await recordAudit(tx, actor, {
      action: "lineage.openmetadata_synced",
      target: { type: "product", id: productId },
      after: {
        importId: run.id,
        slug: p.slug,
        depth: depthN,
        tables: summary.tables,
        edges: { added: result.added, removed: result.removed, updated: result.updated, unchanged: result.unchanged },
        pushed: { added: pushed.added, removed: pushed.removed, skipped: pushed.skipped.length, error: pushed.error },
      },
    });
    return { importId: run.id, summary };
  });
}

/** Records a run that failed for good: the import row and its audit event. */
export async function recordFailedSync(db: Db, productId: string, actorIn: OmSyncPayload["actor"], error: string) {
  const product = await db.dataProduct.findUnique({ where: { id: productId }, select: { id: true } });
  if (!product) return null;
  const actor = await actorFor(db, actorIn);
  return db.$transaction(async (tx) => {
    const run = await tx.lineageImport.create({
      data: { source: "openmetadata", actorId: actor.id, actor: actor.label, productId, status: "failed", error, summary: {} },
      select: { id: true },
    });
    await recordAudit(tx, actor, {
      action: "lineage.openmetadata_sync_failed",
      target: { type: "product", id: productId },
      after: { importId: run.id, error },
    });
    return run.id;
  });
}
