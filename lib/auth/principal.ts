import type { Principal } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db/client";

/** The signed-in user as the permission module sees it, loaded fresh from the catalogue. */
export async function loadPrincipal(db: Tx, userId: string): Promise<Principal | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      roles: true,
      domainMemberships: { select: { domainId: true, role: true } },
      teamMemberships: { select: { teamId: true } },
    },
  });
  if (!user) return null;
  const teamIds = user.teamMemberships.map((t) => t.teamId);
  const owned = await db.dataProduct.count({
    where: { OR: [{ owners: { some: { userId } } }, ...(teamIds.length ? [{ ownerTeamId: { in: teamIds } }] : [])] },
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: user.roles,
    domains: user.domainMemberships,
    teamIds,
    ownsProducts: owned > 0,
  };
}

/** How audit events name the caller: the e-mail, and the API token when the request used one. */
export function auditLabel(user: Principal): string {
  if (!user.token) return user.email;
  return `${user.email} (${user.token.kind === "service" ? "service token" : "token"} ${user.token.name})`;
}
