import { decideManyOperation } from "@/lib/access/operations";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/decisions {requestIds, decision, note?} — decides several requests at once; each on its own, the answer lists which were decided and why the others were not. */
export const POST = defineRoute(decideManyOperation);
