import { beforeAll, expect, it } from "vitest";
import { parseRoleMapping } from "@/lib/config";
import { loadPrincipal } from "@/lib/auth/principal";
import { readGroupsClaim, upsertDemoUser, upsertOidcUser } from "@/lib/auth/users";
import { findPersona } from "@/lib/demo/personas";
import { describeEachDatabase } from "@/test/support/db";

const mapping = parseRoleMapping("mesh-admins=platform_admin;sales-stewards=steward:sales;sales-team=member:sales;ghost=steward:no-such-domain");

describeEachDatabase("sign-in upserts users", (testDb) => {
  beforeAll(async () => {
    const db = testDb().prisma;
    await db.domain.createMany({ data: [{ slug: "sales", name: "Sales" }, { slug: "finance", name: "Finance" }] });
  });

  it("creates an OIDC user with roles from their groups, and audits it", async () => {
    const db = testDb().prisma;
    const warnings: unknown[] = [];
    const { id } = await upsertOidcUser(
      db,
      { sub: "sub-alice", email: "alice@example.test", name: "Alice", groups: ["mesh-admins", "sales-stewards", "ghost"] },
      mapping,
      (msg, extra) => warnings.push({ msg, extra }),
    );
    const p = (await loadPrincipal(db, id))!;
    expect(p.roles).toEqual(["platform_admin"]);
    const sales = await db.domain.findUniqueOrThrow({ where: { slug: "sales" } });
    expect(p.domains).toEqual([{ domainId: sales.id, role: "steward" }]);
    expect(warnings).toEqual([{ msg: "role mapping names an unknown domain", extra: { domain: "no-such-domain" } }]);
    const events = await db.auditEvent.findMany({ where: { targetId: id } });
    expect(events.map((e) => e.action)).toEqual(["user.create"]);
    expect(events[0]!.actorId).toBe(id);
  });

  it("re-applies the groups at every sign-in: a role taken away in the IdP is gone in Canopy", async () => {
    const db = testDb().prisma;
    const first = await upsertOidcUser(db, { sub: "sub-bob", email: "bob@example.test", groups: ["mesh-admins", "sales-team"] }, mapping);
    const again = await upsertOidcUser(db, { sub: "sub-bob", email: "bob.new@example.test", name: "Bob B", groups: [] }, mapping);
    expect(again.id).toBe(first.id);
    const user = await db.user.findUniqueOrThrow({ where: { id: first.id } });
    expect(user).toMatchObject({ email: "bob.new@example.test", name: "Bob B", roles: [], groups: [] });
    expect(await db.domainMember.count({ where: { userId: first.id } })).toBe(0);
    const actions = (await db.auditEvent.findMany({ where: { targetId: first.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["user.create", "auth.sign_in"]);
  });

  it("keeps memberships granted in Canopy when groups change", async () => {
    const db = testDb().prisma;
    const finance = await db.domain.findUniqueOrThrow({ where: { slug: "finance" } });
    const { id } = await upsertOidcUser(db, { sub: "sub-carol", email: "carol@example.test", groups: ["sales-team"] }, mapping);
    await db.domainMember.create({ data: { domainId: finance.id, userId: id, role: "steward", source: "catalogue" } });
    await upsertOidcUser(db, { sub: "sub-carol", email: "carol@example.test", groups: [] }, mapping);
    const members = await db.domainMember.findMany({ where: { userId: id }, select: { domainId: true, role: true, source: true } });
    expect(members).toEqual([{ domainId: finance.id, role: "steward", source: "catalogue" }]);
  });

  it("refuses an email address the provider has not verified", async () => {
    const db = testDb().prisma;
    await expect(
      upsertOidcUser(db, { sub: "sub-eve", email: "eve@example.test", email_verified: false, groups: ["mesh-admins"] }, mapping),
    ).rejects.toThrow(/not verified/);
    expect(await db.user.count({ where: { email: "eve@example.test" } })).toBe(0);
  });

  it("creates a demo persona's account with its roles when the mesh was not seeded", async () => {
    const db = testDb().prisma;
    const { id } = await upsertDemoUser(db, findPersona("admin")!);
    const p = (await loadPrincipal(db, id))!;
    expect(p.roles).toEqual(["platform_admin"]);
    const again = await upsertDemoUser(db, findPersona("admin")!);
    expect(again.id).toBe(id);
  });
});

it("reads groups claims in the shapes providers send", () => {
  expect(readGroupsClaim({ groups: ["/mesh-admins", "a", "a", 3] }, "groups")).toEqual(["mesh-admins", "a"]);
  expect(readGroupsClaim({ groups: "a b,c" }, "groups")).toEqual(["a", "b", "c"]);
  expect(readGroupsClaim({ realm_access: { roles: ["x"] } }, "realm_access.roles")).toEqual(["x"]);
  expect(readGroupsClaim({}, "groups")).toEqual([]);
});
