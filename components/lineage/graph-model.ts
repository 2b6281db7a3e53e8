import type { LineageEdge, LineageGraph, LineageNode, LineageNodeId } from "@/lib/lineage/types";

/**
 * What the lineage view does with a graph before drawing it: merging the neighbours fetched when a
 * node is expanded, hiding column level, finding the path between two nodes, describing the graph for
 * the layout engine, and the rows of the list view. Pure functions, shared by the graph and the list.
 */

export const MAX_DEPTH = 5;
export const DEFAULT_DEPTH = 2;

/** Adds the graph fetched around `expanded` to `base`: nodes and edges by id, depths counted from the first focus. */
export function mergeGraphs(base: LineageGraph, extra: LineageGraph, expanded: LineageNodeId = extra.focus): LineageGraph {
  const nodes = new Map(base.nodes.map((n) => [n.id, n]));
  const offset = nodes.get(expanded)?.depth ?? 0;
  for (const n of extra.nodes) {
    const known = nodes.get(n.id);
    if (known) {
      // Together the two graphs hold every neighbour either of them held.
      nodes.set(n.id, { ...known, more: { up: known.more.up && n.more.up, down: known.more.down && n.more.down } });
    } else {
      nodes.set(n.id, { ...n, depth: offset + n.depth });
    }
  }
  const edges = new Map(base.edges.map((e) => [e.id, e]));
  for (const e of extra.edges) if (!edges.has(e.id)) edges.set(e.id, e);
  return { ...base, nodes: [...nodes.values()], edges: [...edges.values()], truncated: base.truncated || extra.truncated };
}

/** The graph without column nodes and column edges (the product and table level). */
export function withoutColumns(graph: LineageGraph): LineageGraph {
  const nodes = graph.nodes.filter((n) => n.kind !== "column");
  const ids = new Set(nodes.map((n) => n.id));
  return { ...graph, columns: false, nodes, edges: graph.edges.filter((e) => e.kind !== "column" && ids.has(e.from) && ids.has(e.to)) };
}

export type PathHighlight = { nodes: Set<LineageNodeId>; edges: Set<string> };

/**
 * The shortest path between two nodes: along the direction of the data flow when there is one
 * (either way round), otherwise through shared neighbours regardless of direction. Null when the two
 * are not connected in the graph.
 */
export function findPath(graph: Pick<LineageGraph, "edges">, a: LineageNodeId, b: LineageNodeId): PathHighlight | null {
  if (a === b) return { nodes: new Set([a]), edges: new Set() };
  return bfs(graph.edges, a, b, "down") ?? bfs(graph.edges, b, a, "down") ?? bfs(graph.edges, a, b, "any");
}

function bfs(edges: LineageEdge[], start: LineageNodeId, goal: LineageNodeId, mode: "down" | "any"): PathHighlight | null {
  const out = new Map<LineageNodeId, Array<{ to: LineageNodeId; edge: string }>>();
  const link = (from: string, to: string, edge: string) => {
    const list = out.get(from) ?? [];
    list.push({ to, edge });
    out.set(from, list);
  };
  for (const e of edges) {
    link(e.from, e.to, e.id);
    if (mode === "any") link(e.to, e.from, e.id);
  }
  const prev = new Map<LineageNodeId, { node: LineageNodeId; edge: string } | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const at = queue.shift()!;
    if (at === goal) break;
    for (const { to, edge } of out.get(at) ?? []) {
      if (prev.has(to)) continue;
      prev.set(to, { node: at, edge });
      queue.push(to);
    }
  }
  if (!prev.has(goal)) return null;
  const path: PathHighlight = { nodes: new Set([goal]), edges: new Set() };
  for (let step = prev.get(goal); step; step = prev.get(step.node)) {
    path.nodes.add(step.node);
    path.edges.add(step.edge);
  }
  return path;
}

export const NODE_SIZE: Record<LineageNode["kind"], { width: number; height: number }> = {
  product: { width: 240, height: 76 },
  port: { width: 220, height: 64 },
  table: { width: 260, height: 64 },
  column: { width: 220, height: 30 },
};
/** Room at the top of a table that holds its columns, for the table's own name and badges. */
export const TABLE_HEADER = 56;

export type ElkInputNode = {
  id: string;
  width?: number;
  height?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkInputNode[];
};
export type ElkInput = ElkInputNode & { edges: Array<{ id: string; sources: string[]; targets: string[] }> };

export const ELK_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.layered.spacing.nodeNodeBetweenLayers": "90",
  "elk.spacing.nodeNode": "28",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.edgeRouting": "SPLINES",
};

/**
 * The graph as the layered layout (ELK) wants it: left to right in the direction of the data flow;
 * columns inside their table when the table is in the graph.
 */
export function toElkInput(graph: Pick<LineageGraph, "nodes" | "edges">): ElkInput {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const columnsOf = new Map<string, LineageNode[]>();
  for (const n of graph.nodes) {
    if (n.kind === "column" && n.tableId && ids.has(n.tableId)) {
      const list = columnsOf.get(n.tableId) ?? [];
      list.push(n);
      columnsOf.set(n.tableId, list);
    }
  }
  const leaf = (n: LineageNode): ElkInputNode => ({ id: n.id, ...NODE_SIZE[n.kind] });
  const children: ElkInputNode[] = [];
  for (const n of graph.nodes) {
    if (n.kind === "column" && n.tableId && ids.has(n.tableId)) continue;
    const cols = columnsOf.get(n.id);
    children.push(
      cols?.length
        ? {
            id: n.id,
            layoutOptions: {
              "elk.padding": `[top=${TABLE_HEADER},left=16,bottom=12,right=16]`,
              "elk.direction": "DOWN",
              "elk.spacing.nodeNode": "6",
              "elk.nodeSize.minimum": `(${NODE_SIZE.table.width},${NODE_SIZE.table.height})`,
            },
            children: cols.map(leaf),
          }
        : leaf(n),
    );
  }
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to).map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] }));
  return { id: "root", layoutOptions: ELK_OPTIONS, children, edges };
}

export type Box = { x: number; y: number; width: number; height: number; parentId: string | null };
export type Layout = Map<string, Box>;

type ElkOutputNode = { id: string; x?: number; y?: number; width?: number; height?: number; children?: ElkOutputNode[] };

/** Positions from ELK's answer; a child's position is relative to its parent, as React Flow wants it. */
export function readLayout(root: ElkOutputNode): Layout {
  const layout: Layout = new Map();
  const walk = (list: ElkOutputNode[] | undefined, parentId: string | null) => {
    for (const n of list ?? []) {
      layout.set(n.id, { x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0, parentId });
      walk(n.children, n.id);
    }
  };
  walk(root.children, null);
  return layout;
}

/** A position on the canvas (a child's position added to its parent's). */
export function absolute(layout: Layout, id: string): { x: number; y: number } | null {
  const box = layout.get(id);
  if (!box) return null;
  const parent = box.parentId ? absolute(layout, box.parentId) : { x: 0, y: 0 };
  return parent ? { x: parent.x + box.x, y: parent.y + box.y } : null;
}

export type Direction = "left" | "right" | "up" | "down";

/**
 * The node the arrow key moves to: the closest one whose centre lies in that direction, favouring
 * nodes in line with the current one.
 */
export function neighbourInDirection(layout: Layout, from: string, dir: Direction): string | null {
  const centre = (id: string) => {
    const p = absolute(layout, id);
    const b = layout.get(id)!;
    return p ? { x: p.x + b.width / 2, y: p.y + b.height / 2 } : null;
  };
  const here = centre(from);
  if (!here) return null;
  let best: string | null = null;
  let bestScore = Infinity;
  for (const id of layout.keys()) {
    if (id === from) continue;
    const c = centre(id);
    if (!c) continue;
    const dx = c.x - here.x;
    const dy = c.y - here.y;
    const along = dir === "right" ? dx : dir === "left" ? -dx : dir === "down" ? dy : -dy;
    const across = dir === "left" || dir === "right" ? Math.abs(dy) : Math.abs(dx);
    if (along <= 1) continue;
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}

export const KIND_LABEL: Record<LineageNode["kind"], string> = { product: "Data product", port: "Output port", table: "Table", column: "Column" };

export type ListRow = {
  node: LineageNode;
  upstream: LineageNode[];
  downstream: LineageNode[];
};

/** One row per node for the list view, upstream first, then by name; each with its direct neighbours. */
export function listRows(graph: Pick<LineageGraph, "nodes" | "edges">): ListRow[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const up = new Map<string, LineageNode[]>();
  const down = new Map<string, LineageNode[]>();
  const add = (map: Map<string, LineageNode[]>, key: string, n: LineageNode | undefined) => {
    if (!n) return;
    const list = map.get(key) ?? [];
    if (!list.includes(n)) list.push(n);
    map.set(key, list);
  };
  for (const e of graph.edges) {
    add(up, e.to, byId.get(e.from));
    add(down, e.from, byId.get(e.to));
  }
  return [...graph.nodes]
    .sort((a, b) => a.depth - b.depth || a.label.localeCompare(b.label))
    .map((node) => ({ node, upstream: up.get(node.id) ?? [], downstream: down.get(node.id) ?? [] }));
}

/** The name a node goes by in text read out or written down: never a restricted node's name. */
export function nodeName(n: LineageNode): string {
  return n.restricted ? "Restricted product" : n.label;
}

/** Where a node leads in the catalogue, when the viewer may see it. */
export function nodeHref(n: LineageNode): string | null {
  if (n.restricted || !n.product) return null;
  return `/products/${n.product.slug}`;
}

/** A file name for an exported image of the graph. */
export function exportFileName(focusLabel: string, ext: "png" | "svg"): string {
  const base = focusLabel
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `lineage-${base || "graph"}.${ext}`;
}

/** The URL state of the lineage page: which focus, how deep, at which level, as graph or list. */
export type LineageView = {
  product: string | null;
  fqn: string | null;
  node: string | null;
  up: number;
  down: number;
  columns: boolean;
  view: "graph" | "list";
};

const clampDepth = (v: string | null | undefined) => {
  const n = Number(v);
  return v != null && v !== "" && Number.isInteger(n) ? Math.min(MAX_DEPTH, Math.max(0, n)) : DEFAULT_DEPTH;
};

export function parseLineageView(params: { get(name: string): string | null }): LineageView {
  const text = (k: string) => params.get(k)?.trim() || null;
  return {
    product: text("product"),
    fqn: text("fqn")?.toLowerCase() ?? null,
    node: text("node"),
    up: clampDepth(params.get("up")),
    down: clampDepth(params.get("down")),
    columns: params.get("columns") === "true" || params.get("columns") === "1",
    view: params.get("view") === "list" ? "list" : "graph",
  };
}

/** The query string of a view; defaults are left out so one view has one URL. */
export function lineageViewQuery(v: LineageView): string {
  const q = new URLSearchParams();
  if (v.product) q.set("product", v.product);
  else if (v.fqn) q.set("fqn", v.fqn);
  else if (v.node) q.set("node", v.node);
  if (v.up !== DEFAULT_DEPTH) q.set("up", String(v.up));
  if (v.down !== DEFAULT_DEPTH) q.set("down", String(v.down));
  if (v.columns) q.set("columns", "true");
  if (v.view === "list") q.set("view", "list");
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The graph API's URL for a focus. */
export function graphUrl(focus: { product?: string | null; fqn?: string | null; node?: string | null }, opts: { up: number; down: number; columns: boolean }): string | null {
  const q = new URLSearchParams();
  if (focus.node) q.set("node", focus.node);
  else if (focus.product) q.set("product", focus.product);
  else if (focus.fqn) q.set("fqn", focus.fqn);
  else return null;
  q.set("up", String(opts.up));
  q.set("down", String(opts.down));
  q.set("columns", String(opts.columns));
  return `/api/v1/lineage/graph?${q}`;
}
