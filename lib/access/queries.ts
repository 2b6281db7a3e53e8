import { isPlatformAdmin, type Principal } from "@/lib/auth/permissions";
import { visibleProductsWhere } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

/** The `where` clause equivalent of `can(user, "access.decide", request)`. */
export function decidableRequestsWhere(user: Principal): Prisma.AccessRequestWhereInput {
  const notMine: Prisma.AccessRequestWhereInput = { requesterId: { not: user.id } };
  if (isPlatformAdmin(user)) return notMine;
  const stewardOf = user.domains.filter((d) => d.role === "steward").map((d) => d.domainId);
  return {
    AND: [
      notMine,
      {
        port: {
          product: {
            OR: [
              { owners: { some: { userId: user.id } } },
              ...(user.teamIds.length ? [{ ownerTeamId: { in: [...user.teamIds] } }] : []),
              ...(stewardOf.length ? [{ domainId: { in: stewardOf } }] : []),
            ],
          },
        },
      },
    ],
  };
}

const requestSelect = {
  id: true,
  status: true,
  purpose: true,
  durationDays: true,
  principalType: true,
  principalRef: true,
  createdAt: true,
  decidedAt: true,
  expiresAt: true,
  decisionNote: true,
  requester: { select: { name: true, email: true } },
  decidedBy: { select: { name: true } },
  port: { select: { name: true, product: { select: { slug: true, name: true, domain: { select: { name: true } } } } } },
} satisfies Prisma.AccessRequestSelect;

type Row = Prisma.AccessRequestGetPayload<{ select: typeof requestSelect }>;

function toDto(r: Row) {
  return {
    id: r.id,
    status: r.status,
    purpose: r.purpose,
    durationDays: r.durationDays,
    principal: `${r.principalType}:${r.principalRef}`,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    decisionNote: r.decisionNote,
    requester: r.requester,
    decidedBy: r.decidedBy?.name ?? null,
    port: r.port.name,
    product: { slug: r.port.product.slug, name: r.port.product.name, domain: r.port.product.domain.name },
  };
}
export type AccessRequestItem = ReturnType<typeof toDto>;

export async function listMyRequests(db: Tx, user: Principal) {
  const rows = await db.accessRequest.findMany({
    where: { requesterId: user.id, port: { product: visibleProductsWhere(user) } },
    select: requestSelect,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toDto);
}

export async function listWaitingOnMe(db: Tx, user: Principal) {
  const rows = await db.accessRequest.findMany({
    where: { AND: [decidableRequestsWhere(user), { status: "pending" }] },
    select: requestSelect,
    orderBy: { createdAt: "asc" },
  });
  return rows.map(toDto);
}
