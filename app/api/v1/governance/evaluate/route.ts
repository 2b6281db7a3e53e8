import { z } from "zod";
import { blockingFailures, scoreOf } from "@/lib/governance/evaluate";
import { evaluateSpec } from "@/lib/governance/service";
import { defineRoute } from "@/lib/http/route";
import { semverSchema } from "@/lib/products/spec";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/governance/evaluate { spec, version? } — the policies in force for the spec's domain,
 * evaluated on the unsaved spec (the wizard's Checks step). Nothing is stored.
 */
export const POST = defineRoute({
  name: "evaluateProductSpec",
  input: z.object({ spec: z.unknown(), version: semverSchema.optional() }),
  permission: "governance.view",
  handler: async (ctx, { spec, version }) => {
    const results = await evaluateSpec(ctx.db, ctx.user, spec, { version });
    return { results, score: scoreOf(results), blocking: blockingFailures(results).length };
  },
});
