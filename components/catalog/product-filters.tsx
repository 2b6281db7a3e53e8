import Link from "next/link";
import type { ProductFilter } from "@/lib/catalog/queries";

type Props = {
  filter: ProductFilter;
  domains: { slug: string; name: string; productCount: number }[];
  tags: string[];
  statuses: string[];
};

/** A plain GET form: filters live in the URL, work without JavaScript, and can be shared. */
export function ProductFilters({ filter, domains, tags, statuses }: Props) {
  const active = Boolean(filter.q || filter.domain || filter.status || filter.tag);
  return (
    // Keyed by the filters so the fields reset when the URL changes under them (Clear, back button).
    <form
      key={JSON.stringify(filter)}
      method="get"
      action="/products"       role="search"
      aria-label="Filter products"
      className="card mb-6 grid gap-3 p-4 md:grid-cols-[2fr_1fr_1fr_1fr_auto]"
    >
      <div>
        <label htmlFor="f-q" className="mb-1 block text-xs font-medium text-slate-600">
          Search
        </label>
        <input id="f-q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder="Name, summary or tag" className="input" />
      </div>
      <div>
        <label htmlFor="f-domain" className="mb-1 block text-xs font-medium text-slate-600">
          Domain
        </label>
        <select id="f-domain" name="domain" defaultValue={filter.domain ?? ""} className="input">
          <option value="">All domains</option>
          {domains.map((d) => (
            <option key={d.slug} value={d.slug}>
              {d.name} ({d.productCount})
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-status" className="mb-1 block text-xs font-medium text-slate-600">
          Status
        </label>
        <select id="f-status" name="status" defaultValue={filter.status ?? ""} className="input">
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-tag" className="mb-1 block text-xs font-medium text-slate-600">
          Tag
        </label>
        <select id="f-tag" name="tag" defaultValue={filter.tag ?? ""} className="input">
          <option value="">Any tag</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-end gap-2">
        <button type="submit" className="btn-primary">
          Apply
        </button>
        {active ? (
          <Link href="/products" className="btn-secondary">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
