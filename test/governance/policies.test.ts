import { beforeAll, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { DEFAULT_POLICIES } from "@/lib/governance/defaults";
import { createPolicy, disablePolicy, getPolicy, GOVERNANCE_REEVALUATE_JOB, listPolicies, seedDefaultPolicies, updatePolicy } from "@/lib/governance/policies";
import { reevaluateHandler } from "@/lib/governance/service";
import type { ClaimedJob } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const MARCUS = "marcus.lindqvist@canopy.demo"; // steward of sales

const tagsPolicy = {
  title: "Sales products are tagged",
  rationale: "Tags drive the sales catalogue's navigation pages.",
  remediation: "Add at least one tag describing the product's subject.",
  severity: "blocking",
  appliesTo: "product",
  engine: "rules",
  params: {},
  rules: [{ assert: { count: { path: "product.tags", min: 1 } }, message: "The product has no tags", path: "tags" }],
};

describeEachDatabase("governance policies", (testDb) => {
  let admin: Principal;
  let marcus: Principal;
  let sofia: Principal;
  let olivia: Principal;
  const ctx = (user: Principal) => ({ user, actor: actorOf(user) });
  const db = () => testDb().prisma;
  const idOf = async (key: string, domain: string | null = null) =>
    (await db().policy.findFirstOrThrow({ where: { key, ...(domain ? { domainId: (await db().domain.findUniqueOrThrow({ where: { slug: domain } })).id } : { domainId: null }) } })).id;

  beforeAll(async () => {
    await seedDemoMesh(db());
    admin = await personaPrincipal(db(), "admin");
    sofia = await personaPrincipal(db(), "steward");
    olivia = await personaPrincipal(db(), "owner");
    marcus = await principalByEmail(db(), MARCUS);
  }, 120_000);

  it("ships the default global policies once, audited as the system, and evaluates the seeded mesh", async () => {
    const list = await listPolicies(db(), olivia);
    expect(list.map((p) => p.key).sort()).toEqual(DEFAULT_POLICIES.map((p) => p.key).sort());
    expect(list.every((p) => p.origin.kind === "global" && p.version === 1 && p.updatedBy === "system")).toBe(true);
    const audits = await db().auditEvent.count({ where: { action: "policy.created", actorLabel: "system" } });
    expect(audits).toBe(DEFAULT_POLICIES.length);
    // Idempotent: a second run adds nothing.
    expect(await db().$transaction((tx) => seedDefaultPolicies(tx))).toBe(0);
    expect(await db().policy.count()).toBe(DEFAULT_POLICIES.length);
    // Every seeded product has an evaluation, and none is blocked: the demo mesh stays publishable.
    const products = await db().dataProduct.count();
    const evaluated = await db().policyEvaluation.groupBy({ by: ["productId"], _max: { blocking: true } });
    expect(evaluated).toHaveLength(products);
    expect(evaluated.every((e) => e._max.blocking === 0)).toBe(true);
  });

  it("lets a steward tighten a global policy for the domain, never loosen it", async () => {
    const before = await db().policy.count();
    const loosen = await refusal(
      createPolicy(db(), ctx(marcus), { domain: "sales", key: "owner-and-description", refines: true, definition: { params: { minDescriptionLength: 30 } }, reason: "Shorter is fine" }),
    );
    expect(loosen).toMatchObject({ status: 422, code: "policy_loosens" });
    expect(loosen.message).toMatch(/^Stewards may only tighten a global policy: Minimum description length must be at least 50/);
    expect(loosen.fieldErrors).toHaveProperty(["definition.params.minDescriptionLength"]);
    const lower = await refusal(
      createPolicy(db(), ctx(marcus), { domain: "sales", key: "owner-and-description", refines: true, definition: { severity: "advice" }, reason: "Less noise" }),
    );
    expect(lower.code).toBe("policy_loosens");
    expect(await db().policy.count()).toBe(before);

    const tightened = await createPolicy(db(), ctx(marcus), {
      domain: "sales",
      key: "owner-and-description",
      refines: true,
      definition: { params: { minDescriptionLength: 120 }, severity: "blocking", remediation: "Sales also asks for the source system's name." },
      reason: "Sales consumers kept asking what the products contain",
    });
    expect(tightened).toMatchObject({ key: "owner-and-description", refines: "owner-and-description", severity: "blocking", origin: { kind: "domain", domainSlug: "sales" } });
    expect(tightened.remediation).toContain("at least 120 characters");
    expect(tightened.remediation).toContain("Sales also asks");

    // In force in sales (replacing the global one), not elsewhere.
    const sales = await listPolicies(db(), olivia, { domain: "sales" });
    expect(sales.filter((p) => p.key === "owner-and-description")).toEqual([expect.objectContaining({ origin: expect.objectContaining({ kind: "domain" }), severity: "blocking" })]);
    const customer = await listPolicies(db(), olivia, { domain: "customer" });
    expect(customer.find((p) => p.key === "owner-and-description")).toMatchObject({ origin: { kind: "global" }, severity: "warning" });

    // Changing the tightening later is checked again.
    const loosenLater = await refusal(updatePolicy(db(), ctx(marcus), tightened.id, { definition: { params: { minDescriptionLength: 10 } }, reason: "Undo" }));
    expect(loosenLater.code).toBe("policy_loosens");
  });

  it("keeps stewards to their own domain and global policies to admins", async () => {
    const globalId = await idOf("pii-protected");
    expect((await refusal(updatePolicy(db(), ctx(marcus), globalId, { enabled: false, reason: "Too strict" }))).status).toBe(403);
    expect((await refusal(disablePolicy(db(), ctx(sofia), globalId, "Too strict"))).status).toBe(403);
    expect((await refusal(createPolicy(db(), ctx(marcus), { domain: null, key: "global-by-steward", definition: tagsPolicy, reason: "Mine" }))).status).toBe(403);
    expect((await refusal(createPolicy(db(), ctx(marcus), { domain: "customer", key: "not-my-domain", definition: tagsPolicy, reason: "Theirs" }))).status).toBe(403);
    expect((await refusal(createPolicy(db(), ctx(olivia), { domain: "sales", key: "member-policy", definition: tagsPolicy, reason: "Members do not govern" }))).status).toBe(403);
    // A steward's refinement in another domain is not theirs to change either.
    const salesRefinement = await idOf("owner-and-description", "sales");
    expect((await refusal(updatePolicy(db(), ctx(sofia), salesRefinement, { enabled: false, reason: "Not mine" }))).status).toBe(403);
    // A domain policy cannot take a global key without tightening it.
    const clash = await refusal(createPolicy(db(), ctx(marcus), { domain: "sales", key: "pii-protected", definition: tagsPolicy, reason: "Own version" }));
    expect(clash).toMatchObject({ status: 400, code: "invalid_policy" });
    expect(clash.fieldErrors?.key?.[0]).toMatch(/tighten it for Sales/);
  });

  it("rejects an invalid definition with errors at their paths", async () => {
    const bad = await refusal(
      createPolicy(db(), ctx(marcus), {
        domain: "sales",
        key: "broken",
        definition: { ...tagsPolicy, rules: [{ assert: { regexMatch: { path: "product.slug" } }, message: "m" }] },
        reason: "Trying",
      }),
    );
    expect(bad).toMatchObject({ status: 400, code: "invalid_policy" });
    expect(bad.fieldErrors?.["definition.rules.0.assert.regexMatch"]?.[0]).toMatch(/Unknown operator "regexMatch"/);
    const opa = await refusal(
      createPolicy(db(), ctx(admin), {
        domain: null,
        key: "opa-naming",
        definition: { title: "Naming by OPA", rationale: "Central naming rules in Rego.", remediation: "Follow the naming guide.", severity: "warning", appliesTo: "product", engine: "opa", opaPath: "canopy/naming" },
        reason: "Central rules",
      }),
    );
    expect(opa.fieldErrors?.["definition.engine"]?.[0]).toMatch(/OPA is not configured/);
  });

  it("versions changes with who, why and the diff, audits them, and keeps history", async () => {
    const id = await idOf("port-contract-quality-sla");
    const current = (await getPolicy(db(), olivia, id)).definition as Record<string, unknown>;
    const v2 = await updatePolicy(db(), ctx(admin), id, { definition: { ...current, severity: "advice" }, reason: "Contracts are being rolled out; advise for now" });
    expect(v2).toMatchObject({ version: 2, severity: "advice", updatedBy: admin.email });
    const v3 = await disablePolicy(db(), ctx(admin), id, "Paused during the contract migration");
    expect(v3).toMatchObject({ version: 3, enabled: false });
    expect((await refusal(updatePolicy(db(), ctx(admin), id, { enabled: false, reason: "Again" }))).code).toBe("no_change");

    const detail = await getPolicy(db(), olivia, id);
    expect(detail.versions.map((v) => [v.version, v.changedBy, v.reason])).toEqual([
      [3, admin.email, "Paused during the contract migration"],
      [2, admin.email, "Contracts are being rolled out; advise for now"],
      [1, "system", "Default policy shipped with Canopy"],
    ]);
    const diff2 = detail.versions[1]!.diff.filter((l) => l.kind !== "same" && l.kind !== "fold");
    expect(diff2).toHaveLength(2);
    expect(diff2).toContainEqual({ kind: "removed", text: '  "severity": "warning",' });
    expect(diff2).toContainEqual({ kind: "added", text: '  "severity": "advice",' });
    expect(detail.versions[0]!.diff.filter((l) => l.kind === "added")).toEqual([{ kind: "added", text: "enabled: false" }]);
    const audit = await db().auditEvent.findMany({ where: { targetType: "policy", targetId: id }, orderBy: { id: "asc" }, select: { action: true, actorLabel: true } });
    expect(audit).toEqual([
      { action: "policy.created", actorLabel: "system" },
      { action: "policy.updated", actorLabel: admin.email },
      { action: "policy.disabled", actorLabel: admin.email },
    ]);
    // Disabled policies are listed as such and no longer evaluated.
    expect((await listPolicies(db(), olivia)).find((p) => p.key === "port-contract-quality-sla")).toMatchObject({ enabled: false });
    await updatePolicy(db(), ctx(admin), id, { enabled: true, reason: "Migration done" });
  });

  it("re-evaluates the products in a policy's scope through the outbox job", async () => {
    const created = await createPolicy(db(), ctx(marcus), { domain: "sales", key: "sales-tags", definition: tagsPolicy, reason: "Navigation needs tags" });
    expect(created).toMatchObject({ origin: { kind: "domain", domainSlug: "sales", domainName: "Sales" }, refines: null, version: 1 });
    const job = await db().job.findFirstOrThrow({ where: { kind: GOVERNANCE_REEVALUATE_JOB, targetId: created.id } });
    const sales = await db().domain.findUniqueOrThrow({ where: { slug: "sales" } });
    expect(job.payload).toEqual({ domainId: sales.id, policyId: created.id, version: 1 });

    const startedAt = new Date();
    const claimed: ClaimedJob = { id: job.id, kind: job.kind, payload: job.payload, attempt: 1, maxAttempts: job.maxAttempts, idempotencyKey: job.idempotencyKey };
    const out = await reevaluateHandler()(claimed, { db: db(), log: logger, signal: new AbortController().signal });
    const inScope = await db().dataProduct.count({ where: { domainId: sales.id, status: { not: "retired" } } });
    expect(out).toEqual({ evaluated: inScope });

    const fresh = await db().policyEvaluation.findMany({ where: { trigger: "policy_change", evaluatedAt: { gte: startedAt } }, include: { results: true } });
    expect(fresh).toHaveLength(inScope);
    const salesIds = new Set((await db().dataProduct.findMany({ where: { domainId: sales.id }, select: { id: true } })).map((p) => p.id));
    expect(fresh.every((e) => salesIds.has(e.productId))).toBe(true);
    for (const e of fresh) {
      const r = e.results.find((x) => x.policyKey === "sales-tags");
      expect(r).toMatchObject({ severity: "blocking", policyVersion: 1, origin: { kind: "domain", domainSlug: "sales", domainName: "Sales" } });
      // The sales tightening of the description policy applies to sales products now.
      expect(e.results.find((x) => x.policyKey === "owner-and-description")).toMatchObject({ severity: "blocking", origin: { kind: "domain" } });
    }
  });
});
