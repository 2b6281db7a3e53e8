import { getAccessRequestOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/access/requests/{id} — one request with its timeline and what you may do with it. */
export const GET = defineRoute(getAccessRequestOperation);
