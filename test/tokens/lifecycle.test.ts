import { beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { seedDemoMesh } from "@/lib/demo/seed";
import { runOperation } from "@/lib/http/operation";
import { authenticateToken, LAST_USED_RESOLUTION_MS } from "@/lib/tokens/auth";
import { createTokenInput, type CreateTokenFormInput } from "@/lib/tokens/schemas";
import { createToken, listAllTokens, listTokens, revokeToken } from "@/lib/tokens/service";
import { generateTokenSecret, hashTokenSecret } from "@/lib/tokens/secret";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal } from "@/test/support/seeded";

const DAY = 86_400_000;
const input = (over: Partial<CreateTokenFormInput> = {}) => createTokenInput.parse({ name: "ci-pipeline", scopes: ["catalog:read"], ...over });


describeEachDatabase("API token lifecycle", (testDb) => {
  beforeAll(async () => {
    await seedDemoMesh(testDb().prisma);
  });

  it("returns the secret once, stores only its SHA-256 and a display prefix, and audits without either", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const { token, secret } = await createToken(db, { user: olivia, actor: actorOf(olivia) }, input({ name: "lifecycle", scopes: ["products:write", "catalog:read"] }));
    expect(secret).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: "lifecycle", kind: "personal", prefix: secret.slice(4, 12), scopes: ["catalog:read", "products:write"], status: "active", lastUsedAt: null, revokedAt: null });
    expect(new Date(token.expiresAt).getTime() - new Date(token.createdAt).getTime()).toBe(90 * DAY);

    const row = await db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.tokenHash).toBe(hashTokenSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));

    const listed = await listTokens(db, olivia.id);
    const mine = listed.find((t) => t.id === token.id)!;
    expect(mine.prefix).toBe(secret.slice(4, 12));
    expect(Object.keys(mine)).not.toContain("tokenHash");
    expect(JSON.stringify(listed)).not.toContain(row.tokenHash);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "api_token.created", targetId: token.id } });
    expect(audit).toMatchObject({ actorId: olivia.id, targetType: "api_token" });
    expect(audit.after).toMatchObject({ name: "lifecycle", kind: "personal", scopes: ["catalog:read", "products:write"] });
    const recorded = JSON.stringify({ before: audit.before, after: audit.after, actor: audit.actorLabel });
    expect(recorded).not.toContain(secret.slice(4));
    expect(recorded).not.toContain(row.tokenHash);
  });

  it("authenticates as its user with its scopes, and refuses unknown and malformed tokens", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const { token, secret } = await createToken(db, { user: olivia, actor: actorOf(olivia) }, input({ name: "auth-check" }));
    const ok = await authenticateToken(db, `Bearer ${secret}`);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.user).toMatchObject({ id: olivia.id, email: olivia.email, domains: olivia.domains, tokenScopes: ["catalog:read"], token: { id: token.id, name: "auth-check", kind: "personal" } });

    expect(await authenticateToken(db, `Bearer ${generateTokenSecret().secret}`)).toEqual({ ok: false, reason: "unknown" });
    for (const bad of ["Basic b2xpdmlhOnNlY3JldA==", "Bearer", `Bearer ${secret.slice(0, -2)}`, secret, `Bearer ${secret} ${secret}`]) {
      expect(await authenticateToken(db, bad), bad).toEqual({ ok: false, reason: "malformed" });
    }
  });

  it("refuses a revoked token from the next request on, audits the revocation once", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const ctx = { user: olivia, actor: actorOf(olivia) };
    const { token, secret } = await createToken(db, ctx, input({ name: "to-revoke" }));
    expect((await authenticateToken(db, `Bearer ${secret}`)).ok).toBe(true);
    const revoked = await revokeToken(db, ctx, token.id);
    expect(revoked).toMatchObject({ id: token.id, status: "revoked" });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await authenticateToken(db, `Bearer ${secret}`)).toEqual({ ok: false, reason: "revoked", tokenId: token.id });
    // Revoking again changes nothing and is not audited twice.
    expect((await revokeToken(db, ctx, token.id)).revokedAt).toBe(revoked.revokedAt);
    const events = await db.auditEvent.findMany({ where: { action: "api_token.revoked", targetId: token.id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.after).toMatchObject({ name: "to-revoke" });
    expect((await listTokens(db, olivia.id)).find((t) => t.id === token.id)!.status).toBe("revoked");
  });

  it("refuses an expired token, and shows it as expired", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const created = new Date(Date.now() - 2 * DAY);
    const { token, secret } = await createToken(db, { user: olivia, actor: actorOf(olivia) }, input({ name: "short-lived", expiresInDays: 1 }), created);
    expect(await authenticateToken(db, `Bearer ${secret}`, new Date(created.getTime() + DAY - 1000))).toMatchObject({ ok: true });
    expect(await authenticateToken(db, `Bearer ${secret}`, new Date(created.getTime() + DAY))).toEqual({ ok: false, reason: "expired", tokenId: token.id });
    expect(await authenticateToken(db, `Bearer ${secret}`)).toEqual({ ok: false, reason: "expired", tokenId: token.id });
    expect((await listTokens(db, olivia.id)).find((t) => t.id === token.id)!.status).toBe("expired");
  });

  it("records the last use at most once a minute", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const { token, secret } = await createToken(db, { user: olivia, actor: actorOf(olivia) }, input({ name: "last-used" }));
    const lastUsed = async () => (await db.apiToken.findUniqueOrThrow({ where: { id: token.id }, select: { lastUsedAt: true } })).lastUsedAt?.getTime();
    const t0 = Date.now();
    expect(await lastUsed()).toBeUndefined();
    await authenticateToken(db, `Bearer ${secret}`, new Date(t0));
    expect(await lastUsed()).toBe(t0);
    await authenticateToken(db, `Bearer ${secret}`, new Date(t0 + 30_000));
    await authenticateToken(db, `Bearer ${secret}`, new Date(t0 + LAST_USED_RESOLUTION_MS - 1));
    expect(await lastUsed()).toBe(t0);
    await authenticateToken(db, `Bearer ${secret}`, new Date(t0 + LAST_USED_RESOLUTION_MS + 5));
    expect(await lastUsed()).toBe(t0 + LAST_USED_RESOLUTION_MS + 5);
    expect((await listTokens(db, olivia.id)).find((t) => t.id === token.id)!.lastUsedAt).toBe(new Date(t0 + LAST_USED_RESOLUTION_MS + 5).toISOString());
  });

  it("lets only the token's owner or a platform admin revoke it; others learn nothing", async () => {
    const db = testDb().prisma;
    const [olivia, carlos, arjun] = await Promise.all([personaPrincipal(db, "owner"), personaPrincipal(db, "consumer"), personaPrincipal(db, "admin")]);
    const { token, secret } = await createToken(db, { user: olivia, actor: actorOf(olivia) }, input({ name: "someone-elses" }));
    const err = await refusal(revokeToken(db, { user: carlos, actor: actorOf(carlos) }, token.id));
    expect(err).toMatchObject({ status: 404, message: "No such API token" });
    expect(await refusal(revokeToken(db, { user: carlos, actor: actorOf(carlos) }, crypto.randomUUID()))).toMatchObject({ status: 404, message: "No such API token" });
    expect((await listTokens(db, carlos.id)).some((t) => t.id === token.id)).toBe(false);
    expect((await authenticateToken(db, `Bearer ${secret}`)).ok).toBe(true);

    const all = await listAllTokens(db);
    expect(all.find((t) => t.id === token.id)!.owner).toEqual({ name: olivia.name, email: olivia.email });
    const revoked = await revokeToken(db, { user: arjun, actor: actorOf(arjun) }, token.id);
    expect(revoked.status).toBe("revoked");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "api_token.revoked", targetId: token.id } });
    expect(audit).toMatchObject({ actorId: arjun.id, after: { owner: olivia.email } });
  });

  it("refuses a second active token with the same name, and a token creating tokens", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const ctx = { user: olivia, actor: actorOf(olivia) };
    const first = await createToken(db, ctx, input({ name: "Deploy" }));
    expect(await refusal(createToken(db, ctx, input({ name: "deploy" })))).toMatchObject({ status: 409, message: 'You already have an active token named "deploy"' });
    await revokeToken(db, ctx, first.token.id);
    await createToken(db, ctx, input({ name: "deploy" }));

    const live = await createToken(db, ctx, input({ name: "minting", scopes: ["admin", "products:write"] }));
    const auth = await authenticateToken(db, `Bearer ${live.secret}`);
    if (!auth.ok) throw new Error("token refused");
    const before = await db.apiToken.count();
    expect(await refusal(createToken(db, { user: auth.user, actor: actorOf(auth.user) }, input({ name: "successor", expiresInDays: 365 })))).toMatchObject({ status: 403 });
    expect(await db.apiToken.count()).toBe(before);
  });

  it("names the token in audit events written by requests that used one", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const ctx = { user: olivia, actor: actorOf(olivia) };
    const labelOf = async (kind: "personal" | "service", name: string) => {
      const { secret } = await createToken(db, ctx, input({ name, kind }));
      const auth = await authenticateToken(db, `Bearer ${secret}`);
      if (!auth.ok) throw new Error("token refused");
      const result = await runOperation({ name: "whoAmI", input: z.object({}), handler: async (c) => c.actor.label }, {}, { user: auth.user, db: async () => db });
      return result.ok ? result.data : result.error;
    };
    expect(await labelOf("personal", "laptop")).toBe("olivia.owner@canopy.demo (token laptop)");
    expect(await labelOf("service", "ci-pipeline")).toBe("olivia.owner@canopy.demo (service token ci-pipeline)");
    const session = await runOperation({ name: "whoAmI", input: z.object({}), handler: async (c) => c.actor.label }, {}, { user: olivia, db: async () => db });
    expect(session).toEqual({ ok: true, data: "olivia.owner@canopy.demo" });
  });
});
