import { z } from "zod";
import { latestResults, scorecardCsv, scorecardFilterSchema } from "@/lib/governance/scorecards";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/governance/results?domain=&severity=&policy=&outcome=&status=&format=json|csv —
 * each visible product's latest policy results, worst first; CSV has one line per product and policy.
 */
export const GET = defineRoute({
  name: "listGovernanceResults",
  input: z.intersection(scorecardFilterSchema, z.object({ format: z.enum(["json", "csv"], { error: "format must be json or csv" }).default("json") })),
  permission: "governance.view",
  handler: async (ctx, f) => {
    const { format, ...filter } = f;
    const products = await latestResults(ctx.db, ctx.user, filter);
    if (format === "json") return { products };
    return new Response(scorecardCsv(products), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="canopy-governance-${new Date().toISOString().slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
