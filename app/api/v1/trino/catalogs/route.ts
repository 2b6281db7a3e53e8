import { trinoBrowse } from "@/lib/drafts/trino-browse-live";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/trino/catalogs — the Trino catalogs the caller sees. */
export const GET = defineRoute(trinoBrowse.catalogs);
