import { ownsProduct, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef, visibleProductsWhere } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { AccessBadge, QualityBadge } from "@/lib/lineage/types";

/**
 * What lineage shows about the products on a graph: their names only when the viewer may read them
 * (the catalogue's own where-clause decides), lifecycle, latest governance result and the viewer's
 * access. Everything is read in a fixed number of statements for the whole set, one after the
 * other (callers may pass a transaction, which has one connection).
 */

export type ProductFacts = {
  id: string;
  visible: boolean;
  slug: string;
  name: string;
  status: string;
  domain: string;
  domainId: string;
  quality: QualityBadge;
  access: AccessBadge;
  /** Access per output port id (ports the viewer has a grant or a pending request on). */
  portAccess: Map<string, AccessBadge>;
};

export async function productFacts(db: Tx, viewer: Principal, productIds: readonly string[]): Promise<Map<string, ProductFacts>> {
  const ids = [...new Set(productIds)];
  if (!ids.length) return new Map();
  const rows = await db.dataProduct.findMany({ where: { id: { in: ids } }, select: { ...productRefSelect, domain: { select: { slug: true } } } });
  const visible = await db.dataProduct.findMany({ where: { AND: [visibleProductsWhere(viewer), { id: { in: ids } }] }, select: { id: true } });
  const evaluations = await db.$queryRaw<{ product_id: string; blocking: number; failing: number }[]>`
    SELECT DISTINCT ON (product_id) product_id::text AS product_id, blocking, failing FROM policy_evaluations
    WHERE product_id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})
    ORDER BY product_id, evaluated_at DESC, id DESC`;
  // The viewer's own grants and requests in flight, per port.
  const requests = await db.accessRequest.findMany({
    where: {
      port: { productId: { in: ids } },
      status: { in: ["active", "pending", "approved", "provisioning"] },
      principalType: "user",
      principalRef: viewer.id,
    },
    select: { portId: true, status: true, expiresAt: true, port: { select: { productId: true } } },
  });
  const canSee = new Set(visible.map((v) => v.id));
  const quality = new Map(evaluations.map((e) => [e.product_id, e.blocking > 0 ? "failing" : e.failing > 0 ? "warning" : ("passing" as QualityBadge)]));
  const now = Date.now();
  const out = new Map<string, ProductFacts>();
  for (const p of rows) {
    const ref = toProductRef(p);
    const portAccess = new Map<string, AccessBadge>();
    for (const r of requests) {
      if (r.port.productId !== p.id) continue;
      const granted = r.status === "active" && (!r.expiresAt || r.expiresAt.getTime() > now);
      if (granted) portAccess.set(r.portId, "granted");
      else if (r.status !== "active" && portAccess.get(r.portId) !== "granted") portAccess.set(r.portId, "pending");
    }
    const owner = ownsProduct(viewer, ref);
    const access: AccessBadge = owner ? "owner" : [...portAccess.values()].includes("granted") ? "granted" : portAccess.size ? "pending" : "none";
    out.set(p.id, {
      id: p.id,
      visible: canSee.has(p.id),
      slug: p.slug,
      name: p.name,
      status: p.status,
      domain: p.domain.slug,
      domainId: p.domainId,
      quality: quality.get(p.id) ?? "unknown",
      access,
      portAccess: owner ? new Map() : portAccess,
    });
  }
  return out;
}

/** A served table's output port: trino_table ports are matched to table assets by location, case-insensitively. */
export type ServingPort = { id: string; productId: string; name: string; type: string; fqn: string };

export async function servingPorts(db: Tx, fqns: readonly string[]): Promise<ServingPort[]> {
  if (!fqns.length) return [];
  const rows = await db.$queryRawUnsafe<{ id: string; product_id: string; name: string; type: string; fqn: string }[]>(
    `SELECT o.id::text AS id, o.product_id::text AS product_id, o.name, o.type::text AS type, lower(o.location) AS fqn
     FROM output_ports o WHERE o.type = 'trino_table' AND lower(o.location) = ANY($1::text[])
     ORDER BY o.created_at, o.id`,
    [...new Set(fqns)],
  );
  return rows.map((r) => ({ id: r.id, productId: r.product_id, name: r.name, type: r.type, fqn: r.fqn }));
}

/** Serving ports grouped by the table they serve. */
export function byFqn(ports: readonly ServingPort[]): Map<string, ServingPort[]> {
  const m = new Map<string, ServingPort[]>();
  for (const p of ports) {
    const list = m.get(p.fqn);
    if (list) list.push(p);
    else m.set(p.fqn, [p]);
  }
  return m;
}

/** The table assets the given output ports serve (trino_table ports whose location names a known table). */
export async function servedTables(db: Tx, portIds: readonly string[]): Promise<{ portId: string; tableId: string; fqn: string }[]> {
  if (!portIds.length) return [];
  const rows = await db.$queryRawUnsafe<{ port_id: string; table_id: string; fqn: string }[]>(
    `SELECT o.id::text AS port_id, a.id::text AS table_id, a.fqn
     FROM output_ports o JOIN lineage_assets a ON a.kind = 'table' AND a.fqn = lower(o.location)
     WHERE o.id = ANY($1::uuid[]) AND o.type = 'trino_table'`,
    [...new Set(portIds)],
  );
  return rows.map((r) => ({ portId: r.port_id, tableId: r.table_id, fqn: r.fqn }));
}
