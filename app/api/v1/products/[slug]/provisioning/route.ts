import { z } from "zod";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import { NotFoundError } from "@/lib/errors";
import { defineRoute } from "@/lib/http/route";
import { provisioningStatus } from "@/lib/provisioning/service";

export const dynamic = "force-dynamic";

/** GET /api/v1/products/{slug}/provisioning — the product's infrastructure and its recent jobs (owners, stewards, admins). */
export const GET = defineRoute({
  name: "getProvisioning",
  input: z.object({ slug: z.string().min(1).max(200) }),
  handler: async (ctx, { slug }) => {
    const p = await ctx.db.dataProduct.findUnique({
      where: { slug },
      select: productRefSelect,
    });
    if (!p) throw new NotFoundError(`No data product "${slug}"`);
    const ref = toProductRef(p);
    ctx.authorize("product.read", ref);
    ctx.authorize("product.update", ref);
    return provisioningStatus(ctx.db, p.id);
  },
});
