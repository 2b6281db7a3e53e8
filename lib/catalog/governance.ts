import type { Principal } from "@/lib/auth/permissions";
import { visibleProductsWhere } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import type { LifecycleStatus } from "@/lib/db/generated/enums";

/** Per domain: who stewards it and how many of its visible products are in each lifecycle state. */
export async function domainOverview(db: Tx, user: Principal) {
  const [domains, counts] = await Promise.all([
    db.domain.findMany({
      orderBy: { name: "asc" },
      select: {
        id: true,
        slug: true,
        name: true,
        description: true,
        members: { where: { role: "steward" }, select: { user: { select: { name: true, email: true } } } },
      },
    }),
    db.dataProduct.groupBy({ by: ["domainId", "status"], where: visibleProductsWhere(user), _count: { _all: true } }),
  ]);
  return domains.map((d) => {
    const byStatus: Partial<Record<LifecycleStatus, number>> = {};
    for (const c of counts) if (c.domainId === d.id) byStatus[c.status] = c._count._all;
    return { slug: d.slug, name: d.name, description: d.description, stewards: d.members.map((m) => m.user), byStatus };
  });
}

/** Product-level lineage edges between products the user may see; others are shown as restricted. */
export async function lineageEdges(db: Tx, user: Principal) {
  const visible = await db.dataProduct.findMany({ where: visibleProductsWhere(user), select: { id: true } });
  const ids = new Set(visible.map((v) => v.id));
  const edges = await db.productDependency.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      inputName: true,
      product: { select: { id: true, slug: true, name: true } },
      upstreamPort: { select: { name: true, product: { select: { id: true, slug: true, name: true } } } },
    },
  });
  const side = (p: { id: string; slug: string; name: string }) => (ids.has(p.id) ? { slug: p.slug, name: p.name } : null);
  return edges
    .map((e) => ({
      from: side(e.upstreamPort.product),
      port: e.upstreamPort.name,
      to: side(e.product),
      inputName: e.inputName,
    }))
    .filter((e) => e.from || e.to);
}
