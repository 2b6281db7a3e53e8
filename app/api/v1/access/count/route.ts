import { countWaitingOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/access/count — how many requests wait on your decision (the number in the navigation). */
export const GET = defineRoute(countWaitingOperation);
