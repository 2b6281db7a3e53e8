import Link from "next/link";
import { Highlighted } from "@/components/search/highlighted";
import type { EntityHit, SearchResponse } from "@/lib/search/types";

export const ENTITY_KIND_TITLES: Record<EntityHit["kind"], string> = {
  port: "Output ports",
  column: "Columns",
  domain: "Domains",
  owner: "Owners",
  tag: "Tags",
};

const ORDER: EntityHit["kind"][] = ["column", "port", "domain", "owner", "tag"];

export function hasEntityHits(others: SearchResponse["others"]): boolean {
  return ORDER.some((k) => others[k].length > 0);
}

/** Matches that are not products (ports, columns, domains, owners, tags), grouped by kind. */
export function EntityHits({ others }: { others: SearchResponse["others"] }) {
  return (
    <div className="grid gap-4">
      {ORDER.filter((k) => others[k].length).map((kind) => (
        <section key={kind} aria-labelledby={`others-${kind}`} className="card p-3">
          <h3 id={`others-${kind}`} className="mb-1 text-sm font-semibold text-slate-900">
            {ENTITY_KIND_TITLES[kind]}
          </h3>
          <ul className="divide-y divide-slate-100">
            {others[kind].map((hit, i) => (
              <li key={`${hit.href}-${i}`}>
                <Link href={hit.href} className="block rounded px-1 py-1.5 text-sm hover:bg-slate-50">
                  <span className={`block font-medium text-canopy-800 ${kind === "column" || kind === "port" ? "font-mono text-xs" : ""}`}>
                    <Highlighted parts={hit.label} />
                  </span>
                  {hit.detail ? <span className="block text-xs text-slate-500">{hit.detail}</span> : null}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
