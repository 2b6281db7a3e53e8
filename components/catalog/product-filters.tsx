import { FilterButtons, FilterSearch, FilterSelect } from "@/components/ui/filter-fields";
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
      <FilterSearch name="q" label="Search" defaultValue={filter.q} placeholder="Name, summary or tag" />
      <FilterSelect
        name="domain"
        label="Domain"
        defaultValue={filter.domain}
        options={[{ value: "", label: "All domains" }, ...domains.map((d) => ({ value: d.slug, label: `${d.name} (${d.productCount})` }))]}
      />
      <FilterSelect name="status" label="Status" defaultValue={filter.status} options={[{ value: "", label: "Any status" }, ...statuses.map((s) => ({ value: s, label: s }))]} />
      <FilterSelect name="tag" label="Tag" defaultValue={filter.tag} options={[{ value: "", label: "Any tag" }, ...tags.map((t) => ({ value: t, label: t }))]} />
      <FilterButtons active={active} clearHref="/products" />
    </form>
  );
}
