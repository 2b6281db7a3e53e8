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
