import { beforeAll, expect, it } from "vitest";
import { rebuildSearchIndex } from "@/lib/search/index";
import { search } from "@/lib/search/service";
import { searchInputSchema } from "@/lib/search/types";
import { describeEachDatabase } from "@/test/support/db";
import { buildCatalogue, type Catalogue, type TestProduct } from "@/test/search/catalogue";

const PRODUCTS: TestProduct[] = [
  { slug: "alpha", name: "Alpha Orders", summary: "Orders", tags: ["orders"], ports: [{ name: "orders", columns: ["order_id", "amount"] }] },
  { slug: "beta", name: "Beta Invoices", summary: "Invoices", tags: ["billing"], ports: [{ name: "invoices", columns: ["invoice_id"] }] },
  { slug: "gamma", name: "Gamma Shipments", summary: "Shipments", ports: [{ name: "shipments", columns: ["shipment_id"] }] },
];

type DocRow = { product_id: string; indexed_at: Date };
const at = (m: Map<string, number>, id: string | undefined) => m.get(id!);
type TermRow = { kind: string; term: string; label: string; ref: string; product_count: number };

describeEachDatabase("search index upkeep", (testDb) => {
  let cat: Catalogue;
  beforeAll(async () => {
    cat = await buildCatalogue(testDb().prisma, PRODUCTS);
  });

  const docs = async () =>
    new Map((await testDb().raw.query<DocRow>(`SELECT product_id, indexed_at FROM search_documents`)).map((r) => [r.product_id, new Date(r.indexed_at).getTime()]));
  const terms = () => testDb().raw.query<TermRow>(`SELECT kind, term, label, ref, product_count FROM search_terms ORDER BY kind, term`);
  const find = async (q: string) => (await search(testDb().prisma, cat.users.carl, searchInputSchema.parse({ q }))).products.map((p) => p.slug);

  it("re-indexes only the product that changed", async () => {
    const db = testDb().prisma;
    const before = await docs();
    expect(before.size).toBe(3);
    await new Promise((r) => setTimeout(r, 5));
    await db.dataProduct.update({ where: { id: cat.ids.beta }, data: { summary: "Invoices and credit notes" } });
    const afterSummary = await docs();
    expect(at(afterSummary, cat.ids.beta)!).toBeGreaterThan(at(before, cat.ids.beta)!);
    expect(at(afterSummary, cat.ids.alpha)!).toBe(at(before, cat.ids.alpha)!);
    expect(at(afterSummary, cat.ids.gamma)!).toBe(at(before, cat.ids.gamma)!);
    expect(await find("credit notes")).toEqual(["beta"]);

    // A column renamed: only its product, and the old name is gone from search and vocabulary.
    await new Promise((r) => setTimeout(r, 5));
    const field = await db.schemaField.findFirstOrThrow({ where: { name: "shipment_id" }, select: { id: true } });
    await db.schemaField.update({ where: { id: field.id }, data: { name: "parcel_tracking_code" } });
    const afterColumn = await docs();
    expect(at(afterColumn, cat.ids.gamma)!).toBeGreaterThan(at(afterSummary, cat.ids.gamma)!);
    expect(at(afterColumn, cat.ids.alpha)!).toBe(at(before, cat.ids.alpha)!);
    expect(at(afterColumn, cat.ids.beta)!).toBe(at(afterSummary, cat.ids.beta)!);
    expect(await find("parcel tracking")).toEqual(["gamma"]);
    expect(await find("parcel_tracking_code")).toEqual(["gamma"]);
    const old = await search(testDb().prisma, cat.users.carl, searchInputSchema.parse({ q: "shipment_id" }));
    expect(old.products.flatMap((p) => p.reasons)).not.toContain("matched column shipment_id");
    const cols = (await terms()).filter((t) => t.kind === "column").map((t) => t.term);
    expect(cols).toContain("parcel_tracking_code");
    expect(cols).not.toContain("shipment_id");
  });

  it("follows renames of domains and teams, owners, new ports, deletions and drafts", async () => {
    const db = testDb().prisma;
    await db.domain.update({ where: { id: cat.domainIds.sales }, data: { name: "Commerce" } });
    expect(await find("commerce")).toEqual(expect.arrayContaining(["alpha", "beta", "gamma"]));
    await db.team.update({ where: { id: cat.teamIds["sales-team"] }, data: { name: "Checkout Crew" } });
    expect((await find("checkout crew")).length).toBe(3);
    await db.productOwner.create({ data: { productId: cat.ids.alpha!, userId: cat.users.frank.id } });
    expect(await find("fischer")).toEqual(["alpha"]);
    await db.user.update({ where: { id: cat.users.frank.id }, data: { name: "Frank Falkenberg" } });
    expect(await find("falkenberg")).toEqual(["alpha"]);
    expect(await find("fischer")).toEqual([]);
    await db.outputPort.create({ data: { productId: cat.ids.beta!, name: "dunning_letters", type: "api", location: "https://x.test" } });
    expect(await find("dunning")).toEqual(["beta"]);
    // Back to draft: gone for others, and its words leave the vocabulary.
    await db.dataProduct.update({ where: { id: cat.ids.beta }, data: { status: "draft" } });
    expect(await find("dunning")).toEqual([]);
    expect((await terms()).some((t) => t.kind === "port" && t.term === "dunning_letters")).toBe(false);
    await db.dataProduct.update({ where: { id: cat.ids.beta }, data: { status: "published" } });
    await db.dataProduct.delete({ where: { id: cat.ids.gamma } });
    expect(await find("parcel")).toEqual([]);
    expect((await docs()).has(cat.ids.gamma!)).toBe(false);
  });

  it("indexes each facet value, so the text index applies filters too", async () => {
    const raw = testDb().raw;
    const [alpha] = await raw.query<{ by_own: boolean; by_other_domain: boolean; by_other_tag: boolean; by_other_status: boolean; in_name: boolean; words: boolean }>(
      `SELECT d.v_all @@ search_filter_tsquery(ARRAY[d.domain_id], ARRAY[d.owner_team_id], d.tags, ARRAY[d.classification::text], ARRAY[d.status::text], d.port_types) AS by_own,
              d.v_all @@ search_filter_tsquery(ARRAY[gen_random_uuid()], NULL, NULL, NULL, NULL, NULL) AS by_other_domain,
              d.v_all @@ search_filter_tsquery(NULL, NULL, ARRAY['billing'], NULL, NULL, NULL) AS by_other_tag,
              d.v_all @@ search_filter_tsquery(NULL, NULL, NULL, NULL, ARRAY['retired', 'deprecated'], NULL) AS by_other_status,
              d.v_name @@ search_filter_tsquery(ARRAY[d.domain_id], NULL, ARRAY['orders', 'billing'], NULL, NULL, NULL) AS in_name,
              -- the lexemes are not words: no query a user can type reaches them
              d.v_all @@ search_tsquery(ARRAY['d'], true, 'and') OR d.v_all @@ search_tsquery(ARRAY['g'], true, 'and') AS words
       FROM search_documents d WHERE d.product_id = $1::uuid`,
      [cat.ids.alpha],
    );
    expect(alpha).toEqual({ by_own: true, by_other_domain: false, by_other_tag: false, by_other_status: false, in_name: true, words: false });
    const [none] = await raw.query<{ q: string | null }>(`SELECT search_filter_tsquery('{}', '{}', '{}', '{}', '{}', '{}')::text AS q`);
    expect(none!.q).toBeNull();
  });

  it("keeps the same index as a full rebuild", async () => {
    const raw = testDb().raw;
    const snapshot = () =>
      raw.query(`SELECT product_id, status, domain_id, owner_ids, tags, port_types, name_norm, status_rank, v_all::text AS v_all,
                        v_name::text AS v_name, consumers, quality, boost, vocab FROM search_documents ORDER BY product_id`);
    const incremental = { docs: await snapshot(), terms: await terms() };
    const report = await rebuildSearchIndex(raw);
    expect(report.documents).toBe(2);
    expect({ docs: await snapshot(), terms: await terms() }).toEqual(incremental);

    // Computed on several connections into a staging table, then moved into place: the same index.
    const parallel = await rebuildSearchIndex(raw, { workers: 3 });
    expect(parallel.documents).toBe(2);
    expect({ docs: await snapshot(), terms: await terms() }).toEqual(incremental);
    const left = await raw.query(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'search_rebuild_%'`);
    expect(left).toEqual([]);
  });
});
