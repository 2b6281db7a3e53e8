import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/http/route";
import { getIntegrations } from "@/lib/integrations/registry";
import { openMetadataSyncOperations } from "@/lib/lineage/openmetadata-api";

export const dynamic = "force-dynamic";

const ops = openMetadataSyncOperations(async () => (await getIntegrations()).openmetadata.mode === "connected");

/**
 * GET /api/v1/lineage/openmetadata?product=<slug> — whether OpenMetadata is configured, the product's
 * last lineage sync (what it added, removed and pushed, or its error) and the sync waiting or running.
 */
export const GET = defineRoute(ops.status);

/**
 * POST /api/v1/lineage/openmetadata { product, depth? } — queues a lineage sync of the product with
 * OpenMetadata (owners, stewards, admins): 202 with the job; a sync already queued is returned as is.
 * 409 `not_configured` when OpenMetadata is not configured.
 */
export const POST = defineRoute({
  ...ops.sync,
  handler: async (ctx, input) => NextResponse.json(await ops.sync.handler(ctx, input), { status: 202 }),
});
