import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ProductFilters } from "@/components/catalog/product-filters";
import { ProductList } from "@/components/catalog/product-list";
import { searchHref } from "@/components/search/search-url";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import {
  LIFECYCLE_STATUSES,
  PRODUCT_LIST_LIMIT,
  listDomainsWithCounts,
  listProducts,
  listTags,
  productFilterSchema,
  type ProductFilter,
} from "@/lib/catalog/queries";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Catalogue" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CataloguePage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = productFilterSchema.safeParse({
    q: first(raw.q),
    domain: first(raw.domain),
    status: first(raw.status),
    tag: first(raw.tag),
  });
  const filter: ProductFilter = parsed.success ? parsed.data : { q: undefined, domain: undefined, tag: undefined };
  // Text queries are answered by search (all kinds, typo-tolerant, ranked), keeping the other filters;
  // this page stays the browse-and-filter list.
  if (filter.q) {
    const list = (v: string | undefined) => (v ? [v] : []);
    redirect(searchHref({ q: filter.q, domain: list(filter.domain), status: list(filter.status), tag: list(filter.tag) }));
  }
  const db = await getPrisma();
  const [products, domains, tags] = await Promise.all([
    listProducts(db, user, filter),
    listDomainsWithCounts(db, user),
    listTags(db, user),
  ]);
  const filtered = Boolean(filter.q || filter.domain || filter.status || filter.tag);

  return (
    <>
      <PageHeader
        title="Catalogue"
        description="Data products published by the domain teams of the mesh. Open one to see its ports, schema and owners."
        actions={
          domains.some((d) => d.canCreate) ? (
            <>
              <Link href="/products/drafts" className="btn btn-secondary">
                My drafts
              </Link>
              <Link href="/products/import" className="btn btn-secondary">
                Import descriptor
              </Link>
              <Link href="/products/new" className="btn btn-primary">
                New data product
              </Link>
            </>
          ) : null
        }
      />
      <ProductFilters filter={filter} domains={domains} tags={tags} statuses={LIFECYCLE_STATUSES} />
      {!parsed.success ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Some filters were not understood and were ignored: {parsed.error.issues.map((i) => i.message).join("; ")}
        </p>
      ) : null}
      <p className="mb-3 text-sm text-slate-600" aria-live="polite">
        {products.length === 1 ? "1 data product" : `${products.length} data products`}
        {products.length >= PRODUCT_LIST_LIMIT ? ` (first ${PRODUCT_LIST_LIMIT}; narrow the filters to see others)` : ""}
      </p>
      {products.length ? (
        <ProductList products={products} />
      ) : filtered ? (
        <EmptyState
          title="No data products match these filters"
          action={
            <Link href="/products" className="btn-secondary">
              Clear filters
            </Link>
          }
        >
          Try fewer words, another domain, or any status.
        </EmptyState>
      ) : (
        <EmptyState title="The catalogue is empty">
          No data products have been published yet. Domain teams publish products through the onboarding wizard or the
          REST API.
        </EmptyState>
      )}
    </>
  );
}
