import type { Db } from "@/lib/db/client";

/**
 * The naive baseline: breadth-first traversal in JavaScript, one ORM query per frontier node per hop
 * and direction (what an application does when it walks relations with Prisma), with a visited set
 * against cycles. Upstream and downstream are walked separately up to the same depth.
 */

export type Walk = { nodes: Set<string>; edges: number; queries: number };

type Neighbours = (id: string) => Promise<{ id: string; count: number }[]>;

async function bfs(start: string[], depth: number, next: Neighbours, into: Set<string>): Promise<{ edges: number; queries: number }> {
  const seen = new Set(start);
  let frontier = [...start];
  let edges = 0;
  let queries = 0;
  for (let hop = 1; hop <= depth && frontier.length; hop++) {
    const following: string[] = [];
    for (const id of frontier) {
      const rows = await next(id);
      queries++;
      for (const r of rows) {
        edges += r.count;
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        into.add(r.id);
        following.push(r.id);
      }
    }
    frontier = following;
  }
  return { edges, queries };
}

async function walk(start: string[], up: number, down: number, upstream: Neighbours, downstream: Neighbours): Promise<Walk> {
  const nodes = new Set(start);
  const a = await bfs(start, up, upstream, nodes);
  const b = await bfs(start, down, downstream, nodes);
  return { nodes, edges: a.edges + b.edges, queries: a.queries + b.queries };
}

/** Asset lineage (tables or columns): one `lineageEdge.findMany` per frontier node. Edges of several sources between the same pair count once per source. */
export function naiveAssets(db: Db, start: string[], opts: { up: number; down: number }): Promise<Walk> {
  const upstream: Neighbours = async (id) =>
    (await db.lineageEdge.findMany({ where: { toId: id }, select: { fromId: true, source: true } })).map((e) => ({ id: e.fromId, count: 1 }));
  const downstream: Neighbours = async (id) =>
    (await db.lineageEdge.findMany({ where: { fromId: id }, select: { toId: true, source: true } })).map((e) => ({ id: e.toId, count: 1 }));
  return walk(start, opts.up, opts.down, upstream, downstream);
}

/** Product lineage: a product's inputs read other products' output ports (`productDependency.findMany` per frontier product). */
export function naiveProducts(db: Db, start: string[], opts: { up: number; down: number }): Promise<Walk> {
  const upstream: Neighbours = async (id) =>
    (await db.productDependency.findMany({ where: { productId: id }, select: { upstreamPort: { select: { productId: true } } } })).map((d) => ({
      id: d.upstreamPort.productId,
      count: 1,
    }));
  const downstream: Neighbours = async (id) =>
    (await db.productDependency.findMany({ where: { upstreamPort: { productId: id } }, select: { productId: true } })).map((d) => ({ id: d.productId, count: 1 }));
  return walk(start, opts.up, opts.down, upstream, downstream);
}
