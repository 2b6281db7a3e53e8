import { listProducts, productFilterSchema } from "@/lib/catalog/queries";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/products?q=&domain=&status=&tag= — the catalogue list, as the signed-in user sees it. */
export const GET = defineRoute({
  name: "listProducts",
  input: productFilterSchema,
  permission: "catalog.browse",
  handler: async (ctx, filter) => ({ items: await listProducts(ctx.db, ctx.user, filter) }),
});
