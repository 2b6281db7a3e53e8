import { recheckProductOperation } from "@/lib/governance/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/products/{slug}/governance — evaluates the product against the policies in force now
 * and stores the result; answers with the evaluation. Owners, the domain's stewards and admins.
 */
export const POST = defineRoute(recheckProductOperation);
