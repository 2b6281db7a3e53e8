import type { Principal } from "@/lib/auth/permissions";
import { visibleProductsWhere } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

/**
 * Catalogue reads the wizard needs: whether a slug is free, and the output ports a new product
 * can read from (its inputs).
 */

/** Paths under /products that are pages, so no product can be called like them. */
export const RESERVED_SLUGS = ["new", "drafts", "import"] as const;

export type SlugAvailability = { slug: string; available: boolean; message?: string };

/**
 * Slugs are unique across the whole catalogue, drafts included, so a taken slug is reported even
 * when the product using it is one the user may not read; nothing else about it is revealed.
 */
export async function slugAvailability(db: Tx, slug: string): Promise<SlugAvailability> {
  if ((RESERVED_SLUGS as readonly string[]).includes(slug)) {
    return { slug, available: false, message: `"${slug}" is reserved by Canopy; choose another slug` };
  }
  const taken = await db.dataProduct.findUnique({ where: { slug }, select: { id: true } });
  return taken ? { slug, available: false, message: "This slug is already taken; choose another" } : { slug, available: true };
}

export type UpstreamProduct = {
  slug: string;
  name: string;
  summary: string;
  status: "published" | "deprecated";
  domain: { slug: string; name: string };
  ports: { name: string; type: string; description: string }[];
};

export const UPSTREAM_SEARCH_LIMIT = 20;

/**
 * Products whose output ports a new product may read: published or deprecated ones the user sees
 * (never drafts, not even the user's own: lineage points at something that serves data). Matches
 * name, slug, summary and tags; an empty query lists the first products by name.
 */
export async function searchUpstreamProducts(db: Tx, user: Principal, q: string): Promise<UpstreamProduct[]> {
  const text = q.trim();
  const and: Prisma.DataProductWhereInput[] = [visibleProductsWhere(user), { status: { in: ["published", "deprecated"] } }];
  if (text) {
    and.push({
      OR: [
        { name: { contains: text, mode: "insensitive" } },
        { slug: { contains: text, mode: "insensitive" } },
        { summary: { contains: text, mode: "insensitive" } },
        { tags: { has: text.toLowerCase() } },
      ],
    });
  }
  const rows = await db.dataProduct.findMany({
    where: { AND: and },
    select: {
      slug: true,
      name: true,
      summary: true,
      status: true,
      domain: { select: { slug: true, name: true } },
      outputPorts: { orderBy: { name: "asc" }, select: { name: true, type: true, description: true } },
    },
    orderBy: [{ status: "asc" }, { name: "asc" }],
    take: UPSTREAM_SEARCH_LIMIT,
  });
  return rows
    .filter((p): p is typeof p & { status: "published" | "deprecated" } => p.status === "published" || p.status === "deprecated")
    .map((p) => ({ slug: p.slug, name: p.name, summary: p.summary, status: p.status, domain: p.domain, ports: p.outputPorts }));
}
