import "server-only";
import { readContract } from "@/lib/access/approvers";
import { can, ownsProduct, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";

/**
 * Reads for the "Request access" form that the access service does not expose: who the user may
 * request for (themself, their teams and identity-provider groups, the data products they own) and
 * each port's terms of use. The service re-checks every choice when the request is made.
 */

export type PrincipalOptions = {
  groups: { ref: string; label: string; kind: "team" | "group" }[];
  products: { slug: string; name: string }[];
};

export async function principalOptions(db: Tx, user: Principal, excludeProductId?: string): Promise<PrincipalOptions> {
  const [me, teams, owned] = await Promise.all([
    db.user.findUnique({ where: { id: user.id }, select: { groups: true } }),
    user.teamIds.length ? db.team.findMany({ where: { id: { in: [...user.teamIds] } }, select: { slug: true, name: true }, orderBy: { name: "asc" } }) : [],
    db.dataProduct.findMany({
      where: {
        status: { not: "retired" },
        OR: [{ owners: { some: { userId: user.id } } }, ...(user.teamIds.length ? [{ ownerTeamId: { in: [...user.teamIds] } }] : [])],
        ...(excludeProductId ? { id: { not: excludeProductId } } : {}),
      },
      select: { ...productRefSelect },
      orderBy: { name: "asc" },
      take: 200,
    }),
  ]);
  const teamSlugs = new Set(teams.map((t) => t.slug));
  return {
    groups: [
      ...teams.map((t) => ({ ref: t.slug, label: t.name, kind: "team" as const })),
      ...[...new Set(me?.groups ?? [])]
        .filter((g) => !teamSlugs.has(g))
        .sort()
        .map((g) => ({ ref: g, label: g, kind: "group" as const })),
    ],
    products: owned.filter((p) => can(user, "product.read", toProductRef(p)) && ownsProduct(user, toProductRef(p))).map((p) => ({ slug: p.slug, name: p.name })),
  };
}

export type PortTerms = { purpose: string; limitations: string; usage: string; twoSteps: boolean; piiPurposes: string[] };

/** The terms of use of each output port of a product, keyed by port name. Call only for a product the user may read. */
export async function portTerms(db: Tx, productId: string): Promise<Record<string, PortTerms>> {
  const ports = await db.outputPort.findMany({ where: { productId }, select: { name: true, contract: true } });
  return Object.fromEntries(
    ports.map((p) => {
      const c = readContract(p.contract);
      return [p.name, { ...c.terms, twoSteps: c.secondLevelApprovers.length > 0, piiPurposes: [...c.piiPurposes] }];
    }),
  );
}
