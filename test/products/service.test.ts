import { beforeAll, expect, it } from "vitest";
import { readableProduct } from "@/lib/products/access";
import { affectedBy } from "@/lib/products/affected";
import { BreakingChangeError, loadProductSpec, planProductChange, publishDraft, saveProduct } from "@/lib/products/service";
import { bumpVersion, productSpec, type ProductSpec, type ProductSpecInput } from "@/lib/products/spec";
import { seedDemoMesh } from "@/lib/demo/seed";
import { diffVersions, listVersions } from "@/lib/products/versions";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal } from "@/test/support/seeded";


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
        { name: "reason", physicalType: "varchar", logicalType: "string", description: "Why" },
      ],
      contract: { terms: { purpose: "Returns analysis" }, sla: [{ property: "freshness", value: 1, unit: "h" }] },
    },
  ],
  inputs: [{ product: "sales-orders", port: "order-lines" }],
  ...over,
});


async function specOf(db: Parameters<typeof loadProductSpec>[0], slug: string): Promise<ProductSpec> {
  const p = await db.dataProduct.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  return (await loadProductSpec(db, p.id)).spec;
}

describeEachDatabase("creating and changing products from a spec", (testDb) => {
  beforeAll(async () => {
    await seedDemoMesh(testDb().prisma);
  });

  it("creates a published product at 1.0.0 with its owner, lineage, version, audit and provisioning job", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const result = await saveProduct(db, { user: olivia, actor: actorOf(olivia) }, newProduct(), { publish: true });
    expect(result).toMatchObject({ slug: "order-returns", version: "1.0.0", status: "published", created: true });
    const row = await db.dataProduct.findUniqueOrThrow({
      where: { slug: "order-returns" },
      select: {
        id: true,
        owners: { select: { user: { select: { email: true } } } },
        dependencies: { select: { inputName: true, upstreamPort: { select: { name: true } } } },
        outputPorts: { select: { contractId: true, contract: true, fields: { orderBy: { position: "asc" }, select: { name: true, nullable: true, logicalType: true } } } },
        versions: { select: { version: true, changeLevel: true, descriptor: true } },
      },
    });
    expect(row.owners.map((o) => o.user.email)).toEqual(["olivia.owner@canopy.demo"]);
    expect(row.dependencies).toEqual([{ inputName: "sales-orders", upstreamPort: { name: "order-lines" } }]);
    expect(row.outputPorts[0]!.fields).toEqual([
      { name: "return_id", nullable: false, logicalType: "integer" },
      { name: "reason", nullable: true, logicalType: "string" },
    ]);
    expect(row.outputPorts[0]!.contractId).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.versions).toHaveLength(1);
    expect(row.versions[0]).toMatchObject({ version: "1.0.0", changeLevel: "initial" });
    const audit = await db.auditEvent.findMany({ where: { targetId: row.id }, select: { action: true } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["product.created", "product.published", "product.provision_requested"]));
    expect(await db.job.count({ where: { targetId: row.id, kind: "kubernetes.provision-product" } })).toBe(1);
  });

  it("keeps a consumer out of domains they may not publish in, and changes nothing", async () => {
    const { prisma: db } = testDb();
    const carlos = await personaPrincipal(db, "consumer");
    const before = await db.dataProduct.count();
    const err = await refusal(saveProduct(db, { user: carlos, actor: actorOf(carlos) }, newProduct(), { publish: true }));
    expect(err.status).toBe(403);
    expect(await refusal(planProductChange(db, carlos, newProduct()))).toMatchObject({ status: 403 });
    expect(await db.dataProduct.count()).toBe(before);
  });

  it("names every reference that does not resolve", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const err = await refusal(
      saveProduct(db, { user: olivia, actor: actorOf(olivia) }, newProduct({ slug: "returns-unresolved", team: "no-such-team", owners: ["ghost@canopy.demo"], inputs: [{ product: "sales-orders", port: "nope" }] })),
    );
    expect(err.fieldErrors).toMatchObject({
      team: ['No team "no-such-team"'],
      "owners.0": [expect.stringContaining("ghost@canopy.demo has not signed in")],
      "inputs.0": ["No output port sales-orders/nope you can see"],
    });
    expect(await db.dataProduct.findUnique({ where: { slug: "returns-unresolved" } })).toBeNull();
  });

  it("does not reveal a draft behind a taken slug, and refuses input from a draft the user cannot see", async () => {
    const { prisma: db } = testDb();
    const carlosLikeOwner = await personaPrincipal(db, "steward");
    // Sofia stewards the customer domain; sales-forecast-v2 is a sales draft she cannot read.
    const err = await refusal(
      saveProduct(db, { user: carlosLikeOwner, actor: actorOf(carlosLikeOwner) }, newProduct({ slug: "sales-forecast-v2", domain: "customer" })),
    );
    expect(err.status).toBe(409);
    expect(err.message).toBe('The slug "sales-forecast-v2" is taken; choose another');
    const input = await refusal(
      saveProduct(db, { user: carlosLikeOwner, actor: actorOf(carlosLikeOwner) }, newProduct({ slug: "customer-returns", domain: "customer", inputs: [{ product: "sales-forecast-v2", port: "forecast" }] })),
    );
    expect(input.fieldErrors?.["inputs.0"]?.[0]).toMatch(/No output port sales-forecast-v2\/forecast you can see/);
  });

  it("refuses to publish while a check fails, but saves the draft", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const pii = newProduct({ slug: "returns-pii" });
    pii.outputPorts![0]!.columns!.push({ name: "email", physicalType: "varchar", logicalType: "string", pii: true, classification: "internal" });
    const err = await refusal(saveProduct(db, { user: olivia, actor: actorOf(olivia) }, pii, { publish: true }));
    expect(err.code).toBe("checks_failed");
    expect(err.fieldErrors).toHaveProperty("outputPorts.0.columns.2.classification");
    const draft = await saveProduct(db, { user: olivia, actor: actorOf(olivia) }, pii, { publish: false });
    expect(draft.status).toBe("draft");
    expect(await refusal(publishDraft(db, { user: olivia, actor: actorOf(olivia) }, "returns-pii"))).toMatchObject({ code: "checks_failed" });
  });

  it("rewrites a draft's version in place and publishes it", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const ctx = { user: olivia, actor: actorOf(olivia) };
    await saveProduct(db, ctx, newProduct({ slug: "returns-draft" }), { publish: false });
    const spec = await specOf(db, "returns-draft");
    spec.outputPorts[0]!.columns.splice(1, 1); // breaking, but nobody depends on a draft
    const saved = await saveProduct(db, ctx, spec);
    expect(saved).toMatchObject({ version: "1.0.0", status: "draft", changeLevel: "initial" });
    const p = await db.dataProduct.findUniqueOrThrow({ where: { slug: "returns-draft" }, select: { id: true } });
    expect(await db.productVersion.count({ where: { productId: p.id } })).toBe(1);
    expect(await publishDraft(db, ctx, "returns-draft")).toMatchObject({ status: "published", version: "1.0.0" });
  });

  it("guards a breaking change: shows who is affected, needs a major version and an acknowledgement", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const ctx = { user: olivia, actor: actorOf(olivia) };
    const spec = await specOf(db, "sales-orders");
    const orders = spec.outputPorts.find((p) => p.name === "orders")!;
    orders.columns = orders.columns.filter((c) => c.name !== "promo_code");

    const plan = await planProductChange(db, olivia, spec);
    expect(plan).toMatchObject({ exists: true, currentVersion: "3.2.0", level: "major", suggestedVersion: "4.0.0" });
    expect(plan.changes).toContainEqual({ level: "major", path: "outputPorts.orders.columns.promo_code", port: "orders", message: "Column promo_code removed" });
    // Carlos has an active grant on orders; daily-sales-kpis reads it.
    expect(plan.affected.consumers).toContainEqual(expect.objectContaining({ port: "orders", principal: expect.stringContaining("carlos.consumer@canopy.demo") }));
    expect(plan.affected.downstream).toContainEqual(expect.objectContaining({ port: "orders", product: expect.objectContaining({ slug: "daily-sales-kpis" }) }));

    const unacknowledged = await refusal(saveProduct(db, ctx, spec));
    expect(unacknowledged).toBeInstanceOf(BreakingChangeError);
    expect((unacknowledged as BreakingChangeError).affected.consumers.length).toBeGreaterThan(0);
    expect(await refusal(saveProduct(db, ctx, spec, { acknowledgeBreaking: true, version: "3.3.0" }))).toMatchObject({
      fieldErrors: { version: ["This is a major change: the version must be at least 4.0.0"] },
    });
    const before = await db.schemaField.count({ where: { port: { product: { slug: "sales-orders" }, name: "orders" } } });
    expect(before).toBe(15);

    const saved = await saveProduct(db, ctx, spec, { acknowledgeBreaking: true, changelog: "promo_code moves to order lines" });
    expect(saved).toMatchObject({ version: "4.0.0", changeLevel: "major" });
    expect(await db.schemaField.count({ where: { port: { product: { slug: "sales-orders" }, name: "orders" } } })).toBe(14);
    const p = await db.dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" }, select: { id: true, version: true } });
    expect(p.version).toBe("4.0.0");
    const versions = await listVersions(db, p.id);
    expect(versions.map((v) => v.version)).toEqual(["4.0.0", "3.2.0"]);
    expect(versions[0]).toMatchObject({ changeLevel: "major", changelog: "promo_code moves to order lines", createdBy: "Olivia Owner" });
    const diff = await diffVersions(db, p.id, "3.2.0", "4.0.0");
    expect(diff.level).toBe("major");
    expect(diff.changes.map((c) => c.message)).toContain("Column promo_code removed");
  });

  it("classifies additive and wording changes and refuses versions that do not match", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const ctx = { user: olivia, actor: actorOf(olivia) };
    const spec = await specOf(db, "sales-pipeline");
    const current = (await db.dataProduct.findUniqueOrThrow({ where: { slug: "sales-pipeline" } })).version;
    const minor = bumpVersion(current, "minor");
    spec.outputPorts[0]!.columns.push({ name: "loyalty_tier", physicalType: "varchar", logicalType: "string", description: "Tier", classification: "internal", pii: false, required: false, primaryKey: false });
    expect((await planProductChange(db, olivia, spec)).suggestedVersion).toBe(minor);
    expect(await refusal(saveProduct(db, ctx, spec, { version: bumpVersion(current, "patch") }))).toMatchObject({
      fieldErrors: { version: [`This is a minor change: the version must be at least ${minor}`] },
    });
    expect(await refusal(saveProduct(db, ctx, spec, { version: current }))).toMatchObject({ fieldErrors: { version: [`The new version must be higher than ${current}`] } });
    expect(await saveProduct(db, ctx, spec)).toMatchObject({ version: minor, changeLevel: "minor" });
    const wording = await specOf(db, "sales-pipeline");
    wording.summary = "All opportunities, every stage.";
    expect(await saveProduct(db, ctx, wording)).toMatchObject({ version: bumpVersion(minor, "patch"), changeLevel: "patch" });
    expect(await refusal(saveProduct(db, ctx, wording))).toMatchObject({ code: "no_change" });
  });

  it("lets nobody but owners, stewards and admins change a product", async () => {
    const { prisma: db } = testDb();
    const carlos = await personaPrincipal(db, "consumer");
    const spec = await specOf(db, "sales-orders");
    spec.summary = "Hijacked summary text";
    expect(await refusal(saveProduct(db, { user: carlos, actor: actorOf(carlos) }, spec))).toMatchObject({ status: 403 });
    expect((await db.dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" } })).summary).not.toBe("Hijacked summary text");
    expect(await refusal(planProductChange(db, carlos, spec))).toMatchObject({ status: 403 });
  });

  it("never overwrites an existing product when asked only to create, and keeps page names free", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const draft = await db.productDraft.create({ data: { userId: olivia.id, title: "x" } });
    const spec = await specOf(db, "daily-sales-kpis");
    spec.summary = "Overwritten by a wizard";
    const err = await refusal(saveProduct(db, { user: olivia, actor: actorOf(olivia) }, spec, { createOnly: true, draftId: draft.id }));
    expect(err.fieldErrors).toEqual({ slug: ['The slug "daily-sales-kpis" is taken; choose another'] });
    expect((await db.dataProduct.findUniqueOrThrow({ where: { slug: "daily-sales-kpis" } })).summary).not.toBe("Overwritten by a wizard");
    expect(await db.productDraft.findUnique({ where: { id: draft.id } })).not.toBeNull();
    const reserved = await refusal(saveProduct(db, { user: olivia, actor: actorOf(olivia) }, newProduct({ slug: "new" })));
    expect(reserved.fieldErrors?.slug?.[0]).toMatch(/reserved/);
  });

  it("deletes the wizard's draft together with creating the product", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const draft = await db.productDraft.create({ data: { userId: olivia.id, title: "Returns v2" } });
    await saveProduct(db, { user: olivia, actor: actorOf(olivia) }, newProduct({ slug: "returns-v2" }), { createOnly: true, draftId: draft.id });
    expect(await db.productDraft.findUnique({ where: { id: draft.id } })).toBeNull();
  });

  it("rejects an invalid spec field by field", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const bad = newProduct({ slug: "Bad Slug", summary: "short" });
    bad.outputPorts![0]!.name = "Orders!";
    const err = await refusal(saveProduct(db, { user: olivia, actor: actorOf(olivia) }, bad));
    expect(Object.keys(err.fieldErrors ?? {})).toEqual(expect.arrayContaining(["slug", "summary", "outputPorts.0.name"]));
  });

  it("lists affected consumers and hides downstream products the viewer may not see", async () => {
    const { prisma: db } = testDb();
    const olivia = await personaPrincipal(db, "owner");
    const carlos = await personaPrincipal(db, "consumer");
    const p = await db.dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" }, select: { id: true } });
    const asOwner = await affectedBy(db, olivia, p.id, ["orders"]);
    const asOther = await affectedBy(db, carlos, p.id, ["orders"]);
    const forecast = asOwner.downstream.filter((d) => d.product?.slug === "sales-forecast-v2");
    expect(forecast).toHaveLength(1);
    expect(asOther.downstream.some((d) => d.product?.slug === "sales-forecast-v2")).toBe(false);
    expect(asOther.downstream.filter((d) => d.product === null).length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(asOther)).not.toContain("sales-forecast-v2");
    expect(asOther.downstream).toHaveLength(asOwner.downstream.length);
    // Only active, unexpired grants count.
    expect(asOwner.consumers.every((c) => c.port === "orders")).toBe(true);
    const expiredLater = await affectedBy(db, olivia, p.id, ["orders"], new Date("2100-01-01"));
    expect(expiredLater.consumers.length).toBeLessThanOrEqual(asOwner.consumers.length);
    expect(await affectedBy(db, olivia, p.id, [])).toEqual({ consumers: [], downstream: [] });
  });

  it("shows a draft's versions only to those who may read the draft", async () => {
    const { prisma: db } = testDb();
    const carlos = await personaPrincipal(db, "consumer");
    const olivia = await personaPrincipal(db, "owner");
    expect(await refusal(readableProduct(db, carlos, "sales-forecast-v2"))).toMatchObject({ status: 404 });
    expect((await readableProduct(db, olivia, "sales-forecast-v2")).ref.status).toBe("draft");
  });

  it("loads a seeded product as a valid spec", async () => {
    const { prisma: db } = testDb();
    const spec = await specOf(db, "sales-orders");
    const parsed = productSpec.safeParse(spec);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });
});
