import { NextResponse } from "next/server";
import { config } from "@/lib/config";
import { buildOpenApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/openapi.json — the OpenAPI 3.1 description of this API. Public: it describes the
 * API and holds no data, so tools (and other origins) may fetch it without signing in.
 */
export function GET() {
  return NextResponse.json(buildOpenApiDocument({ serverUrl: config().auth.url }), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
