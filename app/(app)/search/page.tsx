import type { Metadata } from "next";
import Form from "next/form";
import { Suspense } from "react";
import { SearchResults, SearchResultsSkeleton } from "@/app/(app)/search/search-results";
import { parseSearchParams, toState } from "@/components/search/search-params";
import { searchHref } from "@/components/search/search-url";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const FORM_ID = "search-form";

export async function generateMetadata({ searchParams }: { searchParams: SearchParams }): Promise<Metadata> {
  const { input } = parseSearchParams(await searchParams);
  return { title: input.q ? `${input.q} — Search` : "Search" };
}

/**
 * /search — everything is in the URL (q, facets, cursor), read here on the server and searched as the
 * signed-in user, so results can be shared, the back button works and no JavaScript is needed.
 */
export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const { input, problems } = parseSearchParams(await searchParams);
  const state = toState(input);
  const key = searchHref(state);
  return (
    <>
      <PageHeader title="Search" description="Data products, output ports, columns, domains, owners and tags across the mesh." />
      {/* Keyed by the search so the field shows the URL's query again after Back. */}
      <Form key={`form:${key}`} id={FORM_ID} action="/search" role="search" aria-label="Search the mesh" className="mb-4 flex gap-2">
        <label htmlFor="search-q" className="sr-only">
          Search for
        </label>
        <input
          id="search-q"
          name="q"
          type="search"
          defaultValue={input.q}
          maxLength={200}
          placeholder="Product, column, tag, team… typos are fine"
          className="input"
        />
        <button type="submit" className="btn-primary">
          Search
        </button>
      </Form>
      {problems.length ? (
        <div role="alert" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Some search options were not understood and were left out:
          <ul className="mt-1 list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Suspense key={`results:${key}`} fallback={<SearchResultsSkeleton />}>
        <SearchResults user={user} input={input} form={FORM_ID} />
      </Suspense>
    </>
  );
}
