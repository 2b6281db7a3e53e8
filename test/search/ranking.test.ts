import { beforeAll, expect, it } from "vitest";
import { search, suggest } from "@/lib/search/service";
import { searchInputSchema, type SearchResponse } from "@/lib/search/types";
import { describeEachDatabase } from "@/test/support/db";
import { buildCatalogue, type Catalogue, type TestProduct } from "@/test/search/catalogue";

const PRODUCTS: TestProduct[] = [
  { slug: "customer-360", name: "Customer 360", summary: "One row per person", tags: ["crm"], ports: [{ name: "profiles", columns: ["person_id"] }] },
  { slug: "client-master", name: "Client Master", summary: "Golden records", tags: ["customer", "mdm"], ports: [{ name: "clients", columns: ["client_id"] }] },
  { slug: "retail-accounts", name: "Retail Accounts", summary: "Every customer account with its status", ports: [{ name: "accounts", columns: ["account_id"] }] },
  { slug: "order-lines", name: "Order Lines", summary: "Lines of every order", ports: [{ name: "lines", columns: ["order_id", "customer_email", "invoiceTotal"] }] },
  { slug: "shipment-events", name: "Shipment Events", summary: "Parcel scans", description: "Emitted whenever the customer's parcel moves between depots.", ports: [{ name: "events", columns: ["scan_id"] }] },
  { slug: "customer-segments", name: "Customer Segments", summary: "Clusters", status: "draft", team: "sales-team", ports: [{ name: "segments", columns: ["segment_id"] }] },
  { slug: "customer-legacy", name: "Customer Legacy", summary: "Old extract", status: "deprecated", ports: [{ name: "extract", columns: ["legacy_id"] }] },
  { slug: "customer-archive", name: "Customer Archive", summary: "Frozen", status: "retired", ports: [{ name: "archive", columns: ["archive_id"] }] },
  { slug: "org-hierarchy", name: "Organization Hierarchy", summary: "Reporting lines", domain: "finance", ports: [{ name: "gl.journal_entries", columns: ["cost_center"] }] },
  { slug: "finance-draft", name: "Treasury Forecast", summary: "Cash positions by customer", status: "draft", domain: "finance", team: "finance-team", tags: ["secret-plan"], ports: [{ name: "forecast", columns: ["forecast_customer_key"] }] },
];

const slugs = (r: SearchResponse) => r.products.map((p) => p.slug);
const input = (q: Record<string, unknown>) => searchInputSchema.parse(q);

describeEachDatabase("search ranking on a hand-made catalogue", (testDb) => {
  let cat: Catalogue;
  beforeAll(async () => {
    cat = await buildCatalogue(testDb().prisma, PRODUCTS);
  });

  it("ranks name, then tag, then summary, column and description; published before draft; deprecated and retired last", async () => {
    const r = await search(testDb().prisma, cat.users.ada, input({ q: "customer" }));
    expect(slugs(r)).toEqual([
      "customer-360", // name, published
      "client-master", // tag, published
      "customer-segments", // name, draft
      "retail-accounts", // summary
      "finance-draft", // summary, draft
      "order-lines", // column
      "shipment-events", // description
      "customer-legacy", // deprecated
      "customer-archive", // retired
    ]);
    expect(r.total).toBe(9);
    expect(r.totalIsEstimate).toBe(false);
    const lines = r.products.find((p) => p.slug === "order-lines")!;
    expect(lines.reasons).toContain("matched column customer_email");
    expect(r.products.find((p) => p.slug === "client-master")!.reasons).toContain("matched tag customer");
    expect(r.products[0]!.name).toEqual([
      { text: "Customer", match: true },
      { text: " 360", match: false },
    ]);
  });

  it("corrects typos from the vocabulary", async () => {
    const r = await search(testDb().prisma, cat.users.carl, input({ q: "custmer" }));
    expect(r.correctedQuery).toBe("customer");
    expect(slugs(r)[0]).toBe("customer-360");
  });

  it("corrects swapped letters that leave few trigrams in common", async () => {
    // "oredr" shares two of ten trigrams with "order": too few for similarity, yet one swap away.
    const r = await search(testDb().prisma, cat.users.carl, input({ q: "oredr lines" }));
    expect(r.correctedQuery).toBe("order lines");
    expect(slugs(r)[0]).toBe("order-lines");
  });

  it("matches a last word of two letters as a prefix", async () => {
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "shipment ev" })))).toEqual(["shipment-events"]);
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "order li" })))[0]).toBe("order-lines");
  });

  it("matches the last word as a prefix, including prefixes of stemmed words", async () => {
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "custo" })))[0]).toBe("customer-360");
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "organiz" })))).toEqual(["org-hierarchy"]);
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "organizations" })))).toEqual(["org-hierarchy"]);
  });

  it("finds snake_case, camelCase and dotted identifiers", async () => {
    const snake = await search(testDb().prisma, cat.users.carl, input({ q: "customer_email" }));
    expect(slugs(snake)).toEqual(["order-lines"]);
    expect(snake.others.column[0]!.label.map((f) => f.text).join("")).toBe("customer_email");
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "invoice total" })))).toEqual(["order-lines"]);
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "invoice_total" })))).toEqual(["order-lines"]);
    const dotted = await search(testDb().prisma, cat.users.carl, input({ q: "gl.journal_entries" }));
    expect(slugs(dotted)).toEqual(["org-hierarchy"]);
    expect(dotted.products[0]!.reasons).toContain("matched port gl.journal_entries");
  });

  it("drops stopwords unless nothing else is left", async () => {
    expect(slugs(await search(testDb().prisma, cat.users.carl, input({ q: "the customer of" })))[0]).toBe("customer-360");
  });

  it("counts facets with the query and combines them with filters", async () => {
    const r = await search(testDb().prisma, cat.users.ada, input({ q: "customer", status: "published" }));
    expect(slugs(r)).toEqual(["customer-360", "client-master", "retail-accounts", "order-lines", "shipment-events"]);
    // A facet's counts ignore its own filter, so other values stay selectable.
    expect(r.facets.status).toEqual(
      expect.arrayContaining([
        { value: "published", label: "published", count: 5 },
        { value: "draft", label: "draft", count: 2 },
        { value: "deprecated", label: "deprecated", count: 1 },
        { value: "retired", label: "retired", count: 1 },
      ]),
    );
    expect(r.facets.domain).toEqual([{ value: "sales", label: "Sales", count: 5 }]);
    const both = await search(testDb().prisma, cat.users.ada, input({ q: "customer", status: ["published", "draft"], domain: "finance" }));
    expect(slugs(both)).toEqual(["finance-draft"]);
    expect(both.total).toBe(1);
    expect(both.facets.domain).toEqual([
      { value: "sales", label: "Sales", count: 6 },
      { value: "finance", label: "Finance", count: 1 },
    ]);
  });

  it("shows a matching domain with how many listed products it has (drafts not counted)", async () => {
    const r = await search(testDb().prisma, cat.users.carl, input({ q: "finance" }));
    expect(r.others.domain).toEqual([expect.objectContaining({ kind: "domain", detail: "1 product", href: "/search?domain=finance" })]);
    // The count follows the catalogue: publishing the draft makes it two.
    await testDb().prisma.dataProduct.update({ where: { id: cat.ids["finance-draft"] }, data: { status: "published" } });
    try {
      const after = await search(testDb().prisma, cat.users.carl, input({ q: "finance" }));
      expect(after.others.domain).toEqual([expect.objectContaining({ detail: "2 products" })]);
    } finally {
      await testDb().prisma.dataProduct.update({ where: { id: cat.ids["finance-draft"] }, data: { status: "draft" } });
    }
  });

  it("suggests as you type, prefix matches first", async () => {
    const s = await suggest(testDb().prisma, cat.users.carl, { q: "cu", limit: 8 });
    expect(s[0]).toMatchObject({ kind: "product", label: "Customer 360", href: "/products/customer-360" });
    expect(s.map((x) => x.label)).toContain("customer");
    const cols = await suggest(testDb().prisma, cat.users.carl, { q: "customer_e", limit: 8 });
    expect(cols).toContainEqual(expect.objectContaining({ kind: "column", label: "customer_email" }));
  });
});
