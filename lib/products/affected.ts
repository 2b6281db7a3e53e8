import type { Principal } from "@/lib/auth/permissions";
import { visibleProductsWhere } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";

/**
 * Who a change to some output ports affects: consumers with active, unexpired access to them, and
 * downstream products that read them. Downstream products the viewer may not read (another team's
 * draft) are counted but not named.
 */

export type AffectedConsumer = {
  port: string;
  principalType: "user" | "group" | "product";
  /** A person's name and e-mail, a group name or a product slug. */
  principal: string;
  requestedBy: string;
  expiresAt: string | null;
};

export type AffectedProduct = {
  port: string;
  /** null when the viewer may not see the product. */
  product: { slug: string; name: string; status: string } | null;
  inputName: string | null;
  owners: string[];
};

export type Affected = { consumers: AffectedConsumer[]; downstream: AffectedProduct[] };

export async function affectedBy(db: Tx, viewer: Principal, productId: string, portNames: readonly string[], now = new Date()): Promise<Affected> {
  if (portNames.length === 0) return { consumers: [], downstream: [] };
  const ports = await db.outputPort.findMany({ where: { productId, name: { in: [...portNames] } }, select: { id: true, name: true } });
  const portName = new Map(ports.map((p) => [p.id, p.name]));
  const ids = ports.map((p) => p.id);
  const [grants, deps, visible] = await Promise.all([
    db.accessRequest.findMany({
      where: { portId: { in: ids }, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: [{ createdAt: "asc" }],
      select: { portId: true, principalType: true, principalRef: true, expiresAt: true, requester: { select: { id: true, name: true, email: true } } },
    }),
    db.productDependency.findMany({
      where: { upstreamPortId: { in: ids } },
      orderBy: [{ createdAt: "asc" }],
      select: {
        upstreamPortId: true,
        inputName: true,
        product: { select: { id: true, slug: true, name: true, status: true, owners: { select: { user: { select: { email: true } } } } } },
      },
    }),
    db.dataProduct.findMany({ where: { AND: [visibleProductsWhere(viewer)], dependencies: { some: { upstreamPortId: { in: ids } } } }, select: { id: true } }),
  ]);
  const userIds = grants.filter((g) => g.principalType === "user").map((g) => g.principalRef);
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [];
  const canSee = new Set(visible.map((v) => v.id));
  return {
    consumers: grants.map((g) => {
      const u = g.principalType === "user" ? users.find((x) => x.id === g.principalRef) : undefined;
      return {
        port: portName.get(g.portId)!,
        principalType: g.principalType,
        principal: u ? `${u.name} <${u.email}>` : g.principalRef,
        requestedBy: `${g.requester.name} <${g.requester.email}>`,
        expiresAt: g.expiresAt?.toISOString() ?? null,
      };
    }),
    downstream: deps.map((d) => {
      const shown = canSee.has(d.product.id);
      return {
        port: portName.get(d.upstreamPortId)!,
        product: shown ? { slug: d.product.slug, name: d.product.name, status: d.product.status } : null,
        inputName: shown ? d.inputName : null,
        owners: shown ? d.product.owners.map((o) => o.user.email).sort() : [],
      };
    }),
  };
}
