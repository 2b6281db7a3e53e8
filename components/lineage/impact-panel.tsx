"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { fetchJson } from "@/components/ui/fetch-json";
import { StatusBadge } from "@/components/ui/badge";
import type { ImpactReport, LineageNodeId } from "@/lib/lineage/types";
import { RetryAlert } from "@/components/ui/retry-alert";

export const impactKey = (node: LineageNodeId) => ["lineage", "impact", node] as const;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "What depends on this?" for one node: fetched when opened. */
export function ImpactPanel({ node, name, onClose }: { node: LineageNodeId; name: string; onClose?: () => void }) {
  const query = useQuery({
    queryKey: impactKey(node),
    queryFn: ({ signal }) => fetchJson<ImpactReport>(`/api/v1/lineage/impact?node=${encodeURIComponent(node)}`, { signal, fallback: "The impact could not be computed" }),
  });
  return (
    <section aria-labelledby="impact-heading" className="card p-4">
      <div className="mb-3 flex items-start justify-between gap-3">
        <h3 id="impact-heading" className="text-base font-semibold">
          What depends on {name}?
        </h3>
        {onClose ? (
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            Close
          </button>
        ) : null}
      </div>
      {query.isPending ? (
        <p role="status" className="text-sm text-slate-500">
          Computing the impact…
        </p>
      ) : query.isError ? (
        <RetryAlert message={query.error.message} onRetry={() => void query.refetch()} />
      ) : (
        <ImpactReportView report={query.data} name={name} />
      )}
    </section>
  );
}

/** The downstream products and tables, and who to tell: owners with their products and consumers. */
export function ImpactReportView({ report, name }: { report: ImpactReport; name: string }) {
  // The product itself (depth 0) is not downstream of itself, but its own consumers are affected too.
  const self = report.products.find((p) => p.depth === 0 && p.product);
  const downstream = report.products.filter((p) => p.depth > 0);
  const visible = downstream.filter((p) => p.product);
  const tableCount = new Set([...downstream.flatMap((p) => p.tables), ...report.unownedAssets.filter((a) => a.kind === "table").map((a) => a.fqn)]).size;
  const consumerCount = report.products.reduce((n, p) => n + p.consumers.length, 0);
  const hidden = Math.max(report.restrictedCount, downstream.length - visible.length);
  const consumers = (list: ImpactReport["products"][number]["consumers"]) =>
    list.map((c, i) => (
      <span key={`${c.principalType}:${c.principal}:${c.port}`}>
        {i ? ", " : ""}
        {c.email ? (
          <a href={`mailto:${c.email}`} className="text-canopy-800 hover:underline">
            {c.principal}
          </a>
        ) : (
          c.principal
        )}{" "}
        <span className="text-slate-400">({c.port})</span>
      </span>
    ));
  const own = self?.consumers.length ? (
    <div>
      <h4 className="mb-1 font-semibold text-slate-700">Consumers of {name}</h4>
      <ul className="flex flex-wrap gap-x-3 text-xs text-slate-600" aria-label={`Consumers of ${name}`}>
        {self.consumers.map((c) => (
          <li key={`${c.principalType}:${c.principal}:${c.port}`}>{consumers([c])}</li>
        ))}
      </ul>
    </div>
  ) : null;
  if (!visible.length && !hidden && !report.unownedAssets.length) {
    return (
      <div className="space-y-4 text-sm">
        <p className="text-slate-600">Nothing downstream depends on this.</p>
        {own}
      </div>
    );
  }
  return (
    <div className="space-y-4 text-sm">
      <p role="status" className="text-slate-700">
        {plural(visible.length + hidden, "downstream product")}, {plural(tableCount, "table")}, {plural(consumerCount, "consumer")} with active access.
        {hidden ? ` ${plural(hidden, "product")} you may not see ${hidden === 1 ? "is" : "are"} counted but not named.` : ""}
        {report.truncated ? " The graph is large: only part of it was followed." : ""}
      </p>

      {own}

      {visible.length ? (
        <div>
          <h4 className="mb-1 font-semibold text-slate-700">Downstream products</h4>
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Downstream products">
            {visible.map((p) => (
              <li key={p.product!.id} className="px-3 py-2">
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={`/products/${p.product!.slug}`} className="font-medium text-canopy-800 hover:underline">
                    {p.product!.name}
                  </Link>
                  <StatusBadge status={p.product!.status} />
                  <span className="text-xs text-slate-500">
                    {plural(p.depth, "hop")} · via {p.via.join(", ")}
                    {p.team ? ` · team ${p.team}` : ""}
                  </span>
                </div>
                {p.tables.length ? <p className="mt-1 font-mono text-xs text-slate-600">{p.tables.join(", ")}</p> : null}
                {p.consumers.length ? (
                  <p className="mt-1 text-xs text-slate-600">
                    Consumers: {consumers(p.consumers)}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {report.unownedAssets.length ? (
        <div>
          <h4 className="mb-1 font-semibold text-slate-700">Tables and columns no product serves</h4>
          <ul className="font-mono text-xs text-slate-700" aria-label="Unowned downstream assets">
            {report.unownedAssets.map((a) => (
              <li key={`${a.kind}:${a.fqn}`}>
                {a.fqn} <span className="font-sans text-slate-400">({a.kind}, {plural(a.depth, "hop")})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {report.byOwner.length ? (
        <div>
          <h4 className="mb-1 font-semibold text-slate-700">Owners to contact</h4>
          <ul className="space-y-1" aria-label="Owners to contact">
            {report.byOwner.map((o) => (
              <li key={o.owner.email} className="flex flex-wrap items-baseline gap-x-2">
                <a href={`mailto:${o.owner.email}?subject=${encodeURIComponent(`Planned change to ${name}`)}`} className="font-medium text-canopy-800 hover:underline">
                  {o.owner.name}
                </a>
                <span className="text-xs text-slate-600">
                  {o.products.join(", ")} · {plural(o.consumerCount, "consumer")}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
