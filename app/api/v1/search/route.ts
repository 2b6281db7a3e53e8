import { defineRoute } from "@/lib/http/route";
import { searchOperation } from "@/lib/search/operations";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/search?q=&domain=&team=&tag=&classification=&status=&portType=&access=&cursor=&limit=
 * Ranked products with highlights and reasons, entity hits, facet counts and a keyset cursor.
 */
export const GET = defineRoute(searchOperation);
