import { beforeAll, expect, it } from "vitest";
import { requestAccess, requestExtension } from "@/lib/access/service";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { buildDescriptors } from "@/lib/descriptors/build";
import { descriptorBundle } from "@/lib/descriptors/serialize";
import { applyDescriptorImport } from "@/lib/descriptors/service";
import { createPolicy } from "@/lib/governance/policies";
import { evaluateSpec, evaluationHistory, latestEvaluations, PolicyBlockedError } from "@/lib/governance/service";
import { publishDraft, saveProduct } from "@/lib/products/service";
import { productSpec, type ProductSpecInput } from "@/lib/products/spec";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const MARCUS = "marcus.lindqvist@canopy.demo"; // steward of sales

const newProduct = (over: Partial<ProductSpecInput> = {}): ProductSpecInput => ({
  name: "Order returns",
  slug: "order-returns",
  domain: "sales",
  team: "",
  owners: [],
  summary: "Returned order lines with reasons",
  description: "Every returned order line with the customer's reason, refreshed hourly from the returns service.",
  tags: ["returns"],
  classification: "internal",
  outputPorts: [
    {
      name: "returns",
      type: "trino_table",
      location: "lakehouse.sales_staging.returns",
      description: "One row per returned line",
      columns: [
        { name: "return_id", physicalType: "bigint", logicalType: "integer", required: true, primaryKey: true, description: "Return" },
        { name: "customer_email", physicalType: "varchar", logicalType: "string", pii: true, classification: "confidential", description: "Who returned it" },
      ],
      contract: {
        terms: { purpose: "Returns analysis" },
        quality: [{ metric: "nullValues", column: "return_id", operator: "mustBe", threshold: 0 }],
        sla: [{ property: "freshness", value: 1, unit: "h" }],
      },
    },
  ],
  inputs: [],
  ...over,
});

/** The same product with its port public: PII on a public port is what the blocking pii-protected policy refuses. */
const publicPort = (over: Partial<ProductSpecInput> = {}) => {
  const s = newProduct(over);
  return { ...s, outputPorts: [{ ...s.outputPorts![0]!, classification: "public" as const }] };
};

describeEachDatabase("the governance gates", (testDb) => {
  let olivia: Principal;
  let marcus: Principal;
  let carlos: Principal;
  const db = () => testDb().prisma;
  const ctx = (user: Principal) => ({ user, actor: actorOf(user) });

  beforeAll(async () => {
    await seedDemoMesh(db());
    olivia = await personaPrincipal(db(), "owner");
    carlos = await personaPrincipal(db(), "consumer");
    marcus = await principalByEmail(db(), MARCUS);
  }, 120_000);

  it("refuses to publish while a blocking policy fails, and changes nothing", async () => {
    const products = await db().dataProduct.count();
    const evaluations = await db().policyEvaluation.count();
    const err = await refusal(saveProduct(db(), ctx(olivia), publicPort(), { publish: true }));
    expect(err).toBeInstanceOf(PolicyBlockedError);
    expect(err).toMatchObject({ status: 422, code: "policy_blocked" });
    const results = (err as PolicyBlockedError).details.results;
    expect(results.map((r) => [r.policyKey, r.outcome, r.severity])).toEqual([["pii-protected", "fail", "blocking"]]);
    expect(results[0]!.findings).toEqual([{ path: "outputPorts.0.classification", message: "Port returns holds PII but is public" }]);
    expect(results[0]!.remediation).toMatch(/confidential or restricted/);
    expect(err.message).toContain(results[0]!.remediation);
    expect(err.fieldErrors?.["outputPorts.0.classification"]?.[0]).toContain("holds PII but is public");
    expect(await db().dataProduct.count()).toBe(products);
    expect(await db().policyEvaluation.count()).toBe(evaluations);
  });

  it("saves a draft that fails a blocking policy, stores its evaluation with time, and refuses to publish it until fixed", async () => {
    const before = new Date();
    const saved = await saveProduct(db(), ctx(olivia), publicPort(), { publish: false });
    expect(saved).toMatchObject({ status: "draft", created: true });
    const [first] = await evaluationHistory(db(), olivia, "order-returns");
    expect(first).toMatchObject({ productSlug: "order-returns", blocking: 1, trigger: "product_change" });
    expect(new Date(first!.evaluatedAt).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(first!.score).toBeLessThan(100);

    const refused = await refusal(publishDraft(db(), ctx(olivia), "order-returns"));
    expect(refused).toMatchObject({ status: 422, code: "policy_blocked" });
    expect((await db().dataProduct.findUniqueOrThrow({ where: { slug: "order-returns" } })).status).toBe("draft");

    await saveProduct(db(), ctx(olivia), newProduct(), {});
    const published = await publishDraft(db(), ctx(olivia), "order-returns");
    expect(published.status).toBe("published");
    const history = await evaluationHistory(db(), olivia, "order-returns");
    expect(history.map((e) => e.blocking)).toEqual([0, 0, 1]);
    const times = history.map((e) => new Date(e.evaluatedAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const [latest] = await latestEvaluations(db(), carlos, { products: ["order-returns"] });
    expect(latest).toMatchObject({ productSlug: "order-returns", blocking: 0, score: 100 });
  });

  it("refuses a descriptor import that would publish while a blocking policy fails", async () => {
    const spec = productSpec.parse(publicPort({ slug: "imported-returns", name: "Imported returns" }));
    const built = buildDescriptors(spec, {
      productId: "6f1c2a7e-0000-4000-8000-0000000000aa",
      version: "1.0.0",
      status: "published",
      createdAt: new Date(),
      ownerNames: {},
      inputContracts: {},
      portContracts: { returns: "imported-returns-contract" },
    });
    const err = await refusal(applyDescriptorImport(db(), ctx(olivia), { body: descriptorBundle(built, "yaml"), publish: true }));
    expect(err).toBeInstanceOf(PolicyBlockedError);
    expect(err).toMatchObject({ status: 422, code: "policy_blocked" });
    expect((err as PolicyBlockedError).details.results.map((r) => r.policyKey)).toEqual(["pii-protected"]);
    // Findings point into the imported documents, not the internal spec.
    expect(Object.keys(err.fieldErrors ?? {}).some((k) => k.startsWith("outputPorts."))).toBe(false);
    expect(await db().dataProduct.findUnique({ where: { slug: "imported-returns" } })).toBeNull();
  });

  it("publishes when only warnings fail, with the warning recorded", async () => {
    const saved = await saveProduct(db(), ctx(olivia), newProduct({ slug: "return-reasons", name: "Return reasons", description: "Reasons, hourly." }), { publish: true });
    expect(saved.status).toBe("published");
    const [e] = await latestEvaluations(db(), olivia, { products: ["return-reasons"] });
    expect(e!.blocking).toBe(0);
    expect(e!.results.find((r) => r.policyKey === "owner-and-description")).toMatchObject({ outcome: "fail", severity: "warning" });
  });

  it("applies a steward's new blocking policy to the next version and to the wizard's checks", async () => {
    await createPolicy(db(), ctx(marcus), {
      domain: "sales",
      key: "sales-tags",
      definition: {
        title: "Sales products are tagged",
        rationale: "Tags drive the sales catalogue's navigation pages.",
        remediation: "Add at least one tag describing the product's subject.",
        severity: "blocking",
        appliesTo: "product",
        engine: "rules",
        params: {},
        rules: [{ assert: { count: { path: "product.tags", min: 1 } }, message: "The product has no tags", path: "tags" }],
      },
      reason: "Navigation needs tags",
    });
    // The wizard's server checks show it before saving.
    const checks = await evaluateSpec(db(), olivia, newProduct({ tags: [], description: "Every returned order line with the reason, hourly, now without tags." }));
    expect(checks.find((r) => r.policyKey === "sales-tags")).toMatchObject({
      outcome: "fail",
      origin: { kind: "domain", domainSlug: "sales" },
      findings: [{ path: "tags", message: "The product has no tags" }],
      remediation: "Add at least one tag describing the product's subject.",
    });

    const version = (await db().dataProduct.findUniqueOrThrow({ where: { slug: "order-returns" } })).version;
    const err = await refusal(saveProduct(db(), ctx(olivia), newProduct({ tags: [], description: "Every returned order line with the reason, hourly, now without tags." })));
    expect(err).toMatchObject({ status: 422, code: "policy_blocked" });
    expect(err.message).toMatch(/^Version 1\.0\.1 cannot be published while a blocking policy fails: Sales products are tagged/);
    expect((await db().dataProduct.findUniqueOrThrow({ where: { slug: "order-returns" } })).version).toBe(version);

    const fixed = await saveProduct(db(), ctx(olivia), newProduct({ tags: ["returns", "aftersales"] }));
    expect(fixed).toMatchObject({ version: "1.0.1", status: "published" });
    expect(version).toBe("1.0.0");
  });

  it("gates access requests to restricted data by duration and purpose category", async () => {
    const port = await db().outputPort.findFirstOrThrow({
      where: {
        product: { status: "published", owners: { none: { userId: carlos.id } } },
        OR: [{ classification: "restricted" }, { classification: null, product: { classification: "restricted" } }],
        accessRequests: { none: { principalRef: carlos.id } },
      },
      select: { name: true, product: { select: { slug: true } } },
    });
    const base = { product: port.product.slug, port: port.name, purpose: "Quarter-end reconciliation of receivables", acceptTerms: true as const };
    const requests = await db().accessRequest.count();

    // Globally a missing purpose category is a warning; the domain's steward makes it blocking.
    const steward = await db().domainMember.findFirstOrThrow({ where: { role: "steward", domain: { products: { some: { slug: port.product.slug } } } }, select: { user: { select: { email: true } }, domain: { select: { slug: true } } } });
    await createPolicy(db(), ctx(await principalByEmail(db(), steward.user.email)), {
      domain: steward.domain.slug,
      key: "access-restricted-purpose",
      refines: true,
      definition: { severity: "blocking" },
      reason: "Restricted data is reviewed by purpose here",
    });

    const noCategory = await refusal(requestAccess(db(), ctx(carlos), { ...base, durationDays: 90 }));
    expect(noCategory).toMatchObject({ status: 422, code: "policy_blocked" });
    expect(noCategory.message).toContain("Choose the purpose category that fits the use");
    expect(noCategory.fieldErrors).toHaveProperty("purposeCategory");

    const until = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
    const tooLong = await refusal(requestAccess(db(), ctx(carlos), { ...base, purposeCategory: "reporting", until }));
    expect(tooLong).toMatchObject({ status: 422, code: "policy_blocked" });
    expect((tooLong as PolicyBlockedError).details.results.map((r) => r.policyKey)).toEqual(["access-restricted-duration"]);
    expect(tooLong.message).toContain("Ask for at most 180 days");
    expect(await db().accessRequest.count()).toBe(requests);

    const ok = await requestAccess(db(), ctx(carlos), { ...base, purposeCategory: "reporting", durationDays: 180 });
    expect(ok.status).not.toBe("rejected");
    expect(await db().accessRequest.count()).toBe(requests + 1);

    // Extensions are judged by the grant's total length from today.
    await db().accessRequest.update({ where: { id: ok.id }, data: { status: "active", expiresAt: new Date(Date.now() + 100 * 86_400_000) } });
    const extension = await refusal(requestExtension(db(), ctx(carlos), { requestId: ok.id, days: 90 }));
    expect(extension).toMatchObject({ status: 422, code: "policy_blocked" });
    expect(extension.message).toMatch(/^This extension cannot be requested while a blocking policy fails/);
    expect((await db().accessRequest.findUniqueOrThrow({ where: { id: ok.id } })).extensionDays).toBeNull();
    expect(await requestExtension(db(), ctx(carlos), { requestId: ok.id, days: 30 })).toMatchObject({ extensionDays: 30 });
  });
});
