"use client";

import { keepPreviousData, useQueries, useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useMemo, useRef, useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";
import type { LineageGraph, LineageNodeId } from "@/lib/lineage/types";
import { NodeBadges } from "./badges";
import { FocusPicker } from "./focus-picker";
import { exportFileName, findPath, graphUrl, KIND_LABEL, lineageViewQuery, MAX_DEPTH, mergeGraphs, nodeHref, nodeName, parseLineageView, withoutColumns, type LineageView } from "./graph-model";
import { ImpactPanel } from "./impact-panel";
import type { CanvasHandle } from "./lineage-canvas";
import { LineageList } from "./lineage-list";
import { ManualEdges } from "./manual-edges";
import { useLayout } from "./use-layout";
import { RetryAlert } from "@/components/ui/retry-alert";

// React Flow measures the DOM: drawn in the browser only.
const LineageCanvas = dynamic(() => import("./lineage-canvas").then((m) => m.LineageCanvas), {
  ssr: false,
  loading: () => <CanvasPlaceholder text="Loading the graph…" />,
});

export const lineageKeys = {
  graph: (focus: string, up: number, down: number, columns: boolean) => ["lineage", "graph", focus, up, down, columns] as const,
};

const NONE: LineageNodeId[] = [];

const fetchGraph = (url: string, signal: AbortSignal) => fetchJson<LineageGraph>(url, { signal, fallback: "The lineage could not be loaded" });

function CanvasPlaceholder({ text }: { text: string }) {
  return (
    <div role="status" className="flex h-full min-h-40 items-center justify-center text-sm text-slate-500">
      {text}
    </div>
  );
}

/**
 * The view's state: in the URL on the lineage page (shareable, Back works), in memory elsewhere. The
 * state itself changes at once (a checkbox must not spring back while the URL catches up); a URL
 * changed from outside (Back, a link) replaces it.
 */
function useViewState(initial: LineageView, syncUrl: boolean) {
  const params = useSearchParams();
  const urlKey = syncUrl && params ? params.toString() : null;
  const [state, setState] = useState(() => ({ urlKey, view: urlKey !== null && params ? parseLineageView(params) : initial }));
  let view = state.view;
  if (urlKey !== null && params && urlKey !== state.urlKey) {
    view = parseLineageView(params);
    setState({ urlKey, view });
  }
  const update = useCallback(
    (next: LineageView, push = false) => {
      setState((s) => ({ ...s, view: next }));
      if (syncUrl) window.history[push ? "pushState" : "replaceState"](null, "", `${window.location.pathname}${lineageViewQuery(next)}`);
    },
    [syncUrl],
  );
  return [view, update] as const;
}

/**
 * The interactive lineage view: the graph around a product or table (or the same as a list), with
 * depth controls, column level, expansion, paths, impact analysis and image export.
 */
export function LineageExplorer({
  initial,
  syncUrl = false,
  height = 600,
  picker = false,
  compact = false,
}: {
  initial: LineageView;
  syncUrl?: boolean;
  height?: number;
  /** Offer a product or table picker above the graph. */
  picker?: boolean;
  /** Narrow places: the node details go below the graph. */
  compact?: boolean;
}) {
  const [view, setView] = useViewState(initial, syncUrl);
  const focusKey = view.node ? `node:${view.node}` : view.product ? `product:${view.product}` : view.fqn ? `fqn:${view.fqn}` : null;
  const url = graphUrl(view, view);

  const base = useQuery({
    queryKey: lineageKeys.graph(focusKey ?? "", view.up, view.down, view.columns),
    enabled: url !== null,
    queryFn: ({ signal }) => fetchGraph(url!, signal),
    // Another depth or level of the same focus keeps the old graph on screen while it loads.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[2] === focusKey ? prev : undefined),
  });

  // Expanded nodes, per focus: each is fetched one hop up and down and merged in.
  const [expanded, setExpanded] = useState<{ focus: string | null; ids: LineageNodeId[] }>({ focus: focusKey, ids: [] });
  const expansions = expanded.focus === focusKey ? expanded.ids : NONE;
  const extra = useQueries({
    queries: expansions.map((id) => ({
      queryKey: lineageKeys.graph(`node:${id}`, 1, 1, view.columns),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchGraph(graphUrl({ node: id }, { up: 1, down: 1, columns: view.columns })!, signal),
      placeholderData: keepPreviousData,
    })),
    // Structurally shared: the same answers give the same arrays, so the merge below reruns only on news.
    combine: (results) => ({ data: results.map((r) => r.data), pending: results.map((r) => r.isPending), error: results.find((r) => r.isError)?.error?.message ?? null }),
  });
  const expanding = useMemo(() => new Set(expansions.filter((_, i) => extra.pending[i])), [expansions, extra.pending]);
  const expandError = extra.error;

  const graph = useMemo(() => {
    if (!base.data) return null;
    let g = base.data;
    extra.data.forEach((d, i) => {
      if (d) g = mergeGraphs(g, d, expansions[i]);
    });
    return view.columns ? g : withoutColumns(g);
  }, [base.data, view.columns, expansions, extra.data]);

  const { layout, thread, error: layoutError, pending: layoutPending } = useLayout(graph?.nodes ?? [], graph?.edges ?? []);

  const [selected, setSelected] = useState<LineageNodeId | null>(null);
  const [pathEnd, setPathEnd] = useState<LineageNodeId | null>(null);
  const [impactFor, setImpactFor] = useState<LineageNodeId | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const [exportingAs, setExportingAs] = useState<"png" | "svg" | null>(null);
  const canvas = useRef<CanvasHandle>(null);

  const byId = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.id, n])), [graph]);
  const focusNode = graph ? byId.get(graph.focus) : undefined;
  const selectedNode = selected ? byId.get(selected) : undefined;
  const pathEndNode = pathEnd ? byId.get(pathEnd) : undefined;
  const path = useMemo(() => (graph && selected && pathEnd ? findPath(graph, selected, pathEnd) : null), [graph, selected, pathEnd]);

  const expand = useCallback(
    (id: LineageNodeId) => setExpanded((e) => (e.focus === focusKey ? (e.ids.includes(id) ? e : { focus: focusKey, ids: [...e.ids, id] }) : { focus: focusKey, ids: [id] })),
    [focusKey],
  );
  const select = useCallback(
    (id: string, opts: { path: boolean }) => {
      if (!id) {
        setSelected(null);
        setPathEnd(null);
        return;
      }
      if (opts.path && selected && selected !== id) setPathEnd(id);
      else {
        setSelected(id);
        setPathEnd(null);
      }
    },
    [selected],
  );
  const actions = useMemo(() => ({ select, expand }), [select, expand]);

  const changeFocus = (next: Partial<LineageView>) => {
    setSelected(null);
    setPathEnd(null);
    setImpactFor(null);
    setView({ ...view, product: null, fqn: null, node: null, ...next }, true);
  };

  async function exportImage(format: "png" | "svg") {
    if (!canvas.current) return;
    setExportError(null);
    setExportingAs(format);
    try {
      const blob = await canvas.current.exportImage(format);
      const href = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = href;
      a.download = exportFileName(focusNode ? nodeName(focusNode) : "graph", format);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (err) {
      setExportError(err instanceof Error ? err.message : "The image could not be made");
    } finally {
      setExportingAs(null);
    }
  }

  const depthSelect = (which: "up" | "down", label: string) => (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-700">{label}</span>
      <select className="input !w-auto !py-1" value={view[which]} onChange={(e) => setView({ ...view, [which]: Number(e.target.value) })}>
        {Array.from({ length: MAX_DEPTH + 1 }, (_, d) => (
          <option key={d} value={d}>
            {d}
          </option>
        ))}
      </select>
    </label>
  );

  const nodeCount = graph?.nodes.length ?? 0;
  const edgeCount = graph?.edges.length ?? 0;
  const lonely = graph !== null && edgeCount === 0;

  return (
    <div className="space-y-4" data-layout-thread={thread ?? undefined}>
      {picker ? <FocusPicker onChoose={(c) => changeFocus("product" in c ? { product: c.product } : { fqn: c.fqn })} /> : null}

      {focusKey === null ? (
        <div className="card px-6 py-12 text-center">
          <p className="text-base font-semibold text-slate-900">Choose a product or a table</p>
          <p className="mt-1 text-sm text-slate-600">The graph shows what it reads from and what reads it, from whole products down to columns.</p>
        </div>
      ) : (
        <>
          <div role="toolbar" aria-label="Lineage view" className="flex flex-wrap items-center gap-x-5 gap-y-2">
            {depthSelect("up", "Upstream depth")}
            {depthSelect("down", "Downstream depth")}
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={view.columns} onChange={(e) => setView({ ...view, columns: e.target.checked })} />
              Column level
            </label>
            <div role="group" aria-label="Show as" className="inline-flex overflow-hidden rounded-md border border-slate-300">
              {(["graph", "list"] as const).map((v) => (
                <button key={v} type="button" aria-pressed={view.view === v} onClick={() => setView({ ...view, view: v })} className={`px-3 py-1 text-sm ${view.view === v ? "bg-canopy-700 text-white" : "bg-white text-slate-800 hover:bg-slate-100"}`}>
                  {v === "graph" ? "Graph" : "List"}
                </button>
              ))}
            </div>
            {focusNode && !focusNode.restricted ? (
              <button type="button" className="btn btn-secondary !py-1" onClick={() => setImpactFor(focusNode.id)}>
                What depends on this?
              </button>
            ) : null}
            {view.view === "graph" ? (
              <div className="flex gap-2">
                <button type="button" className="btn btn-secondary !py-1" disabled={!layout || exportingAs !== null} onClick={() => void exportImage("png")}>
                  {exportingAs === "png" ? "Exporting…" : "Export PNG"}
                </button>
                <button type="button" className="btn btn-secondary !py-1" disabled={!layout || exportingAs !== null} onClick={() => void exportImage("svg")}>
                  {exportingAs === "svg" ? "Exporting…" : "Export SVG"}
                </button>
              </div>
            ) : null}
          </div>

          <p role="status" className="text-sm text-slate-600">
            {base.isPending
              ? "Loading lineage…"
              : graph
                ? `${focusNode ? `Centred on ${nodeName(focusNode)}: ` : ""}${nodeCount} ${nodeCount === 1 ? "node" : "nodes"}, ${edgeCount} ${edgeCount === 1 ? "edge" : "edges"}${base.isFetching || expanding.size ? " (updating…)" : ""}.${graph.truncated ? " The graph reached its size limit: expand nodes to see more." : ""}`
                : ""}
          </p>
          {expandError ? (
            <p role="alert" className="text-sm text-rose-800">
              {expandError}
            </p>
          ) : null}
          {exportError ? (
            <p role="alert" className="text-sm text-rose-800">
              {exportError}
            </p>
          ) : null}

          {base.isError && !graph ? (
            <RetryAlert message={base.error.message} onRetry={() => void base.refetch()} className="card p-4 text-sm" />
          ) : graph ? (
            <>
              {lonely ? (
                <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-700">
                  No lineage recorded for {focusNode ? nodeName(focusNode) : "this"} yet. It appears when another product reads this one, when this one reads another, or when table lineage is imported from dbt or OpenMetadata or added by an owner.
                </p>
              ) : null}
              {view.view === "list" ? (
                <LineageList graph={graph} onExpand={expand} onImpact={setImpactFor} expanding={expanding} />
              ) : (
                <div className={compact ? "grid gap-4" : "grid gap-4 xl:grid-cols-[1fr_20rem]"}>
                  <div className="card overflow-hidden" style={{ height }}>
                    {layout && !layoutError ? (
                      <LineageCanvas ref={canvas} graph={graph} layout={layout} selected={selected} pathEnd={pathEnd} path={path} expanding={expanding} actions={actions} height={height} label={`Lineage graph${focusNode ? ` of ${nodeName(focusNode)}` : ""}`} />
                    ) : layoutError ? (
                      <div role="alert" className="p-4 text-sm text-rose-800">
                        The graph could not be laid out ({layoutError}). The list view shows the same lineage.
                      </div>
                    ) : (
                      <CanvasPlaceholder text={layoutPending ? "Laying out the graph…" : "Loading the graph…"} />
                    )}
                  </div>
                  <aside aria-label="Selected node" className="card p-4 text-sm">
                    {selectedNode ? (
                      <div className="space-y-3">
                        <div>
                          <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{KIND_LABEL[selectedNode.kind]}</p>
                          <h3 className={`font-semibold break-words ${selectedNode.restricted ? "italic" : ""}`}>{nodeName(selectedNode)}</h3>
                          {selectedNode.fqn && !selectedNode.restricted ? <p className="font-mono text-xs break-all text-slate-600">{selectedNode.fqn}</p> : null}
                          {selectedNode.product && selectedNode.kind !== "product" ? (
                            <p className="text-xs text-slate-600">
                              Served by{" "}
                              <Link href={nodeHref(selectedNode)!} className="text-canopy-800 hover:underline">
                                {selectedNode.product.name}
                              </Link>
                              {selectedNode.port ? ` · port ${selectedNode.port.name}` : ""}
                            </p>
                          ) : null}
                          {selectedNode.restricted ? <p className="text-xs text-slate-600">You may not see this product: another team&apos;s draft.</p> : null}
                        </div>
                        <div className="flex flex-wrap gap-1">
                          <NodeBadges node={selectedNode} />
                        </div>
                        <div className="flex flex-wrap gap-2">
                          {selectedNode.more.up || selectedNode.more.down ? (
                            <button type="button" className="btn btn-secondary !py-1" onClick={() => expand(selectedNode.id)} disabled={expanding.has(selectedNode.id)}>
                              Expand neighbours
                            </button>
                          ) : null}
                          {!selectedNode.restricted ? (
                            <button type="button" className="btn btn-secondary !py-1" onClick={() => setImpactFor(selectedNode.id)}>
                              What depends on this?
                            </button>
                          ) : null}
                          {selectedNode.id !== graph.focus && !selectedNode.restricted ? (
                            <button type="button" className="btn btn-secondary !py-1" onClick={() => changeFocus(selectedNode.kind === "product" && selectedNode.product ? { product: selectedNode.product.slug } : { node: selectedNode.id })}>
                              Centre here
                            </button>
                          ) : null}
                          {selectedNode.kind === "product" && nodeHref(selectedNode) ? (
                            <Link href={nodeHref(selectedNode)!} className="btn btn-secondary !py-1">
                              Open product
                            </Link>
                          ) : null}
                        </div>
                        <label className="block">
                          <span className="mb-1 block text-xs font-medium text-slate-700">Show the path to</span>
                          <select className="input !py-1" value={pathEnd ?? ""} onChange={(e) => setPathEnd(e.target.value || null)}>
                            <option value="">—</option>
                            {graph.nodes
                              .filter((n) => n.id !== selectedNode.id)
                              .map((n) => (
                                <option key={n.id} value={n.id}>
                                  {KIND_LABEL[n.kind]}: {nodeName(n)}
                                </option>
                              ))}
                          </select>
                        </label>
                        {pathEndNode ? (
                          <p role="status" className="text-xs text-slate-700">
                            {path ? `Path highlighted: ${path.edges.size} ${path.edges.size === 1 ? "step" : "steps"} between ${nodeName(selectedNode)} and ${nodeName(pathEndNode)}.` : `No path between ${nodeName(selectedNode)} and ${nodeName(pathEndNode)} in this graph.`}
                          </p>
                        ) : null}
                        {(selectedNode.kind === "table" || selectedNode.kind === "column") && !selectedNode.restricted && selectedNode.fqn ? <ManualEdges key={selectedNode.id} node={selectedNode} graph={graph} /> : null}
                      </div>
                    ) : (
                      <p className="text-slate-600">Select a node to see its details, expand it, or find what depends on it. Shift-click a second node to highlight the path between the two.</p>
                    )}
                  </aside>
                </div>
              )}
              {impactFor && byId.get(impactFor) ? <ImpactPanel key={impactFor} node={impactFor} name={nodeName(byId.get(impactFor)!)} onClose={() => setImpactFor(null)} /> : null}
            </>
          ) : null}
        </>
      )}
    </div>
  );
}
