import { can, type Principal, type ProductRef } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import { normalizeFqn } from "@/lib/lineage/assets";
import { byFqn, productFacts, servedTables, servingPorts, type ProductFacts, type ServingPort } from "@/lib/lineage/queries";
import { LINEAGE_SOURCES, type LineageEdge, type LineageGraph, type LineageNode, type LineageNodeId, type LineageNodeKind, type LineageSource } from "@/lib/lineage/types";

/**
 * Lineage traversal in the database: one recursive query per call, whatever the depth. Each
 * direction is a recursive CTE over (node, depth) with UNION, so a node already reached at a depth is
 * not expanded again and a cycle ends at the depth bound instead of looping; a node reached at
 * several depths keeps the one closest to the start. The same SQL runs on PGlite and PostgreSQL.
 */

export type TraversalNode = { id: string; depth: number };
export type AssetTraversalEdge = { fromId: string; toId: string; source: string };
export type ProductTraversalEdge = { fromId: string; toId: string; source: "descriptor"; dependencyId: string; portId: string; inputName: string };

export type Traversal<E> = {
  /** Negative depths upstream, positive downstream, 0 the start nodes; nearest first. */
  nodes: TraversalNode[];
  /** Every edge between two returned nodes. */
  edges: E[];
  /** How many nodes were reached before the cap. */
  reached: number;
  truncated: boolean;
};

export type TraversalOptions = { up: number; down: number; maxNodes?: number };

/** Depth bound accepted by the traversals; impact analysis ("any depth") uses the maximum. */
export const MAX_DEPTH = 50;
export const DEFAULT_MAX_NODES = 2000;

const bound = (n: number) => Math.max(0, Math.min(MAX_DEPTH, Math.floor(Number.isFinite(n) ? n : 0)));
const cap = (n: number | undefined) => Math.max(1, Math.floor(n ?? DEFAULT_MAX_NODES));

// $1 start ids, $2 upstream depth, $3 downstream depth, $4 node cap.
const REACHED = `
reached AS (
  SELECT id, depth FROM down
  UNION ALL
  SELECT id, depth FROM up WHERE depth < 0
),
best AS (
  SELECT DISTINCT ON (id) id, depth FROM reached ORDER BY id, abs(depth), depth DESC
),
kept AS (
  SELECT id, depth FROM best ORDER BY abs(depth), depth DESC, id LIMIT $4::int
)`;

const ASSETS_SQL = `
WITH RECURSIVE
seed AS (SELECT DISTINCT s.id FROM unnest($1::uuid[]) AS s(id)),
down(id, depth) AS (
  SELECT id, 0 FROM seed
  UNION
  SELECT e.to_id, d.depth + 1 FROM down d JOIN lineage_edges e ON e.from_id = d.id WHERE d.depth < $3::int
),
up(id, depth) AS (
  SELECT id, 0 FROM seed
  UNION
  SELECT e.from_id, u.depth - 1 FROM up u JOIN lineage_edges e ON e.to_id = u.id WHERE u.depth > -$2::int
),
${REACHED}
SELECT 'n' AS t, k.id::text AS a, NULL::text AS b, k.depth::int AS d, NULL::text AS s FROM kept k
UNION ALL
SELECT 'e', e.from_id::text, e.to_id::text, NULL, e.source
FROM lineage_edges e JOIN kept f ON f.id = e.from_id JOIN kept t ON t.id = e.to_id
UNION ALL
SELECT 'c', NULL, NULL, count(*)::int, NULL FROM best`;

/**
 * Table and column lineage from the given assets (`lineage_assets` ids). Edges connect assets of the
 * same kind, so starting from tables reaches tables and starting from columns reaches columns.
 */
export async function traverseAssets(db: Tx, startIds: readonly string[], opts: TraversalOptions): Promise<Traversal<AssetTraversalEdge>> {
  if (!startIds.length) return { nodes: [], edges: [], reached: 0, truncated: false };
  const rows = await db.$queryRawUnsafe<{ t: "n" | "e" | "c"; a: string | null; b: string | null; d: number | null; s: string | null }[]>(
    ASSETS_SQL,
    [...startIds],
    bound(opts.up),
    bound(opts.down),
    cap(opts.maxNodes),
  );
  const nodes: TraversalNode[] = [];
  const edges: AssetTraversalEdge[] = [];
  let reached = 0;
  for (const r of rows) {
    if (r.t === "n") nodes.push({ id: r.a!, depth: Number(r.d) });
    else if (r.t === "e") edges.push({ fromId: r.a!, toId: r.b!, source: r.s! });
    else reached = Number(r.d);
  }
  return { nodes: sortNodes(nodes), edges, reached, truncated: reached > nodes.length };
}

// A product's downstream products consume one of its output ports; its upstream products serve a port it consumes.
const PRODUCTS_SQL = `
WITH RECURSIVE
seed AS (SELECT DISTINCT s.id FROM unnest($1::uuid[]) AS s(id)),
down(id, depth) AS (
  SELECT id, 0 FROM seed
  UNION
  SELECT dep.product_id, d.depth + 1
  FROM down d JOIN output_ports o ON o.product_id = d.id JOIN product_dependencies dep ON dep.upstream_port_id = o.id
  WHERE d.depth < $3::int
),
up(id, depth) AS (
  SELECT id, 0 FROM seed
  UNION
  SELECT o.product_id, u.depth - 1
  FROM up u JOIN product_dependencies dep ON dep.product_id = u.id JOIN output_ports o ON o.id = dep.upstream_port_id
  WHERE u.depth > -$2::int
),
${REACHED}
SELECT 'n' AS t, k.id::text AS a, NULL::text AS b, k.depth::int AS d, NULL::text AS dep, NULL::text AS port, NULL::text AS input FROM kept k
UNION ALL
SELECT 'e', o.product_id::text, dep.product_id::text, NULL, dep.id::text, o.id::text, dep.input_name
FROM product_dependencies dep JOIN output_ports o ON o.id = dep.upstream_port_id
-- As arrays, so the planner probes the indexes for the kept products instead of hashing every port.
WHERE o.product_id = ANY (ARRAY(SELECT id FROM kept)) AND dep.product_id = ANY (ARRAY(SELECT id FROM kept))
UNION ALL
SELECT 'c', NULL, NULL, count(*)::int, NULL, NULL, NULL FROM best`;

/** Product-level lineage (from the descriptors' input ports) from the given products. */
export async function traverseProducts(db: Tx, productIds: readonly string[], opts: TraversalOptions): Promise<Traversal<ProductTraversalEdge>> {
  if (!productIds.length) return { nodes: [], edges: [], reached: 0, truncated: false };
  const rows = await db.$queryRawUnsafe<
    { t: "n" | "e" | "c"; a: string | null; b: string | null; d: number | null; dep: string | null; port: string | null; input: string | null }[]
  >(PRODUCTS_SQL, [...productIds], bound(opts.up), bound(opts.down), cap(opts.maxNodes));
  const nodes: TraversalNode[] = [];
  const edges: ProductTraversalEdge[] = [];
  let reached = 0;
  for (const r of rows) {
    if (r.t === "n") nodes.push({ id: r.a!, depth: Number(r.d) });
    else if (r.t === "e") edges.push({ fromId: r.a!, toId: r.b!, source: "descriptor", dependencyId: r.dep!, portId: r.port!, inputName: r.input! });
    else reached = Number(r.d);
  }
  return { nodes: sortNodes(nodes), edges, reached, truncated: reached > nodes.length };
}

// Reachability to any depth: the recursive CTEs carry only the node id, so UNION expands each node
// once (the cost follows the edges reached, not the paths), and the LIMIT stops the recursion as soon as
// the cap is reached — the database produces rows only as far as they are fetched.
const REACH_ASSETS_SQL = `
WITH RECURSIVE
seed AS (SELECT DISTINCT s.id FROM unnest($1::uuid[]) AS s(id)),
down(id) AS (
  SELECT id FROM seed
  UNION
  SELECT e.to_id FROM down d JOIN lineage_edges e ON e.from_id = d.id
),
kept AS (SELECT id FROM down LIMIT $2::int)
SELECT 'n' AS t, k.id::text AS a, NULL::text AS b FROM kept k
UNION ALL
SELECT DISTINCT 'e', e.from_id::text, e.to_id::text FROM lineage_edges e JOIN kept f ON f.id = e.from_id JOIN kept t ON t.id = e.to_id`;

const REACH_PRODUCTS_SQL = `
WITH RECURSIVE
seed AS (SELECT DISTINCT s.id FROM unnest($1::uuid[]) AS s(id)),
down(id) AS (
  SELECT id FROM seed
  UNION
  SELECT dep.product_id FROM down d JOIN output_ports o ON o.product_id = d.id JOIN product_dependencies dep ON dep.upstream_port_id = o.id
),
kept AS (SELECT id FROM down LIMIT $2::int)
SELECT 'n' AS t, k.id::text AS a, NULL::text AS b FROM kept k
UNION ALL
SELECT DISTINCT 'e', o.product_id::text, dep.product_id::text
FROM product_dependencies dep JOIN output_ports o ON o.id = dep.upstream_port_id JOIN kept f ON f.id = o.product_id JOIN kept t ON t.id = dep.product_id`;

/**
 * Everything downstream of the start nodes, to any depth, in one statement (impact analysis). Depths
 * are the shortest hop counts, computed from the edges between the nodes returned.
 */
export async function reachDownstream(
  db: Tx,
  grain: "assets" | "products",
  startIds: readonly string[],
  maxNodes = DEFAULT_MAX_NODES,
): Promise<{ nodes: TraversalNode[]; truncated: boolean }> {
  if (!startIds.length) return { nodes: [], truncated: false };
  const limit = cap(maxNodes);
  const rows = await db.$queryRawUnsafe<{ t: "n" | "e"; a: string; b: string | null }[]>(grain === "assets" ? REACH_ASSETS_SQL : REACH_PRODUCTS_SQL, [...startIds], limit + 1);
  const ids = rows.filter((r) => r.t === "n").map((r) => r.a);
  const truncated = ids.length > limit;
  const kept = new Set(ids.slice(0, limit));
  const next = new Map<string, string[]>();
  for (const r of rows) {
    if (r.t !== "e" || !kept.has(r.a) || !kept.has(r.b!)) continue;
    const list = next.get(r.a);
    if (list) list.push(r.b!);
    else next.set(r.a, [r.b!]);
  }
  // Breadth first over the edges returned: each node's depth is its shortest distance from a start.
  const depth = new Map<string, number>();
  let frontier = [...new Set(startIds)].filter((id) => kept.has(id));
  for (const id of frontier) depth.set(id, 0);
  for (let d = 1; frontier.length; d++) {
    const fresh: string[] = [];
    for (const id of frontier)
      for (const n of next.get(id) ?? [])
        if (!depth.has(n)) {
          depth.set(n, d);
          fresh.push(n);
        }
    frontier = fresh;
  }
  return { nodes: sortNodes([...depth].map(([id, d]) => ({ id, depth: d }))), truncated };
}

function sortNodes(nodes: TraversalNode[]) {
  return nodes.sort((a, b) => Math.abs(a.depth) - Math.abs(b.depth) || b.depth - a.depth || a.id.localeCompare(b.id));
}

// ---------------------------------------------------------------------------------------------
// The joined graph the API and the UI show

export type GraphFocus = LineageNodeId | { product: string } | { fqn: string };
export type GraphOptions = { focus: GraphFocus; up?: number; down?: number; columns?: boolean; maxNodes?: number };

/** Depth the graph view may ask for in each direction. */
export const GRAPH_MAX_DEPTH = 5;
export const GRAPH_DEFAULT_NODES = 500;
export const GRAPH_MAX_NODES = 2000;

const NODE_ID = /^(product|port|table|column):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export type ResolvedFocus =
  | { kind: "product"; nodeId: LineageNodeId; productId: string }
  | { kind: "port"; nodeId: LineageNodeId; productId: string; portId: string }
  | { kind: "table"; nodeId: LineageNodeId; assetId: string }
  | { kind: "column"; nodeId: LineageNodeId; assetId: string; tableId: string };

/** Parses `product:<uuid>` and the like; null when it is not a node id. */
export function parseNodeId(id: string): { kind: LineageNodeKind; uuid: string } | null {
  const m = NODE_ID.exec(id.trim());
  return m ? { kind: m[1]!.toLowerCase() as LineageNodeKind, uuid: m[2]!.toLowerCase() } : null;
}

/**
 * Finds what a graph or an impact report is centred on. Whatever the viewer may not read answers
 * "not found", like the rest of the catalogue: a product slug, a node id or a table name.
 */
export async function resolveFocus(db: Tx, viewer: Principal, focus: GraphFocus): Promise<ResolvedFocus> {
  const readableProduct = async (where: { id: string } | { slug: string }) => {
    const p = await db.dataProduct.findUnique({ where, select: productRefSelect });
    if (!p || !can(viewer, "product.read", toProductRef(p))) throw new NotFoundError("No such data product");
    return p;
  };
  // An asset is readable unless every product serving it is one the viewer may not read.
  const readableAsset = async (fqn: string) => {
    const ports = await servingPorts(db, [fqn]);
    if (!ports.length) return;
    const facts = await db.dataProduct.findMany({ where: { id: { in: ports.map((p) => p.productId) } }, select: productRefSelect });
    if (!facts.some((p) => can(viewer, "product.read", toProductRef(p)))) throw new NotFoundError("No such table or column");
  };
  if (typeof focus === "object" && "product" in focus) {
    const p = await readableProduct({ slug: focus.product });
    return { kind: "product", nodeId: `product:${p.id}`, productId: p.id };
  }
  if (typeof focus === "object" && "fqn" in focus) {
    const fqn = normalizeFqn(focus.fqn);
    const assets = await db.lineageAsset.findMany({ where: { fqn }, select: { id: true, kind: true, tableId: true } });
    const asset = assets.find((a) => a.kind === "table") ?? assets.find((a) => a.kind === "column");
    if (asset) return resolveFocus(db, viewer, `${asset.kind}:${asset.id}`);
    const [port] = await servingPorts(db, [fqn]);
    if (port) return resolveFocus(db, viewer, `port:${port.id}`);
    throw new NotFoundError(`No table or column named ${fqn} has lineage`);
  }
  const parsed = parseNodeId(focus);
  if (!parsed) throw new UserError("A node id looks like product:<id>, port:<id>, table:<id> or column:<id>", { code: "invalid_node", fieldErrors: { node: ["Not a lineage node id"] } });
  const nodeId = `${parsed.kind}:${parsed.uuid}`;
  if (parsed.kind === "product") {
    await readableProduct({ id: parsed.uuid });
    return { kind: "product", nodeId, productId: parsed.uuid };
  }
  if (parsed.kind === "port") {
    const port = await db.outputPort.findUnique({ where: { id: parsed.uuid }, select: { productId: true } });
    if (!port) throw new NotFoundError("No such output port");
    await readableProduct({ id: port.productId });
    return { kind: "port", nodeId, productId: port.productId, portId: parsed.uuid };
  }
  const asset = await db.lineageAsset.findUnique({ where: { id: parsed.uuid }, select: { kind: true, fqn: true, tableId: true, table: { select: { fqn: true } } } });
  if (!asset || asset.kind !== parsed.kind) throw new NotFoundError("No such table or column");
  await readableAsset(asset.table?.fqn ?? asset.fqn);
  return asset.kind === "column" ? { kind: "column", nodeId, assetId: parsed.uuid, tableId: asset.tableId! } : { kind: "table", nodeId, assetId: parsed.uuid };
}

const clampDepth = (n: number | undefined, fallback: number) => Math.max(0, Math.min(GRAPH_MAX_DEPTH, Math.floor(n ?? fallback)));

/** Products downstream of one output port (its consumers at depth 1, and theirs), and the edges between them. */
export async function downstreamOfPort(db: Tx, portId: string, productId: string, down: number, maxNodes: number): Promise<Traversal<ProductTraversalEdge>> {
  if (down < 1) return { nodes: [], edges: [], reached: 0, truncated: false };
  const deps = await db.productDependency.findMany({ where: { upstreamPortId: portId }, select: { id: true, productId: true, inputName: true } });
  const direct: ProductTraversalEdge[] = deps.map((d) => ({ fromId: productId, toId: d.productId, source: "descriptor", dependencyId: d.id, portId, inputName: d.inputName }));
  const rest = await traverseProducts(db, deps.map((d) => d.productId), { up: 0, down: down - 1, maxNodes });
  return {
    nodes: rest.nodes.map((n) => ({ id: n.id, depth: n.depth + 1 })),
    edges: [...direct, ...rest.edges],
    reached: rest.reached,
    truncated: rest.truncated,
  };
}

const KIND_RANK: Record<LineageNodeKind, number> = { product: 0, port: 1, table: 2, column: 3 };
const RESTRICTED = "Restricted product";

/**
 * The lineage around a product, port, table or column: products and their ports from the descriptors,
 * tables and (when asked) columns from asset lineage, joined where a trino_table port serves a table.
 * Products the viewer may not read appear without any name, and so do their ports and tables.
 */
export async function lineageGraph(db: Tx, viewer: Principal, opts: GraphOptions): Promise<LineageGraph> {
  const up = clampDepth(opts.up, 2);
  const down = clampDepth(opts.down, 2);
  const maxNodes = Math.max(1, Math.min(GRAPH_MAX_NODES, Math.floor(opts.maxNodes ?? GRAPH_DEFAULT_NODES)));
  const focus = await resolveFocus(db, viewer, opts.focus);
  const columns = focus.kind === "column" || opts.columns === true;

  const products = new Map<string, number>();
  const ports = new Map<string, number>();
  const tables = new Map<string, number>();
  const cols = new Map<string, number>();
  const setNear = (m: Map<string, number>, id: string, d: number) => {
    const cur = m.get(id);
    if (cur === undefined || Math.abs(d) < Math.abs(cur) || (Math.abs(d) === Math.abs(cur) && d > cur)) m.set(id, d);
  };
  const productEdges = new Map<string, ProductTraversalEdge>();
  let truncated = false;

  // 1. Product lineage from the descriptors, and the tables the focus serves.
  let startTables: string[] = [];
  if (focus.kind === "product" || focus.kind === "port") {
    const upstream = await traverseProducts(db, [focus.productId], { up, down: focus.kind === "product" ? down : 0, maxNodes });
    const downstream = focus.kind === "port" ? await downstreamOfPort(db, focus.portId, focus.productId, down, maxNodes) : null;
    for (const t of [upstream, downstream]) {
      if (!t) continue;
      truncated ||= t.truncated;
      for (const n of t.nodes) setNear(products, n.id, n.depth);
      for (const e of t.edges) productEdges.set(e.dependencyId, e);
    }
    const focusPorts =
      focus.kind === "port" ? [focus.portId] : (await db.outputPort.findMany({ where: { productId: focus.productId }, select: { id: true } })).map((p) => p.id);
    for (const id of focusPorts) ports.set(id, 0);
    startTables = (await servedTables(db, focusPorts)).map((t) => t.tableId);
  } else if (focus.kind === "table") {
    startTables = [focus.assetId];
  }

  // 2. Asset lineage: tables (or, centred on a column, columns).
  const assetStart = focus.kind === "column" ? [focus.assetId] : startTables;
  const assets = await traverseAssets(db, assetStart, { up, down, maxNodes });
  truncated ||= assets.truncated;
  for (const n of assets.nodes) setNear(focus.kind === "column" ? cols : tables, n.id, n.depth);
  if (focus.kind === "column") {
    const rows = await db.lineageAsset.findMany({ where: { id: { in: [...cols.keys()] } }, select: { id: true, tableId: true } });
    for (const r of rows) if (r.tableId) setNear(tables, r.tableId, cols.get(r.id)!);
  }

  // 3. Join: the ports serving the tables reached (with their products), the ports behind product
  //    edges, and the tables those ports serve.
  const tableRows = await db.lineageAsset.findMany({ where: { id: { in: [...tables.keys()] } }, select: { id: true, fqn: true } });
  const serving = await servingPorts(db, tableRows.map((t) => t.fqn));
  const servingByFqn = byFqn(serving);
  for (const t of tableRows) {
    for (const s of servingByFqn.get(t.fqn) ?? []) {
      setNear(ports, s.id, tables.get(t.id)!);
      setNear(products, s.productId, tables.get(t.id)!);
    }
  }
  for (const e of productEdges.values()) if (products.has(e.fromId)) setNear(ports, e.portId, products.get(e.fromId)!);
  const portRows = await db.outputPort.findMany({ where: { id: { in: [...ports.keys()] } }, select: { id: true, productId: true, name: true, type: true } });
  const portInfo = new Map(portRows.map((p) => [p.id, p]));
  for (const p of portRows) setNear(products, p.productId, ports.get(p.id)!);
  const served = await servedTables(db, [...ports.keys()]);
  for (const s of served) setNear(tables, s.tableId, ports.get(s.portId)!);

  // 4. Columns of the tables shown, when asked: those with column lineage between shown tables.
  if (columns && focus.kind !== "column" && tables.size) {
    const rows = await db.$queryRawUnsafe<{ from_id: string; to_id: string; from_table: string; to_table: string }[]>(
      `SELECT e.from_id::text AS from_id, e.to_id::text AS to_id, f.table_id::text AS from_table, t.table_id::text AS to_table
       FROM lineage_edges e JOIN lineage_assets f ON f.id = e.from_id JOIN lineage_assets t ON t.id = e.to_id
       WHERE f.kind = 'column' AND f.table_id = ANY($1::uuid[]) AND t.table_id = ANY($1::uuid[])`,
      [...tables.keys()],
    );
    for (const r of rows) {
      setNear(cols, r.from_id, tables.get(r.from_table)!);
      setNear(cols, r.to_id, tables.get(r.to_table)!);
    }
  }

  // 5. The node cap: nearest first, the focus always kept.
  type Entry = { kind: LineageNodeKind; id: string; depth: number };
  let entries: Entry[] = [
    ...[...products].map(([id, depth]) => ({ kind: "product" as const, id, depth })),
    ...[...ports].map(([id, depth]) => ({ kind: "port" as const, id, depth })),
    ...[...tables].map(([id, depth]) => ({ kind: "table" as const, id, depth })),
    ...[...cols].map(([id, depth]) => ({ kind: "column" as const, id, depth })),
  ];
  const isFocus = (e: Entry) => `${e.kind}:${e.id}` === focus.nodeId;
  entries.sort((a, b) => Number(isFocus(b)) - Number(isFocus(a)) || Math.abs(a.depth) - Math.abs(b.depth) || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.id.localeCompare(b.id));
  if (entries.length > maxNodes) {
    entries = entries.slice(0, maxNodes);
    truncated = true;
  }
  const kept = new Set(entries.map((e) => `${e.kind}:${e.id}`));
  const has = (kind: LineageNodeKind, id: string) => kept.has(`${kind}:${id}`);

  // 6. Facts for badges and visibility, the edges between kept nodes, and what lies beyond them. A
  //    table belongs to the product serving it even when that product is not on the graph.
  const keptAssets = entries.filter((e) => e.kind === "table" || e.kind === "column").map((e) => e.id);
  const keptAssetSet = new Set(keptAssets);
  const assetRows = await db.lineageAsset.findMany({ where: { id: { in: keptAssets } }, select: { id: true, kind: true, fqn: true, name: true, tableId: true, table: { select: { fqn: true } } } });
  const assetById = new Map(assetRows.map((a) => [a.id, a]));
  const tableFqn = new Map<string, string>();
  for (const a of assetRows) tableFqn.set(a.kind === "column" ? a.tableId! : a.id, a.kind === "column" ? a.table!.fqn : a.fqn);
  const owning = byFqn(await servingPorts(db, [...new Set(tableFqn.values())]));
  const keptProducts = entries.filter((e) => e.kind === "product").map((e) => e.id);
  const owningProducts = [...new Set([...owning.values()].flat().map((s) => s.productId))];
  const [facts, owningRefRows, assetEdgeRows, productNeighbours, assetNeighbours] = await Promise.all([
    productFacts(db, viewer, [...keptProducts, ...owningProducts]),
    owningProducts.length ? db.dataProduct.findMany({ where: { id: { in: owningProducts } }, select: productRefSelect }) : Promise.resolve([]),
    keptAssets.length
      ? db.lineageEdge.findMany({ where: { fromId: { in: keptAssets }, toId: { in: keptAssets } }, select: { id: true, fromId: true, toId: true, source: true, note: true } })
      : Promise.resolve([]),
    keptProducts.length
      ? db.$queryRawUnsafe<{ up_id: string; down_id: string; port_id: string }[]>(
          `SELECT o.product_id::text AS up_id, d.product_id::text AS down_id, o.id::text AS port_id
           FROM product_dependencies d JOIN output_ports o ON o.id = d.upstream_port_id
           WHERE d.product_id = ANY($1::uuid[]) OR o.product_id = ANY($1::uuid[])`,
          keptProducts,
        )
      : Promise.resolve([]),
    keptAssets.length
      ? db.$queryRawUnsafe<{ from_id: string; to_id: string }[]>(
          `SELECT DISTINCT from_id::text AS from_id, to_id::text AS to_id FROM lineage_edges WHERE from_id = ANY($1::uuid[]) OR to_id = ANY($1::uuid[])`,
          keptAssets,
        )
      : Promise.resolve([]),
  ]);
  // A table served by several ports belongs to the one on the graph, else to one the viewer may read.
  const tableServing = new Map<string, ServingPort>();
  for (const [tableId, fqn] of tableFqn) {
    const candidates = owning.get(fqn) ?? [];
    const pick =
      candidates.find((o) => has("port", o.id)) ??
      candidates.find((o) => has("product", o.productId) && facts.get(o.productId)?.visible) ??
      candidates.find((o) => facts.get(o.productId)?.visible) ??
      candidates[0];
    if (pick) tableServing.set(tableId, pick);
  }
  const more = new Map<string, { up: boolean; down: boolean }>();
  const flag = (node: string, dir: "up" | "down") => {
    const m = more.get(node) ?? { up: false, down: false };
    m[dir] = true;
    more.set(node, m);
  };
  for (const r of productNeighbours) {
    if (has("product", r.down_id) && !has("product", r.up_id)) flag(`product:${r.down_id}`, "up");
    if (has("product", r.up_id) && !has("product", r.down_id)) {
      flag(`product:${r.up_id}`, "down");
      if (has("port", r.port_id)) flag(`port:${r.port_id}`, "down");
    }
  }
  const assetKind = (id: string) => assetById.get(id)?.kind as "table" | "column" | undefined;
  for (const r of assetNeighbours) {
    const fromIn = keptAssetSet.has(r.from_id);
    const toIn = keptAssetSet.has(r.to_id);
    if (fromIn && !toIn) flag(`${assetKind(r.from_id)}:${r.from_id}`, "down");
    if (toIn && !fromIn) flag(`${assetKind(r.to_id)}:${r.to_id}`, "up");
  }

  // Who may edit manual edges, decided like the edge operations do: answering for any product serving
  // either end is enough; an end no product serves leaves it to platform admins.
  const owningRefs = new Map(owningRefRows.map((r) => [r.id, toProductRef(r)]));
  const endsOf = (tableId: string | null | undefined): Array<ProductRef | null> => {
    const fqn = tableId ? tableFqn.get(tableId) : undefined;
    const refs = [...new Set((fqn ? (owning.get(fqn) ?? []) : []).map((s) => s.productId))].flatMap((id) => owningRefs.get(id) ?? []);
    return refs.length ? refs : [null];
  };
  const tableIdOf = (assetId: string) => {
    const a = assetById.get(assetId);
    return a ? (a.kind === "column" ? a.tableId : a.id) : null;
  };
  const mayEditAt = (assetId: string) => endsOf(tableIdOf(assetId)).some((p) => can(viewer, "lineage.edit", { from: p, to: null }));
  const mayEditEdge = (fromId: string, toId: string) => {
    const to = endsOf(tableIdOf(toId));
    return endsOf(tableIdOf(fromId)).some((f) => to.some((t) => can(viewer, "lineage.edit", { from: f, to: t })));
  };

  const productOf = (id: string | undefined) => (id ? facts.get(id) : undefined);
  const productDto = (f: ProductFacts | undefined) => (f && f.visible ? { id: f.id, slug: f.slug, name: f.name, status: f.status, domain: f.domain } : null);
  const base = (f: ProductFacts | undefined, portId: string | null) => {
    if (!f) return { restricted: false, product: null, status: null, quality: "unknown" as const, access: "none" as const };
    if (!f.visible) return { restricted: true, product: null, status: null, quality: "unknown" as const, access: "none" as const };
    const access = f.access === "owner" ? "owner" : portId ? (f.portAccess.get(portId) ?? "none") : f.access;
    return { restricted: false, product: productDto(f), status: f.status, quality: f.quality, access };
  };

  const nodes: LineageNode[] = [];
  for (const e of entries) {
    const id = `${e.kind}:${e.id}`;
    const m = more.get(id) ?? { up: false, down: false };
    if (e.kind === "product") {
      const f = facts.get(e.id);
      const b = base(f, null);
      nodes.push({ id, kind: "product", ...b, label: b.restricted ? RESTRICTED : (f?.name ?? "Unknown product"), fqn: null, port: null, tableId: null, depth: e.depth, more: m });
    } else if (e.kind === "port") {
      const p = portInfo.get(e.id)!;
      const b = base(productOf(p.productId), p.id);
      nodes.push({ id, kind: "port", ...b, label: b.restricted ? RESTRICTED : p.name, fqn: null, port: b.restricted ? null : { name: p.name, type: p.type }, tableId: null, depth: e.depth, more: m });
    } else {
      const a = assetById.get(e.id);
      if (!a) continue;
      const tableId = a.kind === "column" ? a.tableId! : a.id;
      const s = tableServing.get(tableId);
      const b = base(productOf(s?.productId), s?.id ?? null);
      nodes.push({
        id,
        kind: e.kind,
        ...b,
        label: b.restricted ? RESTRICTED : a.kind === "column" ? a.name : a.fqn,
        fqn: b.restricted ? null : a.fqn,
        port: b.restricted || !s ? null : { name: s.name, type: s.type },
        tableId: a.kind === "column" ? `table:${a.tableId}` : null,
        depth: e.depth,
        more: m,
        canEdit: !b.restricted && mayEditAt(a.id),
      });
    }
  }
  const restrictedIds = new Set(nodes.filter((n) => n.restricted).map((n) => n.id));

  const edges: LineageEdge[] = [];
  for (const e of productEdges.values()) {
    if (!has("port", e.portId) || !has("product", e.toId)) continue;
    const hidden = restrictedIds.has(`product:${e.toId}`) || restrictedIds.has(`port:${e.portId}`);
    edges.push({ id: `dep:${e.dependencyId}`, from: `port:${e.portId}`, to: `product:${e.toId}`, kind: "product", sources: ["descriptor"], label: hidden ? null : e.inputName, manualEdgeId: null });
  }
  for (const p of portRows) {
    if (has("port", p.id) && has("product", p.productId))
      edges.push({ id: `serves:${p.productId}:${p.id}`, from: `product:${p.productId}`, to: `port:${p.id}`, kind: "serves", sources: ["descriptor"], label: null, manualEdgeId: null });
  }
  for (const [tableId, s] of tableServing) {
    if (has("port", s.id) && has("table", tableId))
      edges.push({ id: `serves:${s.id}:${tableId}`, from: `port:${s.id}`, to: `table:${tableId}`, kind: "serves", sources: ["descriptor"], label: null, manualEdgeId: null });
  }
  const grouped = new Map<string, LineageEdge>();
  for (const r of assetEdgeRows) {
    const kind = assetKind(r.fromId);
    if (!kind || !has(kind, r.fromId) || !has(kind, r.toId)) continue;
    const key = `${r.fromId}:${r.toId}`;
    const edge = grouped.get(key) ?? { id: `edge:${key}`, from: `${kind}:${r.fromId}`, to: `${kind}:${r.toId}`, kind, sources: [], label: null, manualEdgeId: null };
    edge.sources.push(r.source as LineageSource);
    if (r.source === "manual") {
      edge.manualEdgeId = r.id;
      edge.canEdit = mayEditEdge(r.fromId, r.toId);
      if (!restrictedIds.has(edge.from) && !restrictedIds.has(edge.to)) edge.label = r.note || null;
    }
    grouped.set(key, edge);
  }
  for (const e of grouped.values()) {
    e.sources.sort((a, b) => LINEAGE_SOURCES.indexOf(a as LineageSource) - LINEAGE_SOURCES.indexOf(b as LineageSource));
    edges.push(e);
  }

  nodes.sort((a, b) => a.depth - b.depth || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  edges.sort((a, b) => a.id.localeCompare(b.id));
  return { focus: focus.nodeId, nodes, edges, up, down, columns, truncated };
}
