import { createHash, randomBytes } from "node:crypto";

/**
 * The API token secret: `cnp_` and 32 random bytes in base64url (43 characters). Only its SHA-256
 * (hex) is stored, with a display prefix (the first 8 characters after `cnp_`) so people can tell
 * their tokens apart. The secret itself is shown once, when the token is created.
 */

export const TOKEN_PREFIX = "cnp_";
const TOKEN_RE = /^cnp_[A-Za-z0-9_-]{43}$/;
const BEARER_RE = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export type GeneratedToken = { secret: string; hash: string; prefix: string };

export function generateTokenSecret(): GeneratedToken {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { secret, hash: hashTokenSecret(secret), prefix: displayPrefix(secret) };
}

export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export function displayPrefix(secret: string): string {
  return secret.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + 8);
}

export const looksLikeTokenSecret = (s: string) => TOKEN_RE.test(s);

export type ParsedAuthorization =
  | { kind: "token"; secret: string }
  /** Not `Bearer <something>`, or a bearer value that is not a Canopy API token. */
  | { kind: "malformed" };

/** Reads an Authorization header value. Anything but `Bearer cnp_…` of the right shape is malformed. */
export function parseAuthorization(header: string): ParsedAuthorization {
  const m = BEARER_RE.exec(header.trim());
  if (!m || !looksLikeTokenSecret(m[1]!)) return { kind: "malformed" };
  return { kind: "token", secret: m[1]! };
}
