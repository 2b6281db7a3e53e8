import { getPolicyOperation, updatePolicyOperation } from "@/lib/governance/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/policies/{id} — a policy with its definition and version history. */
export const GET = defineRoute(getPolicyOperation);

/** PATCH /api/v1/governance/policies/{id} {definition?, enabled?, reason} — a new version of the policy. */
export const PATCH = defineRoute(updatePolicyOperation);
