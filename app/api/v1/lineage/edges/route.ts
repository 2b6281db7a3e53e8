import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/http/route";
import { addEdgeOperation } from "@/lib/lineage/operations";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/lineage/edges {kind: table|column, from, to, note} — records a manual edge between two
 * tables or two columns (fully qualified names) and answers 201 with it. Owners and stewards of a
 * product serving either end may do this; API tokens need the lineage:write scope.
 */
export const POST = defineRoute({
  ...addEdgeOperation,
  handler: async (ctx, input) => NextResponse.json(await addEdgeOperation.handler(ctx, input), { status: 201, headers: { "x-request-id": ctx.requestId } }),
});
