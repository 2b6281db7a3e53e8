import Link from "next/link";
import { ClassificationBadge, StatusBadge, Tag } from "@/components/ui/badge";
import type { ProductListItem } from "@/lib/catalog/queries";

export function ProductList({ products }: { products: ProductListItem[] }) {
  return (
    <ul className="grid gap-3" aria-label="Data products">
      {products.map((p) => (
        <li key={p.slug} className="card p-4 hover:border-canopy-600/50">
          <article aria-labelledby={`p-${p.slug}`}>
            <div className="flex flex-wrap items-center gap-2">
              <h2 id={`p-${p.slug}`} className="text-base font-semibold">
                <Link href={`/products/${p.slug}`} className="text-canopy-800 hover:underline">
                  {p.name}
                </Link>
              </h2>
              <StatusBadge status={p.status} />
              <ClassificationBadge value={p.classification} />
              <span className="text-xs text-slate-500">v{p.version}</span>
            </div>
            <p className="mt-1 text-sm text-slate-700">{p.summary || <em className="text-slate-400">No summary yet</em>}</p>
            <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600">
              <div className="flex gap-1">
                <dt className="font-medium">Domain</dt>
                <dd>{p.domain.name}</dd>
              </div>
              <div className="flex gap-1">
                <dt className="font-medium">Owner</dt>
                <dd>{p.ownerTeam?.name ?? (p.owners.map((o) => o.name).join(", ") || "—")}</dd>
              </div>
              <div className="flex gap-1">
                <dt className="font-medium">Output ports</dt>
                <dd>{p.portCount}</dd>
              </div>
            </dl>
            {p.tags.length ? (
              <div className="mt-2 flex flex-wrap gap-1" aria-label="Tags">
                {p.tags.map((t) => (
                  <Tag key={t}>{t}</Tag>
                ))}
              </div>
            ) : null}
          </article>
        </li>
      ))}
    </ul>
  );
}
