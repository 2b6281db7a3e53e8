import type { FacetName, SearchInput } from "@/lib/search/types";

/**
 * The search page keeps all of its state in the URL (query, facets, cursor), so a search can be shared
 * and the back button works. These helpers build the links that change it; `search-params.ts` reads it.
 * No runtime imports: this module is part of the header on every page.
 */

/** Facets that hold a list of values; `access` is a single switch. */
export const LIST_FACETS = ["domain", "team", "tag", "classification", "status", "portType"] as const satisfies readonly FacetName[];
export type ListFacet = (typeof LIST_FACETS)[number];

export const FACET_LABELS: Record<FacetName, string> = {
  domain: "Domain",
  team: "Owner team",
  tag: "Tag",
  classification: "Classification",
  status: "Lifecycle status",
  portType: "Port type",
  access: "Access",
};

export type SearchState = Pick<SearchInput, "q" | ListFacet | "access" | "cursor"> & { limit?: number };

/** Results per page unless the URL says otherwise. */
export const DEFAULT_LIMIT = 20;

export const EMPTY_STATE: SearchState = { q: "", domain: [], team: [], tag: [], classification: [], status: [], portType: [], access: "any" };

/** The URL of a search; empty parts are left out, so the same search always has the same URL. */
export function searchHref(state: Partial<SearchState>): string {
  const params = new URLSearchParams();
  const q = state.q?.trim();
  if (q) params.set("q", q);
  for (const f of LIST_FACETS) for (const v of state[f] ?? []) params.append(f, v);
  if (state.access === "mine") params.set("access", "mine");
  if (state.limit && state.limit !== DEFAULT_LIMIT) params.set("limit", String(state.limit));
  if (state.cursor) params.set("cursor", state.cursor);
  const qs = params.toString();
  return qs ? `/search?${qs}` : "/search";
}

/** The same search with one facet value switched on or off; the cursor starts over. */
export function toggleFacet(state: SearchState, facet: ListFacet, value: string): SearchState {
  const values = state[facet];
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
  return { ...state, [facet]: next, cursor: undefined };
}

export type ActiveFilter = { facet: FacetName; value: string };

export function activeFilters(state: SearchState): ActiveFilter[] {
  const out: ActiveFilter[] = [];
  for (const f of LIST_FACETS) for (const value of state[f]) out.push({ facet: f, value });
  if (state.access === "mine") out.push({ facet: "access", value: "mine" });
  return out;
}

/** The same search without one filter; the cursor starts over. */
export function withoutFilter(state: SearchState, filter: ActiveFilter): SearchState {
  if (filter.facet === "access") return { ...state, access: "any", cursor: undefined };
  const facet = filter.facet as ListFacet;
  return { ...state, [facet]: state[facet].filter((v) => v !== filter.value), cursor: undefined };
}

/** The same query with no filters at all. */
export function withoutFilters(state: SearchState): SearchState {
  return { ...EMPTY_STATE, q: state.q, limit: state.limit };
}
