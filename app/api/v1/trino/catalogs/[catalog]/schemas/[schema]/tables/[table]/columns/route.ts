import { trinoBrowse } from "@/lib/drafts/trino-browse-live";
import { defineRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** GET /api/v1/trino/catalogs/{catalog}/schemas/{schema}/tables/{table}/columns — a table's columns, as Trino describes them to the caller. */
export const GET = defineRoute(trinoBrowse.columns);
