import "server-only";
import { NextResponse } from "next/server";
import type { z } from "zod";
import { authenticate, requestId, unauthenticatedResponse } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { MAX_DESCRIPTOR_BYTES } from "@/lib/descriptors/parse";
import { runOperation, type Operation } from "@/lib/http/operation";

type RouteContext = { params: Promise<Record<string, string | string[]>> };

/**
 * Reads at most `limit` bytes of a request body, as bytes. Null when the body is larger: it is
 * not read further (a declared Content-Length over the limit is refused without reading at all).
 */
export async function readBodyLimited(req: Request, limit: number): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * A route handler for the descriptor endpoints. Like defineRoute (route parameters and query
 * string as input, runOperation for session, authorization and error mapping; API tokens work),
 * but the body — when `body` is set — is read as raw bytes up to 1 MB (413 beyond) instead of as
 * JSON, and the Accept header is passed on as `accept`. The caller is authenticated before the body
 * is read.
 */
export function defineDescriptorRoute<S extends z.ZodType, T>(op: Operation<S, T>, opts: { body?: boolean } = {}) {
  return async (req: Request, ctx: RouteContext): Promise<Response> => {
    const rid = await requestId();
    const headers: Record<string, string> = { "Cache-Control": "no-store", ...(rid ? { "x-request-id": rid } : {}) };
    const auth = await authenticate();
    if (!auth.user) return unauthenticatedResponse(auth, rid);
    const params = ctx?.params ? await ctx.params : {};
    const query: Record<string, string> = {};
    for (const [k, v] of new URL(req.url).searchParams) if (!(k in query)) query[k] = v;
    const input: Record<string, unknown> = { ...query, ...params, accept: req.headers.get("accept") ?? "*/*" };
    if (opts.body) {
      const body = await readBodyLimited(req, MAX_DESCRIPTOR_BYTES);
      if (!body)
        return NextResponse.json(
          { error: "The descriptor is larger than 1 MB. Split it, or leave out what Canopy does not need.", code: "too_large" },
          { status: 413, headers },
        );
      input.body = body;
    }
    const result = await runOperation(op, input, { user: auth.user, db: getPrisma, requestId: rid });
    if (result.ok) {
      if (!(result.data instanceof Response)) return NextResponse.json(result.data, { headers });
      for (const [k, v] of Object.entries(headers)) if (!result.data.headers.has(k)) result.data.headers.set(k, v);
      return result.data;
    }
    const { status, ...rest } = result;
    delete (rest as { ok?: boolean }).ok;
    return NextResponse.json(rest, { status, headers });
  };
}
