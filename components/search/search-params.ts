import { FACET_LABELS, LIST_FACETS, type SearchState } from "@/components/search/search-url";
import { searchInputSchema, type FacetName, type SearchInput } from "@/lib/search/types";

type RawParams = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function candidate(raw: RawParams): Record<string, unknown> {
  const out: Record<string, unknown> = { q: first(raw.q), access: first(raw.access), cursor: first(raw.cursor), limit: first(raw.limit) };
  for (const f of LIST_FACETS) {
    const v = raw[f];
    // Repeated keys (check boxes of the GET form) and comma-separated values (shared links) both work.
    out[f] = Array.isArray(v) ? v.flatMap((x) => x.split(",")).filter(Boolean) : v;
  }
  return out;
}

/**
 * Reads the search from the URL. Options that are not understood are left out and named in `problems`,
 * so a mangled link still searches for what it can instead of failing.
 */
export function parseSearchParams(raw: RawParams): { input: SearchInput; problems: string[] } {
  const data = candidate(raw);
  const parsed = searchInputSchema.safeParse(data);
  if (parsed.success) return { input: parsed.data, problems: [] };
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "")));
  const problems = parsed.error.issues.map((i) => {
    const key = String(i.path[0] ?? "");
    const label = key === "q" ? "Query" : key in FACET_LABELS ? FACET_LABELS[key as FacetName] : key;
    return `${label}: ${i.message}`;
  });
  for (const key of bad) delete data[key];
  const retry = searchInputSchema.safeParse(data);
  return { input: retry.success ? retry.data : searchInputSchema.parse({}), problems };
}

export function toState(input: SearchInput): SearchState {
  const { q, domain, team, tag, classification, status, portType, access, cursor, limit } = input;
  return { q, domain, team, tag, classification, status, portType, access, cursor, limit };
}

