import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { search, suggest } from "@/lib/search/service";
import { searchInputSchema, type SearchResponse } from "@/lib/search/types";
import { describeEachDatabase } from "@/test/support/db";
import { buildCatalogue, type Catalogue, type TestProduct } from "@/test/search/catalogue";

const PRODUCTS: TestProduct[] = [
  { slug: "ledger-public", name: "Ledger Entries", summary: "Posted ledger lines", domain: "finance", tags: ["ledger"], ports: [{ name: "entries", columns: ["entry_id", "amount"] }] },
  {
    slug: "ledger-draft",
    name: "Ledger Zeppelin Draft",
    summary: "Unreleased zeppelin ledger",
    status: "draft",
    domain: "finance",
    team: "finance-team",
    tags: ["zeppelin-secret"],
    ports: [{ name: "zeppelin_port", columns: ["zeppelin_column"] }],
  },
  {
    slug: "payroll",
    name: "Payroll Ledger",
    summary: "Salaries per employee with bank details",
    description: "Monthly payroll, confidential.",
    classification: "restricted",
    domain: "finance",
    team: "finance-team",
    ports: [{ name: "salaries", type: "s3_bucket", columns: ["iban_number", "gross_salary"] }],
  },
];

const slugs = (r: SearchResponse) => r.products.map((p) => p.slug);
const input = (q: Record<string, unknown>) => searchInputSchema.parse(q);

describeEachDatabase("search visibility", (testDb) => {
  let cat: Catalogue;
  beforeAll(async () => {
    cat = await buildCatalogue(testDb().prisma, PRODUCTS);
  });

  it("never shows another team's draft: not in results, facets, totals, entity hits or suggestions", async () => {
    const db = testDb().prisma;
    const carl = await search(db, cat.users.carl, input({ q: "ledger" }));
    expect(slugs(carl)).not.toContain("ledger-draft");
    expect(carl.total).toBe(2);
    expect(carl.facets.status.map((f) => f.value)).not.toContain("draft");
    expect(carl.facets.domain).toEqual([{ value: "finance", label: "Finance", count: 2 }]);
    expect((await search(db, cat.users.carl, input({ q: "zeppelin" }))).products).toEqual([]);
    const byTag = await search(db, cat.users.carl, input({ q: "", tag: "zeppelin-secret" }));
    expect(byTag.products).toEqual([]);
    expect(byTag.facets.tag.map((f) => f.value)).not.toContain("zeppelin-secret");
    expect(byTag.popularTags.map((t) => t.tag)).not.toContain("zeppelin-secret");
    expect(await suggest(db, cat.users.carl, { q: "zep", limit: 10 })).toEqual([]);
    expect(await suggest(db, cat.users.olga, { q: "zep", limit: 10 })).toEqual([]);

    // The owning team, stewards of other domains (no) and admins (yes).
    expect(slugs(await search(db, cat.users.frank, input({ q: "zeppelin" })))).toEqual(["ledger-draft"]);
    expect(slugs(await search(db, cat.users.stella, input({ q: "zeppelin" })))).toEqual([]);
    expect(slugs(await search(db, cat.users.ada, input({ q: "zeppelin" })))).toEqual(["ledger-draft"]);
    expect((await suggest(db, cat.users.frank, { q: "ledger z", limit: 10 })).map((s) => s.label)).toEqual(["Ledger Zeppelin Draft"]);
  });

  it("shows restricted products without details, and does not match them on hidden fields", async () => {
    const db = testDb().prisma;
    const r = await search(db, cat.users.carl, input({ q: "payroll" }));
    expect(slugs(r)).toEqual(["payroll"]);
    expect(r.products[0]).toMatchObject({ restricted: true, summary: [], portTypes: [], hasAccess: false });
    expect(r.products[0]!.reasons).toEqual(["matched name"]);
    // Columns and summary of a restricted product are hidden from people without access.
    expect((await search(db, cat.users.carl, input({ q: "iban" }))).products).toEqual([]);
    expect((await search(db, cat.users.carl, input({ q: "salaries employee" }))).products).toEqual([]);
    expect(await suggest(db, cat.users.carl, { q: "iban", limit: 10 })).toEqual([]);
    // Owners see everything.
    const frank = await search(db, cat.users.frank, input({ q: "iban" }));
    expect(slugs(frank)).toEqual(["payroll"]);
    expect(frank.products[0]).toMatchObject({ restricted: false, hasAccess: true });
    expect(frank.products[0]!.reasons).toContain("matched column iban_number");
  });

  it("shows a restricted product's details to a user with an active grant", async () => {
    const db = testDb().prisma;
    const port = await db.outputPort.findFirstOrThrow({ where: { productId: cat.ids.payroll }, select: { id: true } });
    const grant = await db.accessRequest.create({
      data: {
        id: randomUUID(),
        portId: port.id,
        requesterId: cat.users.carl.id,
        principalType: "user",
        principalRef: cat.users.carl.id,
        purpose: "audit",
        durationDays: 30,
        status: "active",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    try {
      const r = await search(db, cat.users.carl, input({ q: "iban" }));
      expect(slugs(r)).toEqual(["payroll"]);
      expect(r.products[0]).toMatchObject({ restricted: false, hasAccess: true });
      const mine = await search(db, cat.users.carl, input({ q: "", access: "mine" }));
      expect(slugs(mine)).toEqual(["payroll"]);
      expect((await search(db, cat.users.carl, input({ q: "ledger" }))).facets.access).toEqual([{ value: "mine", label: "I have access", count: 1 }]);
    } finally {
      await db.accessRequest.update({ where: { id: grant.id }, data: { status: "expired" } });
    }
    expect((await search(db, cat.users.carl, input({ q: "iban" }))).products).toEqual([]);
  });
});

describeEachDatabase("search pagination", (testDb) => {
  let cat: Catalogue;
  const many: TestProduct[] = Array.from({ length: 23 }, (_, i) => ({
    slug: `metric-${String(i).padStart(2, "0")}`,
    name: `Metric ${["Alpha", "Beta", "Gamma", "Delta", "Epsilon"][i % 5]} ${i}`,
    summary: i % 3 === 0 ? "A metric about revenue" : "A metric",
    status: i % 7 === 0 ? "deprecated" : "published",
    ports: [{ name: "values", columns: [i % 2 ? "metric_value" : "value"] }],
  }));
  beforeAll(async () => {
    cat = await buildCatalogue(testDb().prisma, many);
  });

  it("walks every result once with the cursor, with no duplicates and no gaps", async () => {
    const db = testDb().prisma;
    for (const q of ["metric", ""]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const r = await search(db, cat.users.carl, input({ q, limit: 5, cursor }));
        seen.push(...slugs(r));
        cursor = r.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(23);
      const all = await search(db, cat.users.carl, input({ q, limit: 50 }));
      expect(seen).toEqual(slugs(all));
    }
  });

  it("refuses a tampered cursor or one from another query with 400", async () => {
    const db = testDb().prisma;
    const first = await search(db, cat.users.carl, input({ q: "metric", limit: 5 }));
    expect(first.nextCursor).toBeTruthy();
    const attempts = [
      "not-a-cursor!",
      Buffer.from("{}").toString("base64url"),
      Buffer.from(JSON.stringify({ v: 1, b: 0, s: 1, id: "x", h: 1 })).toString("base64url"),
      first.nextCursor!.slice(0, -3),
    ];
    for (const cursor of attempts) {
      const err = await search(db, cat.users.carl, input({ q: "metric", limit: 5, cursor })).catch((e: unknown) => e);
      expect(err, cursor).toBeInstanceOf(UserError);
      expect((err as UserError).status).toBe(400);
      expect((err as UserError).code).toBe("invalid_cursor");
    }
    const other = await search(db, cat.users.carl, input({ q: "revenue", limit: 5, cursor: first.nextCursor! })).catch((e: unknown) => e);
    expect((other as UserError).code).toBe("invalid_cursor");
  });
});
