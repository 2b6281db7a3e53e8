import { beforeAll, describe, expect, it } from "vitest";
import { can } from "@/lib/auth/permissions";
import { getProductDetail, listDomainsWithCounts, listProducts, productFilterSchema, toProductRef, visibleProductsWhere } from "@/lib/catalog/queries";
import { DEMO_PERSONA_KEYS } from "@/lib/demo/personas";
import { seedDemoMesh } from "@/lib/demo/seed";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal } from "@/test/support/seeded";

const noFilter = { q: undefined, domain: undefined, tag: undefined };

describeEachDatabase("catalogue queries", (testDb) => {
  beforeAll(async () => {
    await seedDemoMesh(testDb().prisma);
  });

  it("lists exactly the products can(product.read) allows, for every persona", async () => {
    const db = testDb().prisma;
    const all = await db.dataProduct.findMany({
      select: { id: true, slug: true, name: true, status: true, domainId: true, ownerTeamId: true, owners: { select: { userId: true } } },
    });
    for (const key of DEMO_PERSONA_KEYS) {
      const user = await personaPrincipal(db, key);
      const expected = all.filter((p) => can(user, "product.read", toProductRef(p))).map((p) => p.slug).sort();
      const listed = (await listProducts(db, user, noFilter)).map((p) => p.slug).sort();
      expect(listed, key).toEqual(expected);
      const viaWhere = (await db.dataProduct.findMany({ where: visibleProductsWhere(user), select: { slug: true } })).map((p) => p.slug).sort();
      expect(viaWhere, key).toEqual(expected);
    }
  });

  it("hides other teams' drafts from a consumer and shows them to their owner", async () => {
    const db = testDb().prisma;
    const drafts = await db.dataProduct.findMany({ where: { status: "draft" }, select: { slug: true, owners: { select: { user: { select: { email: true } } } } } });
    expect(drafts.length).toBeGreaterThan(0);
    const consumer = await personaPrincipal(db, "consumer");
    const owner = await personaPrincipal(db, "owner");
    const consumerSees = new Set((await listProducts(db, consumer, noFilter)).map((p) => p.slug));
    for (const d of drafts) expect(consumerSees.has(d.slug), d.slug).toBe(false);
    const oliviaDraft = drafts.find((d) => d.owners.some((o) => o.user.email === "olivia.owner@canopy.demo"));
    expect(oliviaDraft).toBeDefined();
    expect((await listProducts(db, owner, noFilter)).some((p) => p.slug === oliviaDraft!.slug)).toBe(true);
    expect(await getProductDetail(db, consumer, oliviaDraft!.slug)).toBeNull();
    expect(await getProductDetail(db, owner, oliviaDraft!.slug)).not.toBeNull();
  });

  it("filters by text, domain, status and tag, and combines them", async () => {
    const db = testDb().prisma;
    const user = await personaPrincipal(db, "admin");
    const sales = await listProducts(db, user, { ...noFilter, domain: "sales" });
    expect(sales.length).toBeGreaterThan(0);
    expect(sales.every((p) => p.domain.slug === "sales")).toBe(true);

    const deprecated = await listProducts(db, user, { ...noFilter, status: "deprecated" });
    expect(deprecated.length).toBeGreaterThan(0);
    expect(deprecated.every((p) => p.status === "deprecated")).toBe(true);

    const someTag = sales[0]!.tags[0]!;
    const tagged = await listProducts(db, user, { ...noFilter, tag: someTag });
    expect(tagged.every((p) => p.tags.includes(someTag))).toBe(true);

    const name = sales[0]!.name;
    const byText = await listProducts(db, user, { ...noFilter, q: name.slice(0, Math.max(4, Math.floor(name.length / 2))).toUpperCase() });
    expect(byText.map((p) => p.slug)).toContain(sales[0]!.slug);

    const combined = await listProducts(db, user, { ...noFilter, domain: "sales", status: "retired", q: "zzzz-no-such-product" });
    expect(combined).toEqual([]);
  });

  it("lists published products before drafts, deprecated and retired ones", async () => {
    const db = testDb().prisma;
    const user = await personaPrincipal(db, "admin");
    const order = { published: 0, draft: 1, deprecated: 2, retired: 3 } as const;
    const ranks = (await listProducts(db, user, noFilter)).map((p) => order[p.status]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("returns a product page with ports, ordered schema, owners and both directions of lineage", async () => {
    const db = testDb().prisma;
    const user = await personaPrincipal(db, "consumer");
    const withDeps = await db.dataProduct.findFirst({
      where: { status: "published", dependencies: { some: {} }, outputPorts: { some: { consumers: { some: {} } } } },
      select: { slug: true },
    });
    expect(withDeps).not.toBeNull();
    const p = (await getProductDetail(db, user, withDeps!.slug))!;
    expect(p.ports.length).toBeGreaterThan(0);
    expect(p.owners.length).toBeGreaterThan(0);
    expect(p.upstream.length).toBeGreaterThan(0);
    expect(p.downstream.length).toBeGreaterThan(0);
    for (const port of p.ports) {
      const positions = port.fields.map((f) => f.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    expect(p.permissions).toEqual({ update: false, publish: false, provision: false, requestAccess: true });
  });

  it("shows a draft on the other end of a dependency as restricted, without its name", async () => {
    const db = testDb().prisma;
    const draft = await db.dataProduct.findFirstOrThrow({ where: { status: "draft" }, select: { id: true, slug: true, name: true } });
    const upstreamPort = await db.outputPort.findFirstOrThrow({
      where: { product: { status: "published" }, consumers: { none: { productId: draft.id } } },
      select: { id: true, product: { select: { slug: true } } },
    });
    await db.productDependency.create({ data: { productId: draft.id, upstreamPortId: upstreamPort.id, inputName: "secret-input" } });
    const consumer = await personaPrincipal(db, "consumer");
    const page = (await getProductDetail(db, consumer, upstreamPort.product.slug))!;
    const restricted = page.downstream.filter((d) => d.restricted);
    expect(restricted.length).toBeGreaterThan(0);
    expect(JSON.stringify(page)).not.toContain(draft.name);
    expect(JSON.stringify(page)).not.toContain(draft.slug);
  });

  it("counts only visible products per domain", async () => {
    const db = testDb().prisma;
    const consumer = await personaPrincipal(db, "consumer");
    const admin = await personaPrincipal(db, "admin");
    const forConsumer = await listDomainsWithCounts(db, consumer);
    const forAdmin = await listDomainsWithCounts(db, admin);
    const total = (xs: { productCount: number }[]) => xs.reduce((n, d) => n + d.productCount, 0);
    expect(total(forAdmin)).toBe(await db.dataProduct.count());
    expect(total(forConsumer)).toBe(await db.dataProduct.count({ where: { status: { not: "draft" } } }));
  });
});

describe("productFilterSchema", () => {
  it("treats empty form fields as no filter", () => {
    expect(productFilterSchema.parse({ q: "  ", domain: "", status: "", tag: "" })).toEqual({
      q: undefined,
      domain: undefined,
      status: undefined,
      tag: undefined,
    });
  });
  it("names the allowed values when a status is unknown", () => {
    const r = productFilterSchema.safeParse({ status: "bogus" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("status must be one of draft, published, deprecated, retired");
  });
  it("refuses a search longer than 200 characters", () => {
    expect(productFilterSchema.safeParse({ q: "x".repeat(201) }).success).toBe(false);
  });
});
