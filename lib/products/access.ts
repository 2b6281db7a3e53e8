import type { Principal } from "@/lib/auth/permissions";
import { authorize } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";

/** A product by slug, or not-found when it does not exist or the user may not read it. */
export async function readableProduct(db: Tx, user: Principal, slug: string) {
  const p = await db.dataProduct.findUnique({ where: { slug }, select: productRefSelect });
  if (!p) throw new NotFoundError(`No data product "${slug}"`);
  const ref = toProductRef(p);
  authorize(user, "product.read", ref);
  return { id: p.id, ref };
}
