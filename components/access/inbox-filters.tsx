"use client";

import Form from "next/form";
import Link from "next/link";
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
      <div>
        <label htmlFor="f-product" className="mb-1 block text-xs font-medium text-slate-600">
          Product
        </label>
        <select id="f-product" name="product" defaultValue={filter.product ?? ""} className="input">
          <option value="">All products</option>
          {products.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-domain" className="mb-1 block text-xs font-medium text-slate-600">
          Domain
        </label>
        <select id="f-domain" name="domain" defaultValue={filter.domain ?? ""} className="input">
          <option value="">All domains</option>
          {domains.map((d) => (
            <option key={d.slug} value={d.slug}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-requester" className="mb-1 block text-xs font-medium text-slate-600">
          Requester
        </label>
        <input id="f-requester" name="requester" type="search" defaultValue={filter.requester ?? ""} placeholder="Name or e-mail" className="input" />
      </div>
      <div>
        <label htmlFor="f-age" className="mb-1 block text-xs font-medium text-slate-600">
          Age
        </label>
        <select id="f-age" name="minAgeDays" defaultValue={filter.minAgeDays ? String(filter.minAgeDays) : ""} className="input">
          {AGE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {filter.minAgeDays && !AGE_OPTIONS.some((o) => o.value === String(filter.minAgeDays)) ? (
            <option value={String(filter.minAgeDays)}>Older than {filter.minAgeDays} days</option>
          ) : null}
        </select>
      </div>
      <div>
        <label htmlFor="f-sort" className="mb-1 block text-xs font-medium text-slate-600">
          Sort by age
        </label>
        <select id="f-sort" name="sort" defaultValue={sort} className="input">
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
        </select>
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className="btn-primary">
          Apply
        </button>
        {active ? (
          <Link href={`/access?tab=${filter.tab}`} className="btn-secondary">
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
