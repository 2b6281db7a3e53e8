import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bearerAllowed } from "@/lib/tokens/auth";
import { displayPrefix, generateTokenSecret, hashTokenSecret, parseAuthorization } from "@/lib/tokens/secret";

describe("API token secrets", () => {
  it("are cnp_ and 32 random bytes in base64url, hashed with SHA-256, with an 8-character display prefix", () => {
    const a = generateTokenSecret();
    const b = generateTokenSecret();
    expect(a.secret).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.secret.slice(4), "base64url")).toHaveLength(32);
    expect(a.secret).not.toBe(b.secret);
    expect(a.hash).toBe(createHash("sha256").update(a.secret).digest("hex"));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.prefix).toBe(a.secret.slice(4, 12));
    expect(displayPrefix(a.secret)).toBe(a.prefix);
    expect(hashTokenSecret(a.secret)).toBe(a.hash);
  });

  it("are read only from a Bearer Authorization header of the right shape", () => {
    const { secret } = generateTokenSecret();
    expect(parseAuthorization(`Bearer ${secret}`)).toEqual({ kind: "token", secret });
    expect(parseAuthorization(`bearer ${secret}`)).toEqual({ kind: "token", secret });
    expect(parseAuthorization(`  Bearer   ${secret}  `)).toEqual({ kind: "token", secret });
    for (const bad of [
      "",
      "Bearer",
      "Bearer ",
      secret,
      `Basic ${Buffer.from(`x:${secret}`).toString("base64")}`,
      `Token ${secret}`,
      `Bearer ${secret} extra`,
      `Bearer ${secret}x`,
      `Bearer ${secret.slice(0, -1)}`,
      `Bearer cnp_${"a".repeat(42)}!`,
      "Bearer e2e-trino-rules-token-0123456789abcdef",
      `Bearer ${secret.replace("cnp_", "CNP_")}`,
    ]) {
      expect(parseAuthorization(bad), bad).toEqual({ kind: "malformed" });
    }
  });
});

describe("where bearer tokens are accepted", () => {
  const h = (entries: Record<string, string>) => new Headers(entries);

  it("only in REST API route handlers, as the proxy marked the path", () => {
    expect(bearerAllowed(h({ "x-canopy-path": "/api/v1/me" }))).toBe(true);
    expect(bearerAllowed(h({ "x-canopy-path": "/api/v1/products?q=x" }))).toBe(true);
  });

  it("never on pages, server actions, or requests the proxy did not see", () => {
    expect(bearerAllowed(h({}))).toBe(false);
    expect(bearerAllowed(h({ "x-canopy-path": "/products" }))).toBe(false);
    expect(bearerAllowed(h({ "x-canopy-path": "/api-docs" }))).toBe(false);
    expect(bearerAllowed(h({ "x-canopy-path": "/settings/tokens", "next-action": "abc" }))).toBe(false);
    expect(bearerAllowed(h({ "x-canopy-path": "/api/v1/me", "next-action": "abc" }))).toBe(false);
    // The proxy skips router prefetches, so their x-canopy-path may be the client's own.
    expect(bearerAllowed(h({ "x-canopy-path": "/api/v1/me", "next-router-prefetch": "1" }))).toBe(false);
    expect(bearerAllowed(h({ "x-canopy-path": "/api/v1/me", rsc: "1" }))).toBe(false);
  });
});
