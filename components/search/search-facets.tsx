import { FACET_LABELS, LIST_FACETS, type ListFacet, type SearchState } from "@/components/search/search-url";
import type { FacetCount, SearchResponse } from "@/lib/search/types";

/** How many values of a facet show before "More". */
const VISIBLE = 8;

const fmt = (n: number) => n.toLocaleString("en");

/** The values to offer: those with counts, plus selected ones that no longer have any (so they can be unticked). */
export function facetOptions(counts: FacetCount[], selected: string[]): FacetCount[] {
  const missing = selected.filter((v) => !counts.some((c) => c.value === v)).map((value) => ({ value, label: value, count: 0 }));
  return [...counts, ...missing];
}

function FacetValue({ form, facet, option, checked }: { form: string; facet: string; option: FacetCount; checked: boolean }) {
  return (
    <li>
      <label className="flex cursor-pointer items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50">
        <input type="checkbox" form={form} name={facet} value={option.value} defaultChecked={checked} className="size-4 accent-canopy-700" />
        <span className="min-w-0 flex-1 truncate">{option.label}</span>{" "}
        <span className="text-xs text-slate-500 tabular-nums">{fmt(option.count)}</span>
      </label>
    </li>
  );
}

function FacetGroup({ form, facet, counts, state }: { form: string; facet: ListFacet; counts: FacetCount[]; state: SearchState }) {
  const selected = state[facet];
  const options = facetOptions(counts, selected);
  if (!options.length) return null;
  // Selected values always stay in view.
  const shown = options.filter((o, i) => i < VISIBLE || selected.includes(o.value));
  const rest = options.filter((o) => !shown.includes(o));
  return (
    // min-w-0: a fieldset is as wide as its longest label otherwise, and long team names would overflow.
    <fieldset className="min-w-0 border-t border-slate-100 pt-3">
      <legend className="mb-1 text-xs font-semibold text-slate-600">{FACET_LABELS[facet]}</legend>
      <ul>
        {shown.map((o) => (
          <FacetValue key={o.value} form={form} facet={facet} option={o} checked={selected.includes(o.value)} />
        ))}
      </ul>
      {rest.length ? (
        <details>
          <summary className="cursor-pointer px-1 text-xs font-medium text-canopy-800">{rest.length} more</summary>
          <ul>
            {rest.map((o) => (
              <FacetValue key={o.value} form={form} facet={facet} option={o} checked={false} />
            ))}
          </ul>
        </details>
      ) : null}
    </fieldset>
  );
}

/**
 * The facets with their counts, as check boxes of the page's GET form (`form`): ticking values and
 * applying puts them in the URL, combined with the query. Works without JavaScript.
 */
export function SearchFacets({ form, facets, state }: { form: string; facets: SearchResponse["facets"]; state: SearchState }) {
  const mine = facets.access.find((f) => f.value === "mine");
  return (
    <div className="card space-y-3 p-3" role="group" aria-label="Filters">
      <fieldset className="min-w-0">
        <legend className="mb-1 text-xs font-semibold text-slate-600">{FACET_LABELS.access}</legend>
        <label className="flex cursor-pointer items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50">
          <input type="checkbox" form={form} name="access" value="mine" defaultChecked={state.access === "mine"} className="size-4 accent-canopy-700" />
          <span className="flex-1">I have access</span>{" "}
          {mine ? <span className="text-xs text-slate-500 tabular-nums">{fmt(mine.count)}</span> : null}
        </label>
      </fieldset>
      {LIST_FACETS.map((f) => (
        <FacetGroup key={f} form={form} facet={f} counts={facets[f]} state={state} />
      ))}
      <button type="submit" form={form} className="btn-primary w-full">
        Apply filters
      </button>
    </div>
  );
}
