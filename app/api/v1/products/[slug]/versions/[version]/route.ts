import { z } from "zod";
import { defineRoute } from "@/lib/http/route";
import { readableProduct } from "@/lib/products/access";
import { semverSchema } from "@/lib/products/spec";
import { getVersion } from "@/lib/products/versions";

export const dynamic = "force-dynamic";

/** GET /api/v1/products/{slug}/versions/{version} — one version: changelog, the spec and the descriptors as stored then. */
export const GET = defineRoute({
  name: "getProductVersion",
  input: z.object({ slug: z.string().min(1).max(200), version: semverSchema }),
  handler: async (ctx, { slug, version }) => {
    const { id } = await readableProduct(ctx.db, ctx.user, slug);
    return getVersion(ctx.db, id, version);
  },
});
