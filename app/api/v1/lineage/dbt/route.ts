import { defineRoute } from "@/lib/http/route";
import { handleDbtImport, listDbtImportsOperation } from "@/lib/lineage/dbt/http";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/lineage/dbt[?dryRun=true&project=<name>] — imports a dbt manifest.json (schema v7–v12):
 * table lineage from models, seeds, snapshots and sources, column docs and quality rules on the
 * ports serving those tables. The body is the manifest itself (JSON), `{ manifest, dryRun, project }`,
 * or a multipart upload with the file in `manifest`; at most 50 MB. Answers the import report; a dry
 * run reports and changes nothing. 400 `invalid_manifest` names what is wrong; 413 when too large.
 * Needs `lineage.import` (API tokens: `lineage:write`; changing ports also `products:write`).
 */
export const POST = handleDbtImport;

/** GET /api/v1/lineage/dbt[?limit=10] — the latest dbt imports (one's own; admins see all). */
export const GET = defineRoute(listDbtImportsOperation);
