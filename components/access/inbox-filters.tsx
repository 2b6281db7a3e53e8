"use client";

import Form from "next/form";
import { FilterButtons, FilterSearch, FilterSelect } from "@/components/ui/filter-fields";
import type { InboxFilter } from "@/lib/access/schemas";

export const AGE_OPTIONS = [
  { value: "", label: "Any age" },
  { value: "1", label: "Older than 1 day" },
  { value: "3", label: "Older than 3 days" },
  { value: "7", label: "Older than a week" },
  { value: "14", label: "Older than 2 weeks" },
  { value: "30", label: "Older than 30 days" },
];

/**
 * The inbox filters: a GET form, so the filters live in the URL, can be shared and work without
 * JavaScript. The tab stays as it is.
 */
export function InboxFilters({
  filter,
  products,
  domains,
}: {
  /** The filters in the URL, with the tab currently shown. */
  filter: InboxFilter;
  products: { slug: string; name: string }[];
  domains: { slug: string; name: string }[];
}) {
  const active = Boolean(filter.product || filter.domain || filter.requester || filter.minAgeDays || filter.sort);
  const sort = filter.sort ?? (filter.tab === "waiting" ? "oldest" : "newest");
  return (
    <Form
      key={JSON.stringify(filter)}
      action="/access"
      role="search"
      aria-label="Filter access requests"
      className="card mb-4 grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_1fr_1fr_auto]"
    >
      <input type="hidden" name="tab" value={filter.tab} />
      <FilterSelect
        name="product"
        label="Product"
        defaultValue={filter.product}
        options={[{ value: "", label: "All products" }, ...products.map((p) => ({ value: p.slug, label: p.name }))]}
      />
      <FilterSelect
        name="domain"
        label="Domain"
        defaultValue={filter.domain}
        options={[{ value: "", label: "All domains" }, ...domains.map((d) => ({ value: d.slug, label: d.name }))]}
      />
      <FilterSearch name="requester" label="Requester" defaultValue={filter.requester} placeholder="Name or e-mail" />
      <FilterSelect
        name="minAgeDays"
        label="Age"
        defaultValue={filter.minAgeDays ? String(filter.minAgeDays) : ""}
        options={
          filter.minAgeDays && !AGE_OPTIONS.some((o) => o.value === String(filter.minAgeDays))
            ? [...AGE_OPTIONS, { value: String(filter.minAgeDays), label: `Older than ${filter.minAgeDays} days` }]
            : AGE_OPTIONS
        }
      />
      <FilterSelect
        name="sort"
        label="Sort by age"
        defaultValue={sort}
        options={[
          { value: "oldest", label: "Oldest first" },
          { value: "newest", label: "Newest first" },
        ]}
      />
      <FilterButtons active={active} clearHref={`/access?tab=${filter.tab}`} />
    </Form>
  );
}
