import { requestExtensionOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/requests/{id}/extend {days} — the requester asks for more time on an active grant. */
export const POST = defineRoute(requestExtensionOperation);
