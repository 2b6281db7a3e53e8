import { trinoBrowse } from "@/lib/drafts/trino-browse-live";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/trino/catalogs/{catalog}/schemas/{schema}/tables — the tables of a schema the caller sees. */
export const GET = defineRoute(trinoBrowse.tables);
