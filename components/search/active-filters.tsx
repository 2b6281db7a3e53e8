import Link from "next/link";
import { activeFilters, FACET_LABELS, searchHref, withoutFilter, withoutFilters, type SearchState } from "@/components/search/search-url";
import type { SearchResponse } from "@/lib/search/types";

/** The filters in force as chips; each one's link is the same search without it. */
export function ActiveFilters({ state, facets }: { state: SearchState; facets: SearchResponse["facets"] }) {
  const filters = activeFilters(state);
  if (!filters.length) return null;
  const labelOf = (facet: keyof typeof FACET_LABELS, value: string) =>
    facet === "access" ? "I have access" : (facets[facet].find((f) => f.value === value)?.label ?? value);
  return (
    <div className="mb-4 flex flex-wrap items-center gap-2" role="group" aria-label="Active filters">
      {filters.map((f) => {
        const label = labelOf(f.facet, f.value);
        return (
          <Link
            key={`${f.facet}:${f.value}`}
            href={searchHref(withoutFilter(state, f))}
            aria-label={`Remove filter ${FACET_LABELS[f.facet]}: ${label}`}
            className="inline-flex items-center gap-1 rounded-full border border-canopy-600/40 bg-canopy-50 px-2.5 py-1 text-xs font-medium text-canopy-800 hover:bg-canopy-100"
          >
            <span className="text-slate-500">{FACET_LABELS[f.facet]}:</span> {label}
            <span aria-hidden="true" className="ml-0.5 text-sm leading-none">
              ×
            </span>
          </Link>
        );
      })}
      <Link href={searchHref(withoutFilters(state))} className="text-xs font-medium text-canopy-800 underline">
        Remove all filters
      </Link>
    </div>
  );
}
