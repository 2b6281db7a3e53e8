import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { NextResponse } from "next/server";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import type { Principal } from "@/lib/auth/permissions";
import { loadPrincipal } from "@/lib/auth/principal";
import { getPrisma } from "@/lib/db/client";
import { UnauthenticatedError, type UserError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { authenticateToken, bearerAllowed, InvalidTokenError } from "@/lib/tokens/auth";

export type Authentication = { user: Principal; via: "session" | "token" } | { user: null; error: UserError };

/**
 * Who is calling, once per request. REST API handlers accept `Authorization: Bearer cnp_…`: a
 * request that carries an Authorization header is judged by it alone (a bad or unknown token is
 * refused, never replaced by the cookie session). Pages and server actions only ever use the
 * session cookie.
 */
export const authenticate = cache(async (): Promise<Authentication> => {
  const h = await headers();
  const authorization = h.get("authorization");
  if (authorization !== null && bearerAllowed(h)) {
    const result = await authenticateToken(await getPrisma(), authorization);
    if (result.ok) return { user: result.user, via: "token" };
    logger.info({ reason: result.reason, tokenId: result.tokenId, requestId: h.get("x-request-id") ?? undefined }, "API token refused");
    return { user: null, error: new InvalidTokenError(result.reason) };
  }
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  const user = id ? await loadPrincipal(await getPrisma(), id) : null;
  return user ? { user, via: "session" } : { user: null, error: new UnauthenticatedError() };
});

/** The signed-in user for this request, or null. Loaded once per request from the catalogue. */
export const getCurrentUser = cache(async (): Promise<Principal | null> => (await authenticate()).user);

/** The 401 answer for an API request without a usable session or token. */
export function unauthenticatedResponse(auth: Extract<Authentication, { user: null }>, requestId?: string): Response {
  const tokenError = auth.error instanceof InvalidTokenError;
  return NextResponse.json(
    { error: auth.error.message, code: auth.error.code },
    {
      status: 401,
      headers: {
        ...(requestId ? { "x-request-id": requestId } : {}),
        "WWW-Authenticate": tokenError ? 'Bearer realm="canopy", error="invalid_token"' : 'Bearer realm="canopy"',
        "Cache-Control": "no-store",
      },
    },
  );
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back here afterwards. */
export async function requireUser(): Promise<Principal> {
  const user = await getCurrentUser();
  if (user) return user;
  const h = await headers();
  const target = h.get("x-canopy-path") ?? "/";
  redirect(`/signin?callbackUrl=${encodeURIComponent(target)}`);
}

export async function requestId(): Promise<string | undefined> {
  return (await headers()).get("x-request-id") ?? undefined;
}
