import { z } from "zod";
import { can, isPlatformAdmin, type Principal, type ProductRef } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { Classification, LifecycleStatus, PortType } from "@/lib/db/generated/enums";
import { optionalText } from "@/lib/http/schemas";

/**
 * Catalogue reads. Visibility is part of every `where` (drafts only for the people who may read
 * them, see `product.read` in the permission module); nothing here returns whole rows.
 */

export const LIFECYCLE_STATUSES = Object.values(LifecycleStatus);
export const CLASSIFICATIONS = Object.values(Classification);
export const PORT_TYPES = Object.values(PortType);

/** The `where` clause equivalent of `can(user, "product.read", product)`. */
export function visibleProductsWhere(user: Principal): Prisma.DataProductWhereInput {
  if (isPlatformAdmin(user)) return {};
  const stewardOf = user.domains.filter((d) => d.role === "steward").map((d) => d.domainId);
  return {
    OR: [
      { status: { not: "draft" } },
      { owners: { some: { userId: user.id } } },
      ...(user.teamIds.length ? [{ ownerTeamId: { in: [...user.teamIds] } }] : []),
      ...(stewardOf.length ? [{ domainId: { in: stewardOf } }] : []),
    ],
  };
}

export const productFilterSchema = z.object({
  q: optionalText,
  domain: optionalText,
  status: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.enum(LIFECYCLE_STATUSES as [LifecycleStatus, ...LifecycleStatus[]], { error: `status must be one of ${LIFECYCLE_STATUSES.join(", ")}` }).optional(),
  ),
  tag: optionalText,
});
export type ProductFilter = z.infer<typeof productFilterSchema>;

const productListSelect = {
  id: true,
  slug: true,
  name: true,
  summary: true,
  status: true,
  version: true,
  tags: true,
  classification: true,
  updatedAt: true,
  domain: { select: { slug: true, name: true } },
  ownerTeam: { select: { slug: true, name: true } },
  owners: { select: { user: { select: { name: true, email: true } } } },
  _count: { select: { outputPorts: true } },
} satisfies Prisma.DataProductSelect;

export type ProductListItem = {
  slug: string;
  name: string;
  summary: string;
  status: LifecycleStatus;
  version: string;
  tags: string[];
  classification: Classification;
  updatedAt: string;
  domain: { slug: string; name: string };
  ownerTeam: { slug: string; name: string } | null;
  owners: { name: string; email: string }[];
  portCount: number;
};

export const PRODUCT_LIST_LIMIT = 200;

export async function listProducts(db: Tx, user: Principal, filter: ProductFilter): Promise<ProductListItem[]> {
  const and: Prisma.DataProductWhereInput[] = [visibleProductsWhere(user)];
  if (filter.q) {
    and.push({
      OR: [
        { name: { contains: filter.q, mode: "insensitive" } },
        { summary: { contains: filter.q, mode: "insensitive" } },
        { slug: { contains: filter.q, mode: "insensitive" } },
        { tags: { has: filter.q.toLowerCase() } },
      ],
    });
  }
  if (filter.domain) and.push({ domain: { slug: filter.domain } });
  if (filter.status) and.push({ status: filter.status });
  if (filter.tag) and.push({ tags: { has: filter.tag } });
  const rows = await db.dataProduct.findMany({
    where: { AND: and },
    select: productListSelect,
    // Published first, then drafts, deprecated, retired; alphabetical within each.
    orderBy: [{ status: "asc" }, { name: "asc" }],
    take: PRODUCT_LIST_LIMIT,
  });
  const rank: Record<LifecycleStatus, number> = { published: 0, draft: 1, deprecated: 2, retired: 3 };
  return rows
    .map((p) => ({
      slug: p.slug,
      name: p.name,
      summary: p.summary,
      status: p.status,
      version: p.version,
      tags: p.tags,
      classification: p.classification,
      updatedAt: p.updatedAt.toISOString(),
      domain: p.domain,
      ownerTeam: p.ownerTeam,
      owners: p.owners.map((o) => o.user),
      portCount: p._count.outputPorts,
    }))
    .sort((a, b) => rank[a.status] - rank[b.status] || a.name.localeCompare(b.name));
}

export async function listDomainsWithCounts(db: Tx, user: Principal) {
  const domains = await db.domain.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      _count: { select: { products: { where: visibleProductsWhere(user) } } },
    },
    orderBy: { name: "asc" },
  });
  return domains.map((d) => ({
    slug: d.slug,
    name: d.name,
    description: d.description,
    productCount: d._count.products,
    canCreate: can(user, "product.create", { id: d.id }),
  }));
}

export async function listTags(db: Tx, user: Principal): Promise<string[]> {
  const rows = await db.dataProduct.findMany({ where: visibleProductsWhere(user), select: { tags: true } });
  return [...new Set(rows.flatMap((r) => r.tags))].sort();
}

/** What the permission module needs to decide about a product (see toProductRef). */
export const productRefSelect = {
  id: true,
  slug: true,
  name: true,
  status: true,
  domainId: true,
  ownerTeamId: true,
  owners: { select: { userId: true } },
} satisfies Prisma.DataProductSelect;

type RefRow = Prisma.DataProductGetPayload<{ select: typeof productRefSelect }>;
export const toProductRef = (p: RefRow): ProductRef => ({
  id: p.id,
  domainId: p.domainId,
  status: p.status,
  ownerIds: p.owners.map((o) => o.userId),
  ownerTeamId: p.ownerTeamId,
});

/** A product on the other end of a dependency; restricted when the viewer may not read it. */
export type LinkedProduct =
  | { restricted: false; slug: string; name: string; status: LifecycleStatus; port: string; inputName: string }
  | { restricted: true; port: null; inputName: string };

export type ProductDetail = NonNullable<Awaited<ReturnType<typeof getProductDetail>>>;

/** The product page; null when it does not exist or the user may not read it (both are "not found"). */
export async function getProductDetail(db: Tx, user: Principal, slug: string) {
  const p = await db.dataProduct.findUnique({
    where: { slug },
    select: {
      ...productRefSelect,
      summary: true,
      description: true,
      version: true,
      tags: true,
      classification: true,
      createdAt: true,
      updatedAt: true,
      publishedAt: true,
      domain: { select: { slug: true, name: true } },
      ownerTeam: { select: { slug: true, name: true } },
      owners: { select: { userId: true, user: { select: { name: true, email: true } } } },
      outputPorts: {
        orderBy: { name: "asc" },
        select: {
          id: true,
          name: true,
          type: true,
          location: true,
          description: true,
          classification: true,
          fields: {
            orderBy: { position: "asc" },
            select: {
              name: true,
              type: true,
              description: true,
              classification: true,
              pii: true,
              nullable: true,
              primaryKey: true,
              position: true,
            },
          },
          consumers: {
            select: { inputName: true, product: { select: productRefSelect } },
          },
        },
      },
      dependencies: {
        orderBy: { inputName: "asc" },
        select: {
          inputName: true,
          upstreamPort: { select: { name: true, product: { select: productRefSelect } } },
        },
      },
    },
  });
  if (!p) return null;
  const ref = toProductRef(p);
  if (!can(user, "product.read", ref)) return null;

  const link = (other: RefRow, port: string, inputName: string): LinkedProduct =>
    can(user, "product.read", toProductRef(other))
      ? { restricted: false, slug: other.slug, name: other.name, status: other.status, port, inputName }
      : { restricted: true, port: null, inputName };

  return {
    ref,
    slug: p.slug,
    name: p.name,
    summary: p.summary,
    description: p.description,
    status: p.status,
    version: p.version,
    tags: p.tags,
    classification: p.classification,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    publishedAt: p.publishedAt?.toISOString() ?? null,
    domain: p.domain,
    ownerTeam: p.ownerTeam,
    owners: p.owners.map((o) => o.user),
    ports: p.outputPorts.map((port) => ({
      name: port.name,
      type: port.type,
      location: port.location,
      description: port.description,
      classification: port.classification,
      fields: port.fields,
    })),
    upstream: p.dependencies.map((d) => link(d.upstreamPort.product, d.upstreamPort.name, d.inputName)),
    downstream: p.outputPorts.flatMap((port) => port.consumers.map((c) => link(c.product, port.name, c.inputName))),
    permissions: {
      update: can(user, "product.update", ref),
      publish: can(user, "product.publish", ref),
      provision: can(user, "product.provision", ref),
      requestAccess: can(user, "access.request", ref),
    },
  };
}
