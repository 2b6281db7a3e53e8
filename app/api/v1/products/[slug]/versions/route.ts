import { z } from "zod";
import { defineRoute } from "@/lib/http/route";
import { readableProduct } from "@/lib/products/access";
import { diffVersions, listVersions } from "@/lib/products/versions";
import { semverSchema } from "@/lib/products/spec";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/products/{slug}/versions — the version history, newest first.
 * With `?from=1.0.0&to=2.0.0`: the classified changes and a line diff of the descriptors between two versions.
 */
export const GET = defineRoute({
  name: "listProductVersions",
  input: z.object({ slug: z.string().min(1).max(200), from: semverSchema.optional(), to: semverSchema.optional() }),
  handler: async (ctx, { slug, from, to }) => {
    const { id } = await readableProduct(ctx.db, ctx.user, slug);
    if (from && to) return diffVersions(ctx.db, id, from, to);
    return { items: await listVersions(ctx.db, id) };
  },
});
