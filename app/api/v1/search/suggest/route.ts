import { defineRoute } from "@/lib/http/route";
import { suggestOperation } from "@/lib/search/operations";

export const dynamic = "force-dynamic";

/** GET /api/v1/search/suggest?q=&limit= — typeahead suggestions (from the second character). */
export const GET = defineRoute(suggestOperation);
