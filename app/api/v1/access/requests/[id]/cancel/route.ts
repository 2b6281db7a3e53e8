import { cancelAccessRequestOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/requests/{id}/cancel — the requester withdraws a pending request. */
export const POST = defineRoute(cancelAccessRequestOperation);
