import { createPolicyOperation, listPoliciesOperation } from "@/lib/governance/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/policies?domain=&appliesTo=&includeDisabled= — the policies, or those in force for a domain. */
export const GET = defineRoute(listPoliciesOperation);

/**
 * POST /api/v1/governance/policies {domain?, key, refines?, definition, reason} — adds a global policy
 * (platform admins), a domain's own policy or a domain's tightening of a global one (its stewards);
 * 201 with the policy and its history.
 */
export const POST = defineRoute(createPolicyOperation);
