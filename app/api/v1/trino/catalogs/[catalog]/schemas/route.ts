import { trinoBrowse } from "@/lib/drafts/trino-browse-live";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/trino/catalogs/{catalog}/schemas — the schemas of a catalog the caller sees. */
export const GET = defineRoute(trinoBrowse.schemas);
