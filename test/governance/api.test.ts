import { beforeAll, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { createPolicyOperation, getPolicyOperation, listPoliciesOperation, recheckProductOperation, updatePolicyOperation } from "@/lib/governance/operations";
import type { PolicyDetail, PolicySummary } from "@/lib/governance/types";
import { runOperation, type Operation } from "@/lib/http/operation";
import type { z } from "zod";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const MARCUS = "marcus.lindqvist@canopy.demo"; // steward of sales

const freshness = {
  title: "Sales products say how fresh they are",
  rationale: "Sales consumers plan their jobs around when data lands.",
  remediation: "Add a line “Refresh schedule: …” to the description.",
  severity: "warning",
  appliesTo: "product",
  engine: "rules",
  params: {},
  rules: [{ assert: { matches: { path: "product.description", pattern: "refresh schedule:", ignoreCase: true } }, message: "No refresh schedule in the description", path: "description" }],
};

describeEachDatabase("governance policy API", (testDb) => {
  const db = () => testDb().prisma;
  let marcus: Principal;
  beforeAll(async () => {
    await seedDemoMesh(db());
    marcus = await principalByEmail(db(), MARCUS);
  }, 120_000);

  const token = (user: Principal, scopes: string[]): Principal => ({ ...user, tokenScopes: scopes, token: { id: "t", name: "policies-ci", kind: "service" } });
  const call = async <S extends z.ZodType>(op: Operation<S, unknown>, input: Record<string, unknown>, user: Principal | null) => {
    const r = await runOperation(op, input, { user, db: async () => db(), requestId: "req-policies" });
    // Created policies answer with their own Response (201); read it like the route would send it.
    if (r.ok && r.data instanceof Response) return { ok: true as const, status: r.data.status, data: await r.data.json() };
    return r.ok ? { ok: true as const, status: 200, data: r.data } : r;
  };

  it("lets a steward's CI add, read, list, change and disable a domain policy, each change a new version", async () => {
    const ci = token(marcus, ["governance:write"]);
    const created = await call(createPolicyOperation, { domain: "sales", key: "refresh-schedule-stated", definition: freshness, reason: "Consumers asked for it" }, ci);
    expect(created).toMatchObject({ ok: true, status: 201 });
    const policy = (created as { data: PolicyDetail }).data;
    expect(policy).toMatchObject({ key: "refresh-schedule-stated", origin: { kind: "domain", domainSlug: "sales" }, version: 1, enabled: true, severity: "warning" });
    expect(policy.versions).toEqual([expect.objectContaining({ version: 1, reason: "Consumers asked for it" })]);

    const inSales = await call(listPoliciesOperation, { domain: "sales" }, token(marcus, ["catalog:read"]));
    expect((inSales as { data: { policies: PolicySummary[] } }).data.policies.map((p) => p.key)).toContain("refresh-schedule-stated");
    const inCustomer = await call(listPoliciesOperation, { domain: "customer" }, marcus);
    expect((inCustomer as { data: { policies: PolicySummary[] } }).data.policies.map((p) => p.key)).not.toContain("refresh-schedule-stated");

    const changed = await call(updatePolicyOperation, { id: policy.id, definition: { ...freshness, severity: "blocking" }, reason: "Now required" }, ci);
    expect(changed).toMatchObject({ ok: true, data: { version: 2, severity: "blocking" } });
    expect((changed as { data: PolicyDetail }).data.versions[0]!.diff.some((d) => d.kind === "added" && "text" in d && d.text.includes("blocking"))).toBe(true);
    const disabled = await call(updatePolicyOperation, { id: policy.id, enabled: false, reason: "Paused for the migration" }, ci);
    expect(disabled).toMatchObject({ ok: true, data: { version: 3, enabled: false } });
    const onlyEnabled = await call(listPoliciesOperation, { domain: "sales", includeDisabled: "false" }, marcus);
    expect((onlyEnabled as { data: { policies: PolicySummary[] } }).data.policies.map((p) => p.key)).not.toContain("refresh-schedule-stated");
    expect(await call(getPolicyOperation, { id: policy.id }, marcus)).toMatchObject({ ok: true, data: { enabled: false, version: 3 } });

    // Every change is audited as the token's user, through the token.
    const audits = await db().auditEvent.findMany({ where: { targetId: policy.id }, orderBy: { id: "asc" }, select: { action: true, actorId: true } });
    expect(audits.map((a) => a.action)).toEqual(["policy.created", "policy.updated", "policy.disabled"]);
    expect(audits.every((a) => a.actorId === marcus.id)).toBe(true);
  });

  it("refuses what the UI refuses: bad rules, loosening a global policy, another domain, a token without the scope", async () => {
    const ci = token(marcus, ["governance:write"]);
    const bad = await call(createPolicyOperation, { domain: "sales", key: "bad-rules", definition: { ...freshness, rules: [{ assert: { sometimes: "x" }, message: "x" }] }, reason: "Try" }, ci);
    expect(bad).toMatchObject({ ok: false, status: 400, code: "invalid_policy" });
    expect(Object.keys((bad as { fieldErrors: Record<string, string[]> }).fieldErrors).some((k) => k.startsWith("definition"))).toBe(true);
    const loosen = await call(createPolicyOperation, { domain: "sales", key: "owner-and-description", refines: true, definition: { params: { minDescriptionLength: 5 } }, reason: "Shorter" }, ci);
    expect(loosen).toMatchObject({ ok: false, status: 422, code: "policy_loosens" });
    expect(await call(createPolicyOperation, { domain: "customer", key: "not-mine", definition: freshness, reason: "Theirs" }, ci)).toMatchObject({ ok: false, status: 403 });
    expect(await call(createPolicyOperation, { domain: "sales", key: "read-only-token", definition: freshness, reason: "Scope" }, token(marcus, ["catalog:read"]))).toMatchObject({
      ok: false,
      status: 403,
      code: "insufficient_scope",
    });
    expect(await call(createPolicyOperation, { domain: "sales", key: "no-session", definition: freshness, reason: "Who" }, null)).toMatchObject({ ok: false, status: 401 });
    expect(await call(getPolicyOperation, { id: "not-an-id" }, marcus)).toMatchObject({ ok: false, status: 400 });
    expect(await call(getPolicyOperation, { id: "00000000-0000-4000-8000-000000000000" }, marcus)).toMatchObject({ ok: false, status: 404 });
    expect(await call(listPoliciesOperation, { domain: "nowhere" }, marcus)).toMatchObject({ ok: false, status: 404 });
    // Nothing refused was written.
    expect(await db().policy.count({ where: { key: { in: ["bad-rules", "not-mine", "read-only-token", "no-session"] } } })).toBe(0);
  });

  it("checks a product again now for those who answer for it, and stores the evaluation", async () => {
    const olivia = await personaPrincipal(db(), "owner");
    const carlos = await personaPrincipal(db(), "consumer");
    const product = await db().dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" }, select: { id: true } });
    const before = await db().policyEvaluation.count({ where: { productId: product.id } });
    const r = await call(recheckProductOperation, { slug: "sales-orders" }, olivia);
    expect(r).toMatchObject({ ok: true, data: { productSlug: "sales-orders", trigger: "manual" } });
    expect((r as { data: { results: unknown[] } }).data.results.length).toBeGreaterThan(0);
    const latest = await db().policyEvaluation.findFirstOrThrow({ where: { productId: product.id }, orderBy: { evaluatedAt: "desc" }, select: { trigger: true } });
    expect(latest.trigger).toBe("manual");
    expect(await db().policyEvaluation.count({ where: { productId: product.id } })).toBe(before + 1);
    const audited = await db().auditEvent.findMany({ where: { action: "product.policies_checked", targetId: product.id }, select: { actorId: true } });
    expect(audited).toEqual([{ actorId: olivia.id }]);

    // A consumer may read the results but not trigger evaluations; tokens need products:write.
    expect(await call(recheckProductOperation, { slug: "sales-orders" }, carlos)).toMatchObject({ ok: false, status: 403 });
    expect(await call(recheckProductOperation, { slug: "sales-orders" }, token(olivia, ["catalog:read"]))).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
    expect(await call(recheckProductOperation, { slug: "sales-orders" }, token(olivia, ["products:write"]))).toMatchObject({ ok: true });
    expect(await call(recheckProductOperation, { slug: "no-such-product" }, olivia)).toMatchObject({ ok: false, status: 404 });
    expect(await db().policyEvaluation.count({ where: { productId: product.id } })).toBe(before + 2);
    // Refused checks leave no trace; the allowed token's check is audited too.
    expect(await db().auditEvent.count({ where: { action: "product.policies_checked", targetId: product.id } })).toBe(2);
  });
});
