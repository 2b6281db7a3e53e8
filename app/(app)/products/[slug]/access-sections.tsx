import { loadProductAccess } from "@/app/(app)/access/_data/product-access";
import { ProductAccessSections } from "@/components/access/product-access";
import { requireUser } from "@/lib/auth/session";
import type { ProductDetail } from "@/lib/catalog/queries";

/** The access sections of the product page ("Access", "Who has access"), with their data. */
export async function AccessSections({ product }: { product: ProductDetail }) {
  const user = await requireUser();
  return <ProductAccessSections product={product} access={await loadProductAccess(user, product)} />;
}
