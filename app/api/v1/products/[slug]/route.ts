import { z } from "zod";
import { getProductDetail } from "@/lib/catalog/queries";
import { NotFoundError } from "@/lib/errors";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/products/{slug} — one product with ports, schema and dependencies; 404 when not visible. */
export const GET = defineRoute({
  name: "getProduct",
  input: z.object({ slug: z.string().min(1).max(200) }),
  handler: async (ctx, { slug }) => {
    const product = await getProductDetail(ctx.db, ctx.user, slug);
    if (!product) throw new NotFoundError(`No data product "${slug}"`);
    const { ref: _ref, ...dto } = product;
    return dto;
  },
});
