import { beforeAll, expect, it } from "vitest";
import type { ZodType } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import { runOperation, type Operation } from "@/lib/http/operation";
import { searchOperation, suggestOperation } from "@/lib/search/operations";
import type { SearchResponse, Suggestion } from "@/lib/search/types";
import { describeEachDatabase } from "@/test/support/db";
import { buildCatalogue, type Catalogue } from "@/test/search/catalogue";

describeEachDatabase("search REST operations", (testDb) => {
  let cat: Catalogue;
  beforeAll(async () => {
    cat = await buildCatalogue(testDb().prisma, [
      { slug: "customer-360", name: "Customer 360", summary: "One row per customer", tags: ["crm"], ports: [{ name: "profiles", columns: ["customer_id", "email"] }] },
      { slug: "orders", name: "Orders", summary: "Orders", tags: ["sales"], ports: [{ name: "orders", columns: ["order_id"] }] },
    ]);
  });

  async function call<S extends ZodType, T>(op: Operation<S, T>, input: Record<string, unknown>, user: Principal | null) {
    const result = await runOperation(op, input, { user, db: async () => testDb().prisma, requestId: "req-search-test" });
    return result;
  }
  const token = (u: Principal, ...scopes: string[]): Principal => ({ ...u, tokenScopes: scopes, token: { id: "t1", name: "ci", kind: "service" } });

  it("answers signed-in users and tokens with catalog:read, 401 without a session, 403 for a token without the scope", async () => {
    const ok = await call(searchOperation, { q: "customer", tag: "crm,other", limit: "5" }, cat.users.carl);
    expect(ok.ok).toBe(true);
    const body = (ok as { data: SearchResponse }).data;
    expect(body.products.map((p) => p.slug)).toEqual(["customer-360"]);
    expect(body.facets.tag).toContainEqual({ value: "crm", label: "crm", count: 1 });
    expect((await call(searchOperation, { q: "customer" }, token(cat.users.carl, "catalog:read"))).ok).toBe(true);
    expect(await call(searchOperation, { q: "customer" }, null)).toMatchObject({ ok: false, status: 401 });
    expect(await call(searchOperation, { q: "customer" }, token(cat.users.carl, "access:read"))).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
    const s = await call(suggestOperation, { q: "cus" }, cat.users.carl);
    expect((s as { data: { items: Suggestion[] } }).data.items[0]).toMatchObject({ kind: "product", label: "Customer 360" });
  });

  it("validates the input: limits, lengths, enum values and the cursor", async () => {
    expect(await call(searchOperation, { q: "x".repeat(201) }, cat.users.carl)).toMatchObject({ ok: false, status: 400, fieldErrors: { q: expect.any(Array) } });
    expect(await call(searchOperation, { limit: "0" }, cat.users.carl)).toMatchObject({ ok: false, status: 400, fieldErrors: { limit: expect.any(Array) } });
    expect(await call(searchOperation, { access: "everything" }, cat.users.carl)).toMatchObject({ ok: false, status: 400, fieldErrors: { access: expect.any(Array) } });
    expect(await call(searchOperation, { q: "customer", cursor: "eyJ2IjoxfQ" }, cat.users.carl)).toMatchObject({ ok: false, status: 400, code: "invalid_cursor" });
    expect(await call(suggestOperation, { q: "c" }, cat.users.carl)).toMatchObject({ ok: false, status: 400, fieldErrors: { q: expect.any(Array) } });
    expect(await call(suggestOperation, { q: "cu", limit: "11" }, cat.users.carl)).toMatchObject({ ok: false, status: 400, fieldErrors: { limit: expect.any(Array) } });
  });

  it("answers a search without hits with popular tags and an empty page", async () => {
    const r = await call(searchOperation, { q: "zzzqqq" }, cat.users.carl);
    const body = (r as { data: SearchResponse }).data;
    expect(body).toMatchObject({ total: 0, products: [], nextCursor: null, correctedQuery: null });
    expect(body.popularTags.map((t) => t.tag).sort()).toEqual(["crm", "sales"]);
  });
});
