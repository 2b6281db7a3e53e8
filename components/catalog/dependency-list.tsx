import Link from "next/link";
import { StatusBadge } from "@/components/ui/badge";
import type { LinkedProduct } from "@/lib/catalog/queries";

export function DependencyList({ items, empty, direction }: { items: LinkedProduct[]; empty: string; direction: "upstream" | "downstream" }) {
  if (!items.length) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {items.map((d, i) => (
        <li key={i} className="flex flex-wrap items-center gap-2 py-2 text-sm">
          {d.restricted ? (
            <span className="text-slate-500 italic" title="You cannot see this product">
              Restricted product
            </span>
          ) : (
            <>
              <Link href={`/products/${d.slug}`} className="font-medium text-canopy-800 hover:underline">
                {d.name}
              </Link>
              <StatusBadge status={d.status} />
              <span className="font-mono text-xs text-slate-500">
                {direction === "upstream" ? `port ${d.port} → input ${d.inputName}` : `reads ${d.port} as ${d.inputName}`}
              </span>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
