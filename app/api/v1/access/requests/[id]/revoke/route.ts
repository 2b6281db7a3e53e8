import { revokeAccessOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/requests/{id}/revoke {note?} — ends a grant early. */
export const POST = defineRoute(revokeAccessOperation);
