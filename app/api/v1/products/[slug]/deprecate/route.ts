import { defineRoute } from "@/lib/http/route";
import { deprecateOperation } from "@/lib/lineage/operations";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/products/{slug}/deprecate {reason, dryRun?} — marks a published product deprecated and
 * notifies the owners of downstream products and the consumers with active access. With
 * `dryRun: true` nothing changes: the answer shows who depends on the product and who would be told.
 */
export const POST = defineRoute(deprecateOperation);
