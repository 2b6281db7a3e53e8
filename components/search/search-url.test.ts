import { describe, expect, it } from "vitest";
import { parseSearchParams, toState } from "@/components/search/search-params";
import { activeFilters, EMPTY_STATE, searchHref, toggleFacet, withoutFilter, withoutFilters } from "@/components/search/search-url";

describe("search URL state", () => {
  it("reads repeated keys from the filter form and comma-separated values from shared links alike", () => {
    const form = parseSearchParams({ q: "orders", domain: ["sales", "finance"], access: "mine" });
    const shared = parseSearchParams({ q: "orders", domain: "sales,finance", access: "mine" });
    expect(form.problems).toEqual([]);
    expect(form.input).toEqual(shared.input);
    expect(form.input).toMatchObject({ q: "orders", domain: ["sales", "finance"], access: "mine", team: [], tag: [] });
  });

  it("round-trips: the URL built from a search reads back as the same search", () => {
    const state = { ...EMPTY_STATE, q: "customer email", tag: ["pii", "gdpr"], status: ["published"], access: "mine" as const, cursor: "abc", limit: 5 };
    const href = searchHref(state);
    expect(href).toBe("/search?q=customer+email&tag=pii&tag=gdpr&status=published&access=mine&limit=5&cursor=abc");
    const params = new URL(href, "http://x").searchParams;
    const raw: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) raw[key] = params.getAll(key).length > 1 ? params.getAll(key) : params.get(key)!;
    expect(toState(parseSearchParams(raw).input)).toEqual(state);
  });

  it("leaves empty parts out, so one search has one URL", () => {
    expect(searchHref(EMPTY_STATE)).toBe("/search");
    expect(searchHref({ q: "  " })).toBe("/search");
    expect(searchHref({ ...EMPTY_STATE, q: " fx ", access: "any", limit: 20 })).toBe("/search?q=fx");
  });

  it("keeps what it understands and names what it left out", () => {
    const { input, problems } = parseSearchParams({ q: "orders", access: "everything", limit: "5000", tag: "pii" });
    expect(input).toMatchObject({ q: "orders", access: "any", limit: 20, tag: ["pii"] });
    expect(problems).toHaveLength(2);
    expect(problems.join(" ")).toMatch(/^Access: /);
  });

  it("survives a query that is far too long", () => {
    const { input, problems } = parseSearchParams({ q: "x".repeat(500), domain: "sales" });
    expect(input.q).toBe("");
    expect(input.domain).toEqual(["sales"]);
    expect(problems[0]).toMatch(/^Query: /);
  });

  it("toggles a facet value and starts the pages over", () => {
    const state = { ...EMPTY_STATE, q: "kpi", domain: ["sales"], cursor: "c1" };
    const on = toggleFacet(state, "domain", "finance");
    expect(on.domain).toEqual(["sales", "finance"]);
    expect(on.cursor).toBeUndefined();
    expect(toggleFacet(on, "domain", "sales").domain).toEqual(["finance"]);
  });

  it("lists active filters, and removes one or all of them keeping the query", () => {
    const state = { ...EMPTY_STATE, q: "kpi", domain: ["sales"], tag: ["daily"], access: "mine" as const, cursor: "c1" };
    expect(activeFilters(state)).toEqual([
      { facet: "domain", value: "sales" },
      { facet: "tag", value: "daily" },
      { facet: "access", value: "mine" },
    ]);
    expect(searchHref(withoutFilter(state, { facet: "tag", value: "daily" }))).toBe("/search?q=kpi&domain=sales&access=mine");
    expect(searchHref(withoutFilter(state, { facet: "access", value: "mine" }))).toBe("/search?q=kpi&domain=sales&tag=daily");
    expect(searchHref(withoutFilters(state))).toBe("/search?q=kpi");
  });
});
