import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import { authorize, can, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { UserError } from "@/lib/errors";
import { evaluateAndGate } from "@/lib/governance/service";
import { ensureColumns, ensureTables, syncEdges } from "@/lib/lineage/assets";
import { parseManifest, type DbtTable, type DbtTest, type ParsedManifest } from "@/lib/lineage/dbt/manifest";
import { REPORT_LIST_LIMIT, type DbtImportReport, type ReportPort, type ReportRule } from "@/lib/lineage/dbt/report";
import { isDbtRule, MAX_RULES_PER_CONTRACT, ruleFor, ruleSignature, type DbtQualityRule } from "@/lib/lineage/dbt/rules";

/**
 * Importing a dbt manifest, in one transaction:
 * - every model, seed, snapshot and source becomes a table asset (with its columns), and each
 *   `depends_on` a table edge of source "dbt" owned by the manifest's project — the project's edges
 *   are replaced, manual and OpenMetadata edges and other projects' edges stay;
 * - on the output ports that serve those tables, column descriptions fill the port's column docs
 *   where the column has none or still has the text a dbt import put there (an owner's text is
 *   never overwritten), and the generic tests become contract quality rules replacing the rules an
 *   earlier import of the project wrote — only on ports whose product the importer may change
 *   (`product.update`); the others are reported as skipped.
 * A dry run does all of it and rolls back, so its report is exactly what the import would do.
 * Column-level lineage is not in a manifest and is not made up.
 */

/** Code-point order: stable whatever the locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const MAX_DESCRIPTION = 2000;
const TX_OPTIONS = { timeout: 120_000, maxWait: 15_000 };

export type DbtImportOptions = {
  dryRun?: boolean;
  /** The project to file edges under, when the manifest does not name it (schema v7–v9 name only a hash). */
  project?: string;
};

/** What dbt last wrote into a column's description, so a later import can tell it from an owner's text. */
type DocTrack = Record<string, { project: string; text: string }>;

type ContractJson = Record<string, unknown> & { quality?: unknown[]; dbtDocs?: DocTrack };

class DryRunRollback extends Error {
  constructor(readonly report: DbtImportReport) {
    super("dry run");
  }
}

const cap = <T,>(list: T[], flag: { truncated: boolean }) => {
  if (list.length > REPORT_LIST_LIMIT) flag.truncated = true;
  return list.slice(0, REPORT_LIST_LIMIT);
};

/**
 * Imports a manifest (JSON text, bytes, or already parsed) as `ctx.user`, who needs `lineage.import`.
 * Returns the report; a refused manifest throws a DbtManifestError and changes nothing (outside a
 * dry run the failed attempt is listed among the imports).
 */
export async function importDbtManifest(
  db: Db,
  ctx: { user: Principal; actor: AuditActor },
  manifest: string | Uint8Array | unknown,
  opts: DbtImportOptions = {},
): Promise<DbtImportReport> {
  authorize(ctx.user, "lineage.import", null);
  let parsed: ParsedManifest;
  try {
    parsed = parseManifest(manifest, { project: opts.project });
  } catch (err) {
    if (err instanceof UserError && !opts.dryRun) await recordFailure(db, ctx.actor, err.message);
    throw err;
  }
  try {
    return await db.$transaction(async (tx) => {
      const report = await applyManifest(tx, ctx, parsed, !!opts.dryRun);
      if (opts.dryRun) throw new DryRunRollback(report);
      return report;
    }, TX_OPTIONS);
  } catch (err) {
    if (err instanceof DryRunRollback) return err.report;
    if (err instanceof UserError && !opts.dryRun) await recordFailure(db, ctx.actor, err.message, parsed.project);
    throw err;
  }
}

async function recordFailure(db: Db, actor: AuditActor, error: string, project?: string) {
  await db.lineageImport.create({
    data: { source: "dbt", actorId: actor.id, actor: actor.label, status: "failed", error: error.slice(0, 2000), summary: project ? { project } : {} },
  });
}

type PortRow = Prisma.OutputPortGetPayload<{
  select: {
    id: true;
    name: true;
    location: true;
    type: true;
    contract: true;
    fields: { select: { id: true; name: true; description: true } };
    product: { select: typeof productRefSelect };
  };
}>;

async function applyManifest(tx: Tx, ctx: { user: Principal; actor: AuditActor }, m: ParsedManifest, dryRun: boolean): Promise<DbtImportReport> {
  // Two imports of the same project wait for each other instead of interleaving their edge sets.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`lineage:dbt:${m.project}`}))`;
  const flag = { truncated: false };

  await ensureTables(tx, m.tables.map((t) => ({ fqn: t.fqn, name: t.name, description: t.description })));
  await ensureColumns(tx, m.tables.flatMap((t) => t.columns.map((c) => ({ tableFqn: t.fqn, name: c.name, description: c.description }))).filter((c) => /^[^."`\s]+$/.test(c.name)));
  const edges = await syncEdges(tx, {
    source: "dbt",
    scope: { project: m.project },
    edges: m.edges.map((e) => ({ kind: "table" as const, from: e.from, to: e.to, details: { from: e.fromId, to: e.toId } })),
    actorId: ctx.actor.id,
  });

  const tables = new Map(m.tables.map((t) => [t.fqn, t]));
  const testsByTable = new Map<string, DbtTest[]>();
  for (const t of m.tests) testsByTable.set(t.tableFqn, [...(testsByTable.get(t.tableFqn) ?? []), t]);

  // The ports serving the manifest's tables, and any port still holding this project's rules.
  const ids = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id FROM output_ports WHERE type = 'trino_table' AND lower(location) = ANY($1::text[])
     UNION SELECT id::text FROM output_ports WHERE contract->'quality' @> $2::jsonb`,
    [...tables.keys()],
    JSON.stringify([{ source: "dbt", dbt: { project: m.project } }]),
  );
  const ports: PortRow[] = ids.length
    ? await tx.outputPort.findMany({
        where: { id: { in: ids.map((r) => r.id) } },
        select: {
          id: true,
          name: true,
          location: true,
          type: true,
          contract: true,
          fields: { select: { id: true, name: true, description: true }, orderBy: { position: "asc" } },
          product: { select: productRefSelect },
        },
      })
    : [];
  ports.sort((a, b) => cmp(a.product.slug, b.product.slug) || cmp(a.name, b.name));

  const servedTables = new Set<string>();
  const report: DbtImportReport = {
    importId: null,
    dryRun,
    project: m.project,
    schemaVersion: m.schemaVersion,
    dbtVersion: m.dbtVersion,
    generatedAt: m.generatedAt,
    counts: m.counts,
    tables: { total: m.tables.length, served: 0 },
    edges: { added: edges.added, removed: edges.removed, updated: edges.updated, unchanged: edges.unchanged, otherProjects: edges.ignored, addedList: [], removedList: [] },
    docs: { updated: [], kept: 0 },
    rules: { added: [], removed: [], unchanged: 0, covered: 0, withoutPort: 0, notApplied: [], unsupported: [] },
    ports: { changed: [], skipped: [], restricted: 0 },
    skippedNodes: [],
    truncated: false,
  };

  const fieldUpdates: { id: string; description: string }[] = [];
  const contractUpdates: { id: string; contract: ContractJson }[] = [];
  const changedProducts = new Map<string, { qualityChanged: boolean; ports: Record<string, unknown> }>();

  for (const port of ports) {
    const tableFqn = port.type === "trino_table" ? port.location.toLowerCase() : null;
    const table = tableFqn ? tables.get(tableFqn) : undefined;
    if (table) servedTables.add(table.fqn);
    const ref = toProductRef(port.product);
    const visible = can(ctx.user, "product.read", ref);
    const where: ReportPort = { product: port.product.slug, port: port.name };
    const plan = planPort(port, table, table ? (testsByTable.get(table.fqn) ?? []) : [], m.project);
    // Tests that cannot become rules on this port are worth reporting only where the importer may look.
    if (visible) for (const n of plan.notApplied) report.rules.notApplied.push({ ...n, ...where });
    if (!plan.changed) {
      if (visible) {
        report.rules.unchanged += plan.unchanged;
        report.rules.covered += plan.covered;
        report.docs.kept += plan.kept;
      }
      continue;
    }
    if (!visible) {
      report.ports.restricted++;
      continue;
    }
    const refusal =
      port.product.status === "retired"
        ? "the product is retired"
        : can(ctx.user, "product.update", ref)
          ? null
          : ctx.user.tokenScopes && can({ ...ctx.user, tokenScopes: undefined }, "product.update", ref)
            ? "the API token does not have the products:write scope"
            : "only the product's owners, its domain's stewards and admins may change its docs and quality rules";
    if (refusal) {
      report.ports.skipped.push({ ...where, reason: refusal });
      continue;
    }
    report.ports.changed.push(where);
    report.rules.unchanged += plan.unchanged;
    report.rules.covered += plan.covered;
    report.docs.kept += plan.kept;
    for (const d of plan.docs) {
      fieldUpdates.push({ id: d.fieldId, description: d.text });
      report.docs.updated.push({ ...where, column: d.column });
    }
    const toReport = (r: DbtQualityRule): ReportRule => ({ ...where, column: r.column, check: r.metric, test: r.dbt.test });
    report.rules.added.push(...plan.added.map(toReport));
    report.rules.removed.push(...plan.removed.map(toReport));
    if (plan.contractChanged) contractUpdates.push({ id: port.id, contract: plan.contract });
    const entry = changedProducts.get(port.product.id) ?? { qualityChanged: false, ports: {} };
    entry.qualityChanged ||= plan.added.length > 0 || plan.removed.length > 0;
    entry.ports[port.name] = {
      docsUpdated: plan.docs.map((d) => d.column),
      rulesAdded: plan.added.map((r) => r.dbt.test),
      rulesRemoved: plan.removed.map((r) => r.dbt.test),
    };
    changedProducts.set(port.product.id, entry);
  }
  for (const t of m.tests) if (!servedTables.has(t.tableFqn)) report.rules.withoutPort++;
  report.tables.served = servedTables.size;

  if (fieldUpdates.length)
    await tx.$executeRawUnsafe(
      `UPDATE schema_fields f SET description = x.description FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, description text) WHERE f.id = x.id`,
      JSON.stringify(fieldUpdates),
    );
  if (contractUpdates.length)
    await tx.$executeRawUnsafe(
      `UPDATE output_ports p SET contract = x.contract FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, contract jsonb) WHERE p.id = x.id`,
      JSON.stringify(contractUpdates),
    );

  report.edges.addedList = cap(edges.addedEdges, flag);
  report.edges.removedList = cap(edges.removedEdges, flag);
  report.docs.updated = cap(report.docs.updated, flag);
  report.rules.added = cap(report.rules.added, flag);
  report.rules.removed = cap(report.rules.removed, flag);
  report.rules.notApplied = cap(report.rules.notApplied, flag);
  report.rules.unsupported = cap(
    m.unsupportedTests.map((u) => ({ test: u.uniqueId, reason: u.reason })),
    flag,
  );
  report.skippedNodes = cap(m.skippedNodes, flag);
  report.truncated = flag.truncated;

  const run = await tx.lineageImport.create({
    data: { source: "dbt", actorId: ctx.actor.id, actor: ctx.actor.label, status: "succeeded", summary: {} },
    select: { id: true },
  });
  report.importId = dryRun ? null : run.id;
  await tx.lineageImport.update({ where: { id: run.id }, data: { summary: report as unknown as Prisma.InputJsonValue } });

  for (const [productId, change] of changedProducts) {
    // Quality rules are part of what governance policies check: the scorecard follows the import.
    if (change.qualityChanged) await evaluateAndGate(tx, productId, { gate: false });
    await recordAudit(tx, ctx.actor, {
      action: "product.dbt_imported",
      target: { type: "product", id: productId },
      after: { project: m.project, importId: run.id, ports: change.ports },
    });
  }
  await recordAudit(tx, ctx.actor, {
    action: "lineage.dbt_imported",
    target: { type: "lineage_import", id: run.id },
    after: {
      project: m.project,
      schemaVersion: m.schemaVersion,
      edges: { added: edges.added, removed: edges.removed, updated: edges.updated, unchanged: edges.unchanged },
      docsUpdated: fieldUpdates.length,
      rulesAdded: report.rules.added.length,
      rulesRemoved: report.rules.removed.length,
      portsChanged: report.ports.changed.length,
      portsSkipped: report.ports.skipped.length + report.ports.restricted,
    },
  });
  return report;
}

type PortPlan = {
  changed: boolean;
  contractChanged: boolean;
  contract: ContractJson;
  docs: { fieldId: string; column: string; text: string }[];
  kept: number;
  added: DbtQualityRule[];
  removed: DbtQualityRule[];
  unchanged: number;
  covered: number;
  notApplied: { test: string; reason: string }[];
};

/** JSON with object keys sorted: JSONB does not keep key order, so plain stringify would see changes that are not there. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

const bare = (name: string) => name.trim().replace(/^"(.*)"$/, "$1").replace(/^`(.*)`$/, "$1").toLowerCase();

/** What the manifest asks of one port: column docs and this project's quality rules. Pure. */
export function planPort(
  port: { contract: unknown; fields: { id: string; name: string; description: string }[] },
  table: DbtTable | undefined,
  tests: DbtTest[],
  project: string,
): PortPlan {
  const original: ContractJson = port.contract && typeof port.contract === "object" && !Array.isArray(port.contract) ? (port.contract as ContractJson) : {};
  const contract: ContractJson = structuredClone(original);
  const fieldByName = new Map(port.fields.map((f) => [f.name.toLowerCase(), f]));

  // Column docs.
  const track: DocTrack = { ...(contract.dbtDocs && typeof contract.dbtDocs === "object" ? contract.dbtDocs : {}) };
  const docs: PortPlan["docs"] = [];
  let kept = 0;
  for (const c of table?.columns ?? []) {
    const field = fieldByName.get(bare(c.name));
    const text = c.description.slice(0, MAX_DESCRIPTION).trim();
    if (!field || !text) continue;
    if (field.description === text) continue;
    const mine = track[field.name];
    if (field.description === "" || (mine && mine.text === field.description)) {
      docs.push({ fieldId: field.id, column: field.name, text });
      track[field.name] = { project, text };
    } else kept++;
  }

  // Quality rules.
  const quality = Array.isArray(contract.quality) ? contract.quality : [];
  const others = quality.filter((r) => !isDbtRule(r, project));
  const otherSigs = new Set(others.map((r) => ruleSignature(r as Record<string, unknown>)));
  const wanted = new Map<string, DbtQualityRule>();
  const notApplied: PortPlan["notApplied"] = [];
  let covered = 0;
  for (const t of tests) {
    const field = fieldByName.get(bare(t.column));
    if (!field) {
      notApplied.push({ test: t.uniqueId, reason: `the port has no column "${t.column}"` });
      continue;
    }
    const outcome = ruleFor(t, field.name, project);
    if (!outcome.ok) {
      notApplied.push({ test: t.uniqueId, reason: outcome.reason });
      continue;
    }
    const sig = ruleSignature(outcome.rule);
    if (otherSigs.has(sig)) covered++;
    else if (!wanted.has(sig)) wanted.set(sig, outcome.rule);
  }
  const removed: DbtQualityRule[] = [];
  let unchanged = 0;
  const kept2: unknown[] = [];
  for (const r of quality) {
    if (!isDbtRule(r, project)) {
      kept2.push(r);
      continue;
    }
    const sig = ruleSignature(r);
    const next = wanted.get(sig);
    if (next) {
      unchanged++;
      kept2.push(next);
      wanted.delete(sig);
    } else removed.push(r);
  }
  const added: DbtQualityRule[] = [];
  for (const r of wanted.values()) {
    if (kept2.length >= MAX_RULES_PER_CONTRACT) {
      notApplied.push({ test: r.dbt.test, reason: `the contract has ${MAX_RULES_PER_CONTRACT} quality rules already` });
      continue;
    }
    kept2.push(r);
    added.push(r);
  }
  if (quality.length || kept2.length) contract.quality = kept2;
  if (Object.keys(track).length) contract.dbtDocs = track;
  const contractChanged = stable(contract) !== stable(original);
  return {
    changed: contractChanged || docs.length > 0,
    contractChanged,
    contract,
    docs,
    kept,
    added,
    removed,
    unchanged,
    covered,
    notApplied,
  };
}

/** The latest dbt imports, newest first: all of them for admins, one's own for everyone else. */
export async function recentDbtImports(db: Db, user: Principal, limit = 10) {
  return db.lineageImport.findMany({
    where: { source: "dbt", ...(user.roles.includes("platform_admin") ? {} : { actorId: user.id }) },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, actor: true, status: true, error: true, createdAt: true, summary: true },
  });
}
