import { listAccessRequestsOperation, requestAccessOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/access/requests?tab=waiting|mine|decided&product=&domain=&requester=&minAgeDays=&sort=oldest|newest
 * — the approvals inbox: requests waiting on your decision, your own, or the ones you decide on.
 */
export const GET = defineRoute(listAccessRequestsOperation);

/** POST /api/v1/access/requests — requests access to an output port; answers 201 with the request. */
export const POST = defineRoute(requestAccessOperation);
