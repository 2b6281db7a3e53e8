import type { Tx } from "@/lib/db/client";

export async function listUsers(db: Tx) {
  const users = await db.user.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      email: true,
      provider: true,
      roles: true,
      lastLoginAt: true,
      domainMemberships: { select: { role: true, source: true, domain: { select: { name: true } } } },
      teamMemberships: { select: { team: { select: { name: true } } } },
    },
  });
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    provider: u.provider,
    roles: u.roles,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    domains: u.domainMemberships.map((m) => ({ domain: m.domain.name, role: m.role, source: m.source })),
    teams: u.teamMemberships.map((t) => t.team.name),
  }));
}
