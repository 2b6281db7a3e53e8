import { decideExtensionOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/requests/{id}/extend/decide {decision, note?, revision?} — approves or rejects the extension asked for. */
export const POST = defineRoute(decideExtensionOperation);
