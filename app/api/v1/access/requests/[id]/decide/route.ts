import { decideAccessOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/requests/{id}/decide {decision, note?, revision?} — approves or rejects the current step. */
export const POST = defineRoute(decideAccessOperation);
