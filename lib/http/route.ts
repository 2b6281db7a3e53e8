import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { authenticate, requestId, unauthenticatedResponse } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { runOperation, type Operation } from "@/lib/http/operation";
import { InvalidTokenError } from "@/lib/tokens/auth";

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * Builds a route handler for the REST API from an operation. The input is the route parameters plus
 * the query string (GET, DELETE) or the JSON body (POST, PUT, PATCH). The handler's result is sent
 * as JSON unless it is a Response already. Errors become JSON with the matching status; a request
 * without a session or a valid API token (`Authorization: Bearer cnp_…`) gets 401.
 */
export function defineRoute<S extends z.ZodType, T>(op: Operation<S, T>) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const rid = await requestId();
    const auth = await authenticate();
    // A bad API token is refused before the request is read, with an answer that says so.
    if (!auth.user && auth.error instanceof InvalidTokenError) return unauthenticatedResponse(auth, rid);
    const params = ctx?.params ? await ctx.params : {};
    let input: Record<string, unknown> = { ...params };
    if (req.method === "GET" || req.method === "DELETE" || req.method === "HEAD") {
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of new URL(req.url).searchParams) {
        const prev = query[k];
        query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      input = { ...query, ...input };
    } else {
      let body: unknown;
      try {
        body = await req.json();
      } catch {
        return NextResponse.json({ error: "The request body must be JSON", code: "invalid_json" }, { status: 400 });
      }
      if (!body || typeof body !== "object" || Array.isArray(body)) {
        return NextResponse.json({ error: "The request body must be a JSON object", code: "invalid_json" }, { status: 400 });
      }
      input = { ...(body as Record<string, unknown>), ...input };
    }
    const result = await runOperation(op, input, { user: auth.user, db: getPrisma, requestId: rid });
    const headers = rid ? { "x-request-id": rid } : undefined;
    // A handler that answers in another format (CSV, a file) returns its own Response.
    if (result.ok) return result.data instanceof Response ? result.data : NextResponse.json(result.data, { headers });
    const { status, ...body } = result;
    delete (body as { ok?: boolean }).ok;
    return NextResponse.json(body, { status, headers });
  };
}
