import type { Principal } from "@/lib/auth/permissions";
import { loadPrincipal } from "@/lib/auth/principal";
import type { Tx } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { isTokenScope } from "@/lib/tokens/scopes";
import { hashTokenSecret, parseAuthorization } from "@/lib/tokens/secret";

/** Authenticating a REST API request by its `Authorization: Bearer cnp_…` header. */

/** Last-used times are written at most this often per token, not on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export type TokenFailure = "malformed" | "unknown" | "revoked" | "expired";

export type TokenAuthentication =
  | { ok: true; user: Principal }
  | { ok: false; reason: TokenFailure; tokenId?: string };

/** A 401 for a bad API token. The same answer whether the token never existed, was revoked or expired. */
export class InvalidTokenError extends UserError {
  static readonly kind: string = "InvalidTokenError";
  readonly reason: TokenFailure;
  constructor(reason: TokenFailure) {
    super(
      reason === "malformed"
        ? 'The Authorization header must be "Bearer" followed by a Canopy API token (cnp_…)'
        : "The API token is invalid, expired or revoked. Create a new one under Settings → API tokens.",
      { status: 401, code: "invalid_token" },
    );
    this.name = "InvalidTokenError";
    this.reason = reason;
  }
}

/**
 * The principal for a bearer token: its user as the catalogue has them now (so a removed role or
 * membership applies at once), narrowed to the token's scopes.
 */
export async function authenticateToken(db: Tx, authorization: string, now = new Date()): Promise<TokenAuthentication> {
  const parsed = parseAuthorization(authorization);
  if (parsed.kind === "malformed") return { ok: false, reason: "malformed" };
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashTokenSecret(parsed.secret) },
    select: { id: true, userId: true, name: true, kind: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  if (!token) return { ok: false, reason: "unknown" };
  if (token.revokedAt) return { ok: false, reason: "revoked", tokenId: token.id };
  if (token.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired", tokenId: token.id };
  const user = await loadPrincipal(db, token.userId);
  if (!user) return { ok: false, reason: "unknown", tokenId: token.id };
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so concurrent requests of the same minute write once between them.
    await db.apiToken.updateMany({
      where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
      data: { lastUsedAt: now },
    });
  }
  return {
    ok: true,
    user: {
      ...user,
      tokenScopes: token.scopes.filter(isTokenScope),
      token: { id: token.id, name: token.name, kind: token.kind },
    },
  };
}

type HeaderReader = { get(name: string): string | null; has(name: string): boolean };

/**
 * Whether this request may authenticate with an API token: REST API route handlers only — never a
 * page, never a server action. The path comes from `x-canopy-path`, which the proxy sets on every
 * request it sees (overwriting anything a client sent). Requests the proxy does not see carry a
 * router-prefetch header, and are refused here for that reason.
 */
export function bearerAllowed(h: HeaderReader): boolean {
  const path = h.get("x-canopy-path") ?? "";
  if (!path.startsWith("/api/")) return false;
  return !h.has("next-action") && !h.has("next-router-prefetch") && !h.has("rsc");
}
