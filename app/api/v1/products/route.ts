import { NextResponse } from "next/server";
import { z } from "zod";
import { listProducts, productFilterSchema } from "@/lib/catalog/queries";
import { defineRoute } from "@/lib/http/route";
import { BreakingChangeError, planProductChange, saveProduct } from "@/lib/products/service";
import { semverSchema } from "@/lib/products/spec";

export const dynamic = "force-dynamic";

/** GET /api/v1/products?q=&domain=&status=&tag= — the catalogue list, as the signed-in user sees it. */
export const GET = defineRoute({
  name: "listProducts",
  input: productFilterSchema,
  permission: "catalog.browse",
  handler: async (ctx, filter) => ({ items: await listProducts(ctx.db, ctx.user, filter) }),
});

/**
 * POST /api/v1/products — create or change a product from a ProductSpec (the wizard's format).
 * Body: `{ spec, publish?, version?, changelog?, acknowledgeBreaking?, dryRun? }`. 201 when created,
 * 200 when changed, 409 with the breaking changes and who they affect when not acknowledged.
 */
export const POST = defineRoute({
  name: "saveProduct",
  input: z.object({
    spec: z.unknown(),
    publish: z.boolean().default(false),
    version: semverSchema.optional(),
    changelog: z.string().trim().max(5000, "Keep the changelog under 5000 characters").optional(),
    acknowledgeBreaking: z.boolean().default(false),
    dryRun: z.boolean().default(false),
  }),
  handler: async (ctx, { spec, dryRun, ...opts }) => {
    if (dryRun) return planProductChange(ctx.db, ctx.user, spec);
    try {
      const result = await saveProduct(ctx.db, ctx, spec, { ...opts, via: "api" });
      return NextResponse.json(result, { status: result.created ? 201 : 200 });
    } catch (err) {
      if (err instanceof BreakingChangeError)
        return NextResponse.json(
          { code: err.code, error: err.message, requiredVersion: err.requiredVersion, changes: err.changes, affected: err.affected },
          { status: 409 },
        );
      throw err;
    }
  },
});
