import { z } from "zod";
import { previewPort, PREVIEW_MAX_ROWS } from "@/lib/catalog/preview";
import { config } from "@/lib/config";
import { defineRoute } from "@/lib/http/route";
import { getIntegrations } from "@/lib/integrations/registry";

export const dynamic = "force-dynamic";

/** GET /api/v1/products/{slug}/ports/{port}/preview?limit=20 — rows of a table port, read as the caller. */
export const GET = defineRoute({
  name: "previewPort",
  input: z.object({
    slug: z.string().min(1).max(200),
    port: z.string().min(1).max(200),
    limit: z.coerce.number().int("limit must be a whole number").min(1).max(PREVIEW_MAX_ROWS, `limit is at most ${PREVIEW_MAX_ROWS}`).default(20),
  }),
  handler: async (ctx, input) => {
    const { trino } = await getIntegrations();
    ctx.log.info({ slug: input.slug, port: input.port }, "data preview");
    return previewPort(ctx.db, trino, ctx.user, { ...input, userMapping: config().integrations.trinoUserMapping });
  },
});
