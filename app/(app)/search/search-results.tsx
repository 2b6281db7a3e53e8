import Link from "next/link";
import { ActiveFilters } from "@/components/search/active-filters";
import { EntityHits, hasEntityHits } from "@/components/search/entity-hits";
import { ProductHits } from "@/components/search/product-hits";
import { SearchFacets } from "@/components/search/search-facets";
import { toState } from "@/components/search/search-params";
import { activeFilters, searchHref, withoutFilters, type SearchState } from "@/components/search/search-url";
import { EmptyState } from "@/components/ui/empty-state";
import type { Principal } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { search } from "@/lib/search/service";
import type { SearchInput, SearchResponse } from "@/lib/search/types";

const fmt = (n: number) => n.toLocaleString("en");

function totalText(res: SearchResponse): string {
  const n = `${fmt(res.total)}${res.totalIsEstimate ? "+" : ""}`;
  return res.total === 1 && !res.totalIsEstimate ? "1 data product" : `${n} data products`;
}

function PopularTags({ tags, centered }: { tags: SearchResponse["popularTags"]; centered?: boolean }) {
  if (!tags.length) return null;
  return (
    <ul className={`flex flex-wrap gap-2 ${centered ? "justify-center" : ""}`} aria-label="Popular tags">
      {tags.map((t) => (
        <li key={t.tag}>
          <Link
            href={searchHref({ tag: [t.tag] })}
            className="inline-flex items-center gap-1 rounded-full bg-canopy-50 px-2.5 py-1 text-xs font-medium text-canopy-800 hover:bg-canopy-100"
          >
            #{t.tag} <span className="text-slate-500">{fmt(t.count)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Browse mode (no query, no filters): the domains with their product counts, and popular tags. */
function Browse({ res }: { res: SearchResponse }) {
  return (
    <section aria-labelledby="browse-domains" className="mb-8">
      <h2 id="browse-domains" className="mb-3 text-lg font-semibold">
        Browse by domain
      </h2>
      {res.facets.domain.length ? (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {res.facets.domain.map((d) => (
            <li key={d.value}>
              <Link href={searchHref({ domain: [d.value] })} className="card block p-4 hover:border-canopy-600/50">
                <span className="block font-semibold text-canopy-800">{d.label}</span>
                <span className="text-sm text-slate-600">{d.count === 1 ? "1 data product" : `${fmt(d.count)} data products`}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">No domains have data products you can see yet.</p>
      )}
      {res.popularTags.length ? (
        <>
          <h2 className="mt-6 mb-3 text-lg font-semibold">Popular tags</h2>
          <PopularTags tags={res.popularTags} />
        </>
      ) : null}
    </section>
  );
}

function NoResults({ res, state }: { res: SearchResponse; state: SearchState }) {
  const filtered = activeFilters(state).length > 0;
  return (
    <EmptyState
      title={state.q ? `No results for “${state.q}”` : "No data products match these filters"}
      action={filtered ? <Link href={searchHref(withoutFilters(state))} className="btn-secondary">Search without filters</Link> : null}
    >
      {res.didYouMean ? (
        <p className="mb-3 text-base">
          Did you mean{" "}
          <Link href={searchHref({ ...state, q: res.didYouMean, cursor: undefined })} className="font-semibold text-canopy-800 underline">
            {res.didYouMean}
          </Link>
          ?
        </p>
      ) : null}
      <p className="mb-3">
        {filtered ? "Try removing a filter, " : "Try "}fewer or shorter words, or a column or tag name.
        {res.popularTags.length ? " Or start from a popular tag:" : ""}
      </p>
      <PopularTags tags={res.popularTags} centered />
    </EmptyState>
  );
}

/** The results of one search: facets, filter chips, product hits and the other kinds, paging. */
export async function SearchResults({ user, input, form }: { user: Principal; input: SearchInput; form: string }) {
  const state = toState(input);
  let res: SearchResponse;
  try {
    res = await search(await getPrisma(), user, input);
  } catch (err) {
    // Expected refusals (a cursor from another search, say) are written for the user; the rest goes to error.tsx.
    if (!(err instanceof UserError)) throw err;
    return (
      <div role="alert" className="card p-6 text-sm text-rose-800">
        {err.message}{" "}
        <Link href={searchHref({ ...state, cursor: undefined })} className="font-medium underline">
          Start this search again
        </Link>
      </div>
    );
  }

  const filtered = activeFilters(state).length > 0;
  const browse = !state.q && !filtered && !state.cursor;
  const others = !state.cursor && hasEntityHits(res.others);
  const empty = res.products.length === 0 && !others;

  return (
    <div className={`grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)] ${others ? "xl:grid-cols-[15rem_minmax(0,1fr)_17rem]" : ""}`}>
      <aside aria-label="Refine the results" className="lg:row-span-2">
        <SearchFacets form={form} facets={res.facets} state={state} />
      </aside>
      <section aria-labelledby="results-heading" className="min-w-0">
        <ActiveFilters state={state} facets={res.facets} />
        {res.correctedQuery && res.correctedQuery !== state.q ? (
          <p className="mb-3 text-sm text-slate-700">
            Showing results for <strong>{res.correctedQuery}</strong>; nothing matched “{state.q}” exactly.
          </p>
        ) : null}
        {browse ? <Browse res={res} /> : null}
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="results-heading" className="text-lg font-semibold">
            {browse ? "All data products" : "Data products"}
          </h2>
          <p role="status" className="text-sm text-slate-600">
            {totalText(res)}
            {state.q ? ` for “${state.q}”` : ""}
          </p>
        </div>
        {empty ? (
          <NoResults res={res} state={state} />
        ) : res.products.length ? (
          <ProductHits hits={res.products} />
        ) : (
          <p className="card p-4 text-sm text-slate-600">No data products match; other kinds of matches are listed beside.</p>
        )}
        {res.nextCursor || state.cursor ? (
          <nav aria-label="More results" className="mt-4 flex flex-wrap gap-2">
            {state.cursor ? (
              <Link href={searchHref({ ...state, cursor: undefined })} className="btn-secondary">
                Back to the first results
              </Link>
            ) : null}
            {res.nextCursor ? (
              <Link href={searchHref({ ...state, cursor: res.nextCursor })} className="btn-secondary">
                More results
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>
      {others ? (
        <section aria-labelledby="others-heading" className="min-w-0 lg:col-start-2 xl:col-start-3 xl:row-start-1">
          <h2 id="others-heading" className="mb-3 text-lg font-semibold">
            Other matches
          </h2>
          <EntityHits others={res.others} />
        </section>
      ) : null}
    </div>
  );
}

/** The shape of the results while they load, announced to screen readers. */
export function SearchResultsSkeleton() {
  return (
    <div role="status" aria-live="polite" className="grid gap-6 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <span className="sr-only">Searching…</span>
      <div className="hidden h-96 animate-pulse rounded-lg bg-slate-200/70 lg:block" />
      <div className="space-y-3">
        <div className="h-6 w-48 animate-pulse rounded bg-slate-200" />
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="h-24 animate-pulse rounded-lg bg-slate-200/70" />
        ))}
      </div>
    </div>
  );
}
