import { beforeAll, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { runOperation } from "@/lib/http/operation";
import { deprecateProduct } from "@/lib/lineage/deprecate";
import { deprecateOperation } from "@/lib/lineage/operations";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const HANNAH = "hannah.okafor@canopy.demo";
const DANIEL = "daniel.moreau@canopy.demo";

describeEachDatabase("deprecating a product", (testDb) => {
  const db = () => testDb().prisma;
  let olivia: Principal;
  let carlos: Principal;
  let hannah: Principal;
  const ctx = (user: Principal) => ({ user, actor: actorOf(user) });
  const counts = async () => ({
    notifications: await db().notification.count(),
    audit: await db().auditEvent.count(),
    versions: await db().productVersion.count(),
  });
  beforeAll(async () => {
    await seedDemoMesh(db());
    olivia = await personaPrincipal(db(), "owner");
    carlos = await personaPrincipal(db(), "consumer");
    hannah = await principalByEmail(db(), HANNAH);
  }, 180_000);

  it("shows the impact in a dry run and changes nothing", async () => {
    const before = await counts();
    const r = await deprecateProduct(db(), ctx(olivia), "sales-orders", { reason: "", dryRun: true });
    expect(r).toMatchObject({ dryRun: true, product: { slug: "sales-orders", status: "published" } });
    expect(r.impact.products.find((p) => p.product?.slug === "shipments")).toMatchObject({ depth: 1 });
    expect(r.notified.owners).toBeGreaterThan(5);
    expect(r.notified.consumers).toBeGreaterThanOrEqual(1);
    expect(await counts()).toEqual(before);
    expect((await db().dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" } })).status).toBe("published");
  });

  it("refuses consumers, drafts and a missing reason", async () => {
    expect(await refusal(deprecateProduct(db(), ctx(carlos), "sales-orders", { reason: "x", dryRun: true }))).toMatchObject({ status: 403 });
    expect(await refusal(deprecateProduct(db(), ctx(carlos), "delivery-eta", { reason: "x", dryRun: false }))).toMatchObject({ status: 404 });
    expect(await refusal(deprecateProduct(db(), ctx(olivia), "sales-forecast-v2", { reason: "x", dryRun: false }))).toMatchObject({ status: 409, message: expect.stringContaining("draft") });
    expect(await refusal(deprecateProduct(db(), ctx(olivia), "sales-orders", { reason: "  ", dryRun: false }))).toMatchObject({ status: 400, fieldErrors: { reason: expect.any(Array) } });
  });

  it("deprecates, records the version and the audit event, and notifies downstream owners and consumers", async () => {
    const reason = "Replaced by Sales Orders v4 (orders-v4 port); retiring on 1 March.";
    const { id: ordersId } = await db().dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" }, select: { id: true } });
    const evaluations = await db().policyEvaluation.count({ where: { productId: ordersId } });
    const r = await deprecateProduct(db(), ctx(olivia), "sales-orders", { reason, dryRun: false });
    expect(r).toMatchObject({ dryRun: false, product: { slug: "sales-orders", status: "deprecated", version: "3.2.0" } });
    const p = await db().dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" }, select: { id: true, status: true, version: true } });
    expect(p).toMatchObject({ status: "deprecated", version: "3.2.0" });

    const version = await db().productVersion.findUniqueOrThrow({ where: { productId_version: { productId: p.id, version: "3.2.0" } } });
    expect(version.changelog).toContain(`Deprecated: ${reason}`);
    expect(version.changelog).toContain("Imported into Canopy");
    expect(JSON.stringify(version.descriptor)).toContain('"deprecated"');

    // The scorecards see the product as it is now.
    expect(await db().policyEvaluation.count({ where: { productId: p.id } })).toBe(evaluations + 1);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "product.deprecated", targetId: p.id } });
    expect(audit).toMatchObject({ actorId: olivia.id, before: { status: "published" }, after: { status: "deprecated", reason, version: "3.2.0" } });

    const notes = await db().notification.findMany({ where: { kind: "product.deprecated" }, select: { userId: true, title: true, body: true, link: true } });
    const to = (id: string) => notes.filter((n) => n.userId === id);
    // Hannah owns Shipments, downstream; Carlos has access to the orders port; Olivia acted and is not told.
    expect(to(hannah.id)).toEqual([{ userId: hannah.id, title: "Sales Orders, which a product you own depends on, is deprecated", body: `Reason: ${reason}`, link: "/products/sales-orders" }]);
    expect(to(carlos.id)).toEqual([expect.objectContaining({ title: "Sales Orders, which you have access to, is deprecated" })]);
    expect(to(olivia.id)).toEqual([]);
    const daniel = await principalByEmail(db(), DANIEL);
    expect(to(daniel.id)).toHaveLength(1);
    // Owners of a draft downstream (Mei, Delivery ETA) hear about it even though Olivia may not see their product.
    const mei = await principalByEmail(db(), "mei.chen@canopy.demo");
    expect(to(mei.id)).toHaveLength(1);
    expect(new Set(notes.map((n) => n.userId)).size).toBe(notes.length);
    expect(r.notified.owners + r.notified.consumers).toBe(notes.length);

    // The search index follows the status (its triggers run in the same transaction).
    const [doc] = await db().$queryRawUnsafe<{ status: string }[]>(`SELECT status::text AS status FROM search_documents WHERE product_id = $1::uuid`, p.id);
    expect(doc?.status).toBe("deprecated");

    expect(await refusal(deprecateProduct(db(), ctx(olivia), "sales-orders", { reason, dryRun: false }))).toMatchObject({ status: 409, message: "The product is deprecated already" });
  });

  it("answers over the API, and a token needs products:write", async () => {
    const call = (input: Record<string, unknown>, user: Principal | null) => runOperation(deprecateOperation, input, { user, db: async () => db(), requestId: "req-deprecate" });
    const token = (scopes: string[]): Principal => ({ ...hannah, tokenScopes: scopes, token: { id: "t", name: "ci", kind: "service" } });
    expect(await call({ slug: "returns", dryRun: true }, token(["catalog:read"]))).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
    expect(await call({ slug: "returns", dryRun: true }, token(["products:write"]))).toMatchObject({ ok: true, data: { dryRun: true } });
    expect(await call({ slug: "returns", reason: "x".repeat(2001) }, hannah)).toMatchObject({ ok: false, status: 400, fieldErrors: { reason: expect.any(Array) } });
    expect(await call({ slug: "returns", dryRun: "maybe" }, hannah)).toMatchObject({ ok: false, status: 400 });
    expect(await call({ slug: "returns", reason: "Merged into Shipments" }, hannah)).toMatchObject({ ok: true, data: { product: { status: "deprecated" } } });
  });
});
