import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { authorize, can, type Principal, type ProductRef } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Db, Tx } from "@/lib/db/client";
import { ConflictError, NotFoundError, UserError } from "@/lib/errors";
import { ensureColumns, ensureTables, isTableFqn, normalizeFqn, tableOfColumn } from "@/lib/lineage/assets";
import { servingPorts } from "@/lib/lineage/queries";
import type { EdgeInput } from "@/lib/lineage/schemas";

/**
 * Manual asset-level edges: what no import knows (a Spark job, a spreadsheet someone loads by hand),
 * recorded by the people who answer for a product at either end, with a note saying why. Imports
 * never overwrite or remove them (each source keeps its own rows).
 */

export type ManualEdge = {
  id: string;
  kind: "table" | "column";
  from: string;
  to: string;
  source: "manual";
  note: string;
  createdBy: string | null;
  createdAt: string;
};

type Ctx = { user: Principal; actor: AuditActor };

/** The products serving a table (or a column's table); empty when none does. */
async function productsServing(tx: Tx, tableFqn: string): Promise<ProductRef[]> {
  const ports = await servingPorts(tx, [tableFqn]);
  if (!ports.length) return [];
  const rows = await tx.dataProduct.findMany({ where: { id: { in: [...new Set(ports.map((p) => p.productId))] } }, select: productRefSelect });
  return rows.map(toProductRef);
}

/** Whether the user may edit an edge between these tables: answering for a product at either end is enough. */
async function mayEdit(tx: Tx, user: Principal, fromTable: string, toTable: string) {
  const from = await productsServing(tx, fromTable);
  const to = await productsServing(tx, toTable);
  const ends = (refs: ProductRef[]) => (refs.length ? refs : [null]);
  for (const f of ends(from)) for (const t of ends(to)) if (can(user, "lineage.edit", { from: f, to: t })) return { ok: true as const, from: f, to: t };
  return { ok: false as const, from: from[0] ?? null, to: to[0] ?? null };
}

function tableOf(kind: "table" | "column", fqn: string, field: "from" | "to") {
  if (kind === "table") {
    if (!isTableFqn(fqn)) throw new UserError("Some fields need attention", { fieldErrors: { [field]: ["Name a table as catalog.schema.table"] } });
    return fqn;
  }
  const table = fqn.includes(".") ? tableOfColumn(fqn) : "";
  if (!isTableFqn(table)) throw new UserError("Some fields need attention", { fieldErrors: { [field]: ["Name a column as catalog.schema.table.column"] } });
  return table;
}

function fqnOrFieldError(value: string, field: "from" | "to") {
  try {
    return normalizeFqn(value);
  } catch (e) {
    if (e instanceof UserError) throw new UserError("Some fields need attention", { fieldErrors: { [field]: [e.message] } });
    throw e;
  }
}

export async function addManualEdge(db: Db, ctx: Ctx, input: EdgeInput): Promise<ManualEdge> {
  const from = fqnOrFieldError(input.from, "from");
  const to = fqnOrFieldError(input.to, "to");
  const fromTable = tableOf(input.kind, from, "from");
  const toTable = tableOf(input.kind, to, "to");
  if (from === to) throw new UserError("Some fields need attention", { fieldErrors: { to: ["An edge needs two different ends"] } });
  return db.$transaction(async (tx) => {
    const allowed = await mayEdit(tx, ctx.user, fromTable, toTable);
    if (!allowed.ok) {
      authorize(ctx.user, "lineage.edit", { from: allowed.from, to: allowed.to });
    }
    let ids: Map<string, string>;
    if (input.kind === "table") ids = await ensureTables(tx, [{ fqn: from }, { fqn: to }]);
    else {
      const name = (fqn: string) => fqn.slice(fqn.lastIndexOf(".") + 1);
      ids = await ensureColumns(tx, [
        { tableFqn: fromTable, name: name(from) },
        { tableFqn: toTable, name: name(to) },
      ]);
    }
    const fromId = ids.get(from)!;
    const toId = ids.get(to)!;
    const existing = await tx.lineageEdge.findUnique({ where: { fromId_toId_source: { fromId, toId, source: "manual" } }, select: { id: true } });
    if (existing) throw new ConflictError("This edge is recorded already");
    const edge = await tx.lineageEdge.create({
      data: { fromId, toId, source: "manual", note: input.note, createdById: ctx.user.id },
      select: { id: true, note: true, createdAt: true },
    });
    await recordAudit(tx, ctx.actor, {
      action: "lineage.edge_added",
      target: { type: "lineage_edge", id: edge.id },
      after: { kind: input.kind, from, to, source: "manual", note: input.note },
    });
    return { id: edge.id, kind: input.kind, from, to, source: "manual", note: edge.note, createdBy: ctx.user.name, createdAt: edge.createdAt.toISOString() };
  });
}

/** Removes a manual edge. Edges an import recorded are changed by importing again, not here. */
export async function removeManualEdge(db: Db, ctx: Ctx, id: string): Promise<{ id: string; removed: true }> {
  return db.$transaction(async (tx) => {
    const edge = await tx.lineageEdge.findUnique({
      where: { id },
      select: {
        id: true,
        source: true,
        note: true,
        from: { select: { kind: true, fqn: true, table: { select: { fqn: true } } } },
        to: { select: { fqn: true, table: { select: { fqn: true } } } },
      },
    });
    if (!edge) throw new NotFoundError("No such lineage edge");
    const fromTable = edge.from.table?.fqn ?? edge.from.fqn;
    const toTable = edge.to.table?.fqn ?? edge.to.fqn;
    const allowed = await mayEdit(tx, ctx.user, fromTable, toTable);
    if (!allowed.ok) authorize(ctx.user, "lineage.edit", { from: allowed.from, to: allowed.to });
    if (edge.source !== "manual")
      throw new ConflictError(`This edge comes from ${edge.source === "dbt" ? "a dbt import" : "OpenMetadata"}; it changes when that source is imported again`);
    await tx.lineageEdge.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: "lineage.edge_removed",
      target: { type: "lineage_edge", id },
      before: { kind: edge.from.kind, from: edge.from.fqn, to: edge.to.fqn, source: "manual", note: edge.note },
    });
    return { id, removed: true as const };
  });
}
