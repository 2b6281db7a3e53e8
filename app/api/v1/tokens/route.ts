import { NextResponse } from "next/server";
import { z } from "zod";
import { defineRoute } from "@/lib/http/route";
import { createTokenInput } from "@/lib/tokens/schemas";
import { createToken, listAllTokens, listTokens } from "@/lib/tokens/service";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/tokens — your API tokens (never their secrets); `?all=true` lists everyone's, for
 * platform admins.
 */
export const GET = defineRoute({
  name: "listApiTokens",
  input: z.object({ all: z.enum(["true", "false"], { error: "all must be true or false" }).optional() }),
  handler: async (ctx, { all }) => {
    if (all === "true") {
      ctx.authorize("admin.view", null);
      return { items: await listAllTokens(ctx.db) };
    }
    return { items: await listTokens(ctx.db, ctx.user.id) };
  },
});

/**
 * POST /api/v1/tokens {name, kind, scopes, expiresInDays} — creates a token and answers 201 with its
 * secret, shown this once. Needs a signed-in session: a token cannot create tokens.
 */
export const POST = defineRoute({
  name: "createApiToken",
  input: createTokenInput,
  handler: async (ctx, input) => {
    const created = await createToken(ctx.db, ctx, input);
    ctx.log.info({ tokenId: created.token.id, scopes: created.token.scopes }, "API token created");
    return NextResponse.json(created, { status: 201, headers: { "Cache-Control": "no-store", "x-request-id": ctx.requestId } });
  },
});
