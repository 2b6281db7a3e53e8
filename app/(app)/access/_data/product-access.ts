import "server-only";
import { listProductGrants, myAccessToProduct, type MyPortAccess, type ProductGrant } from "@/lib/access/queries";
import { ownsProduct, type Principal } from "@/lib/auth/permissions";
import type { ProductDetail } from "@/lib/catalog/queries";
import { getPrisma } from "@/lib/db/client";
import { portTerms, principalOptions, type PortTerms, type PrincipalOptions } from "./request-options";

export type ProductAccess = {
  /** The user reads every port in full as an owner. */
  owner: boolean;
  canRequest: boolean;
  mine: Record<string, MyPortAccess>;
  terms: Record<string, PortTerms>;
  options: PrincipalOptions;
  /** Active and provisioning grants; null when the user does not answer for the product. */
  grants: ProductGrant[] | null;
};

/** What the product page's access sections show, for a product the user may read. */
export async function loadProductAccess(user: Principal, product: ProductDetail): Promise<ProductAccess> {
  const db = await getPrisma();
  const owner = ownsProduct(user, product.ref);
  const canRequest = product.permissions.requestAccess && !owner;
  const [mine, terms, options, grants] = await Promise.all([
    myAccessToProduct(db, user, product.ref.id),
    canRequest ? portTerms(db, product.ref.id) : Promise.resolve({} as Record<string, PortTerms>),
    canRequest ? principalOptions(db, user, product.ref.id) : Promise.resolve({ groups: [], products: [] }),
    listProductGrants(db, user, product.ref.id),
  ]);
  return { owner, canRequest, mine, terms, options, grants };
}
