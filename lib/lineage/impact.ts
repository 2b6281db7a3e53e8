import type { Principal } from "@/lib/auth/permissions";
import { visibleProductsWhere } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import { reachDownstream, resolveFocus, type GraphFocus, type ResolvedFocus } from "@/lib/lineage/graph";
import { byFqn, servedTables, servingPorts } from "@/lib/lineage/queries";
import type { ImpactConsumer, ImpactProduct, ImpactReport } from "@/lib/lineage/types";

/**
 * "What depends on this?": everything downstream of a product, port, table or column, to any depth
 * (bounded by MAX_DEPTH hops and IMPACT_MAX_NODES nodes), across both grains. Product lineage
 * reaches the products consuming a port; asset lineage reaches tables and columns, and through the
 * ports serving them, more products; each round continues from what the other grain found. For every
 * product affected: its owners and the consumers with active access, for contacting them.
 */

export const IMPACT_MAX_NODES = 5000;
/** Rounds of alternating product and asset traversal; each round is one query per grain. */
const ROUNDS = 4;

type Via = "input" | "table" | "column";

export type ImpactAnalysis = {
  focus: ResolvedFocus;
  /** Product id → depth and how it is reached; the focus's own product at depth 0. */
  products: Map<string, { depth: number; via: Set<Via> }>;
  /** Ports whose consumers count: all ports of downstream products, but only the focus port (or the port serving the focus table) of the focus's product. */
  focusPorts: string[] | null;
  focusProductId: string | null;
  tables: Map<string, { fqn: string; depth: number; kind: "table" | "column"; productIds: string[] }>;
  truncated: boolean;
};

const near = <T extends { depth: number }>(m: Map<string, T>, id: string, value: T) => {
  const cur = m.get(id);
  if (!cur || value.depth < cur.depth) m.set(id, value);
  return !cur;
};

/** The downstream closure of a focus, without any visibility applied (callers decide what to show). */
export async function analyseImpact(db: Tx, viewer: Principal, focusInput: GraphFocus, maxNodes = IMPACT_MAX_NODES): Promise<ImpactAnalysis> {
  const focus = await resolveFocus(db, viewer, focusInput);
  const products = new Map<string, { depth: number; via: Set<Via> }>();
  const assets = new Map<string, { depth: number; kind: "table" | "column" }>();
  let truncated = false;
  let focusProductId: string | null = null;
  let focusPorts: string[] | null = null;

  // Where the first round starts from.
  let productStart: { id: string; depth: number }[] = [];
  let assetStart: { id: string; depth: number }[] = [];
  if (focus.kind === "product") {
    focusProductId = focus.productId;
    products.set(focus.productId, { depth: 0, via: new Set() });
    productStart = [{ id: focus.productId, depth: 0 }];
    const ports = await db.outputPort.findMany({ where: { productId: focus.productId }, select: { id: true } });
    assetStart = (await servedTables(db, ports.map((p) => p.id))).map((t) => ({ id: t.tableId, depth: 0 }));
  } else if (focus.kind === "port") {
    focusProductId = focus.productId;
    focusPorts = [focus.portId];
    products.set(focus.productId, { depth: 0, via: new Set() });
    const consumers = await db.productDependency.findMany({ where: { upstreamPortId: focus.portId }, select: { productId: true } });
    productStart = consumers.map((c) => ({ id: c.productId, depth: 1 }));
    for (const c of consumers) near(products, c.productId, { depth: 1, via: new Set<Via>(["input"]) });
    assetStart = (await servedTables(db, [focus.portId])).map((t) => ({ id: t.tableId, depth: 0 }));
  } else {
    assetStart = [{ id: focus.assetId, depth: 0 }];
    const asset = await db.lineageAsset.findUniqueOrThrow({ where: { id: focus.kind === "column" ? focus.tableId : focus.assetId }, select: { fqn: true } });
    const [serving] = await servingPorts(db, [asset.fqn]);
    if (serving) {
      focusProductId = serving.productId;
      focusPorts = [serving.id];
      products.set(serving.productId, { depth: 0, via: new Set() });
    }
  }

  // Nodes already continued from, with the depth they were continued at. A node found again nearer
  // (through the other grain) is continued again, so what lies beyond it gets the nearer depth too.
  const expandedProducts = new Map<string, number>();
  const expandedAssets = new Map<string, number>();
  const needsExpanding = (expanded: Map<string, number>, n: { id: string; depth: number }) => !(expanded.get(n.id)! <= n.depth);
  const markExpanded = (expanded: Map<string, number>, id: string, depth: number) => {
    if (needsExpanding(expanded, { id, depth })) expanded.set(id, depth);
  };
  // A product's own tables, continued from the product: they do not reach the product a second time.
  const ownTables = new Set<string>();
  const throughLineage = new Set<string>();
  for (let round = 0; round < ROUNDS && (productStart.length || assetStart.length); round++) {
    // Product lineage from products not expanded yet, one query per starting depth.
    const nextAssets: { id: string; depth: number }[] = [];
    for (const [depth, ids] of groupByDepth(productStart.filter((p) => needsExpanding(expandedProducts, p)))) {
      ids.forEach((id) => markExpanded(expandedProducts, id, depth));
      const t = await reachDownstream(db, "products", ids, maxNodes);
      truncated ||= t.truncated;
      const fresh: string[] = [];
      for (const n of t.nodes) {
        if (n.depth > 0) {
          const cur = products.get(n.id);
          if (cur) {
            if (cur.depth > 0) cur.via.add("input");
            if (depth + n.depth < cur.depth) cur.depth = depth + n.depth;
          } else {
            products.set(n.id, { depth: depth + n.depth, via: new Set<Via>(["input"]) });
          }
        }
        markExpanded(expandedProducts, n.id, depth + n.depth);
        if (n.id !== focusProductId) fresh.push(n.id);
      }
      // Tables the products reached serve continue in asset lineage (the focus's own are the start).
      if (fresh.length) {
        const ports = await db.outputPort.findMany({ where: { productId: { in: fresh } }, select: { id: true, productId: true } });
        const portProduct = new Map(ports.map((p) => [p.id, p.productId]));
        for (const s of await servedTables(db, ports.map((p) => p.id))) {
          const productId = portProduct.get(s.portId)!;
          nextAssets.push({ id: s.tableId, depth: products.get(productId)!.depth });
          ownTables.add(`${productId}:${s.tableId}`);
        }
      }
    }
    productStart = [];
    // Asset lineage from assets not expanded yet.
    for (const [depth, ids] of groupByDepth([...assetStart, ...nextAssets].filter((a) => needsExpanding(expandedAssets, a)))) {
      ids.forEach((id) => markExpanded(expandedAssets, id, depth));
      const t = await reachDownstream(db, "assets", ids, maxNodes);
      truncated ||= t.truncated;
      for (const n of t.nodes) {
        near(assets, n.id, { depth: depth + n.depth, kind: "table" });
        if (n.depth > 0) throughLineage.add(n.id);
      }
      t.nodes.forEach((n) => markExpanded(expandedAssets, n.id, depth + n.depth));
    }
    assetStart = [];
    // Products serving downstream assets continue in product lineage.
    const rows = await db.lineageAsset.findMany({
      where: { id: { in: [...assets.keys()] } },
      select: { id: true, kind: true, fqn: true, table: { select: { fqn: true } } },
    });
    const fqnOf = new Map(rows.map((r) => [r.id, r.table?.fqn ?? r.fqn]));
    for (const r of rows) assets.get(r.id)!.kind = r.kind as "table" | "column";
    const serving = byFqn(await servingPorts(db, [...new Set(fqnOf.values())]));
    for (const [id, a] of assets) {
      if (a.depth === 0) continue;
      for (const s of serving.get(fqnOf.get(id)!) ?? []) {
        if (ownTables.has(`${s.productId}:${id}`) && !throughLineage.has(id)) continue;
        const via: Via = a.kind === "column" ? "column" : "table";
        const cur = products.get(s.productId);
        if (cur) {
          if (cur.depth > 0) cur.via.add(via);
          if (a.depth < cur.depth) cur.depth = a.depth;
        } else products.set(s.productId, { depth: a.depth, via: new Set([via]) });
        const start = { id: s.productId, depth: a.depth };
        if (needsExpanding(expandedProducts, start)) productStart.push(start);
      }
    }
    if (products.size + assets.size > maxNodes) {
      truncated = true;
      break;
    }
  }

  // Tables and columns downstream (not the focus itself), with the products serving them.
  const rows = await db.lineageAsset.findMany({
    where: { id: { in: [...assets.keys()] } },
    select: { id: true, kind: true, fqn: true, table: { select: { fqn: true } } },
  });
  const serving = byFqn(await servingPorts(db, [...new Set(rows.map((r) => r.table?.fqn ?? r.fqn))]));
  const tables = new Map<string, { fqn: string; depth: number; kind: "table" | "column"; productIds: string[] }>();
  for (const r of rows) {
    const a = assets.get(r.id)!;
    if (a.depth === 0) continue;
    const tableFqn = r.table?.fqn ?? r.fqn;
    tables.set(r.id, { fqn: r.fqn, depth: a.depth, kind: r.kind as "table" | "column", productIds: [...new Set((serving.get(tableFqn) ?? []).map((s) => s.productId))] });
  }
  return { focus, products, focusPorts, focusProductId, tables, truncated };
}

/** Start nodes grouped by their depth (one traversal per depth), nearest first; a node keeps its nearest depth. */
function groupByDepth(items: { id: string; depth: number }[]): [number, string[]][] {
  const nearest = new Map<string, number>();
  for (const i of items) if (!nearest.has(i.id) || i.depth < nearest.get(i.id)!) nearest.set(i.id, i.depth);
  const m = new Map<number, string[]>();
  for (const [id, depth] of nearest) {
    const list = m.get(depth);
    if (list) list.push(id);
    else m.set(depth, [id]);
  }
  return [...m].sort((a, b) => a[0] - b[0]);
}

export type ActiveGrant = { principalType: "user" | "group" | "product"; principalRef: string; port: string; expiresAt: Date | null };

export type ImpactPeople = {
  /** Product id → owner user ids (direct owners and members of the owning team). */
  owners: Map<string, string[]>;
  /** Product id → active, unexpired grants on the ports that count. */
  grants: Map<string, ActiveGrant[]>;
};

/** Owners and consumers with active access of the products in an analysis. */
export async function impactPeople(db: Tx, analysis: ImpactAnalysis, now = new Date()): Promise<ImpactPeople> {
  const ids = [...analysis.products.keys()];
  // One query after the other: these also run inside the deprecation's transaction, on one connection.
  const rows = await db.dataProduct.findMany({
    where: { id: { in: ids } },
    select: { id: true, owners: { select: { userId: true } }, ownerTeam: { select: { members: { select: { userId: true } } } } },
  });
  const grants = await db.accessRequest.findMany({
    where: { port: { productId: { in: ids } }, status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: [{ createdAt: "asc" }],
    select: { principalType: true, principalRef: true, expiresAt: true, portId: true, port: { select: { name: true, productId: true } } },
  });
  const owners = new Map(rows.map((p) => [p.id, [...new Set([...p.owners.map((o) => o.userId), ...(p.ownerTeam?.members.map((m) => m.userId) ?? [])])]]));
  const byProduct = new Map<string, ActiveGrant[]>();
  for (const g of grants) {
    const productId = g.port.productId;
    if (productId === analysis.focusProductId && analysis.focusPorts && !analysis.focusPorts.includes(g.portId)) continue;
    byProduct.set(productId, [...(byProduct.get(productId) ?? []), { principalType: g.principalType, principalRef: g.principalRef, port: g.port.name, expiresAt: g.expiresAt }]);
  }
  return { owners, grants: byProduct };
}

/** The people to notify about a change to the focus: owners of downstream products and everyone with active access. */
export async function impactRecipients(db: Tx, analysis: ImpactAnalysis, people: ImpactPeople): Promise<{ owners: string[]; consumers: string[] }> {
  const owners = new Set<string>();
  for (const [productId, ids] of people.owners) if (productId !== analysis.focusProductId) ids.forEach((id) => owners.add(id));
  const userIds = new Set<string>();
  const groups = new Set<string>();
  const productSlugs = new Set<string>();
  for (const list of people.grants.values())
    for (const g of list) {
      if (g.principalType === "user") userIds.add(g.principalRef);
      else if (g.principalType === "group") groups.add(g.principalRef);
      else productSlugs.add(g.principalRef);
    }
  const groupUsers = groups.size ? await db.user.findMany({ where: { groups: { hasSome: [...groups] } }, select: { id: true } }) : [];
  const productOwners = productSlugs.size ? await db.productOwner.findMany({ where: { product: { slug: { in: [...productSlugs] } } }, select: { userId: true } }) : [];
  const users = userIds.size ? await db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true } }) : [];
  const consumers = new Set([...users.map((u) => u.id), ...groupUsers.map((u) => u.id), ...productOwners.map((o) => o.userId)]);
  return { owners: [...owners], consumers: [...consumers] };
}

/** The impact report the API and the UI show; products the viewer may not read are counted, not named. */
export async function impactReport(db: Tx, viewer: Principal, focus: GraphFocus): Promise<ImpactReport> {
  const analysis = await analyseImpact(db, viewer, focus);
  return reportOf(db, viewer, analysis);
}

export async function reportOf(db: Tx, viewer: Principal, analysis: ImpactAnalysis, people?: ImpactPeople): Promise<ImpactReport> {
  const ids = [...analysis.products.keys()];
  const p = people ?? (await impactPeople(db, analysis));
  const rows = await db.dataProduct.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      slug: true,
      name: true,
      status: true,
      domain: { select: { slug: true } },
      ownerTeam: { select: { name: true } },
      owners: { select: { user: { select: { name: true, email: true } } } },
    },
  });
  const visible = await db.dataProduct.findMany({ where: { AND: [visibleProductsWhere(viewer), { id: { in: ids } }] }, select: { id: true } });
  const canSee = new Set(visible.map((v) => v.id));
  const grantUserIds = [...p.grants.values()].flat().filter((g) => g.principalType === "user").map((g) => g.principalRef);
  const productPrincipals = [...p.grants.values()].flat().filter((g) => g.principalType === "product").map((g) => g.principalRef);
  const users = grantUserIds.length ? await db.user.findMany({ where: { id: { in: grantUserIds } }, select: { id: true, name: true, email: true } }) : [];
  const principalProducts = productPrincipals.length
    ? await db.dataProduct.findMany({ where: { AND: [visibleProductsWhere(viewer), { slug: { in: productPrincipals } }] }, select: { slug: true } })
    : [];
  const userById = new Map(users.map((u) => [u.id, u]));
  const namedProducts = new Set(principalProducts.map((x) => x.slug));

  const tablesByProduct = new Map<string, string[]>();
  for (const t of analysis.tables.values()) for (const pid of t.productIds) tablesByProduct.set(pid, [...(tablesByProduct.get(pid) ?? []), t.fqn]);

  let restrictedCount = 0;
  const products: ImpactProduct[] = [];
  for (const r of rows) {
    const a = analysis.products.get(r.id)!;
    const via = (["input", "table", "column"] as const).filter((v) => a.via.has(v));
    if (!canSee.has(r.id)) {
      restrictedCount++;
      products.push({ product: null, depth: a.depth, via, owners: [], team: null, consumers: [], tables: [] });
      continue;
    }
    const consumers: ImpactConsumer[] = (p.grants.get(r.id) ?? []).map((g) => {
      const u = g.principalType === "user" ? userById.get(g.principalRef) : undefined;
      return {
        principalType: g.principalType,
        principal: u ? u.name : g.principalType === "product" && !namedProducts.has(g.principalRef) ? "Restricted product" : g.principalRef,
        email: u?.email ?? null,
        port: g.port,
        expiresAt: g.expiresAt?.toISOString() ?? null,
      };
    });
    products.push({
      product: { id: r.id, slug: r.slug, name: r.name, status: r.status, domain: r.domain.slug },
      depth: a.depth,
      via,
      owners: r.owners.map((o) => o.user).sort((x, y) => x.name.localeCompare(y.name)),
      team: r.ownerTeam?.name ?? null,
      consumers,
      tables: [...new Set(tablesByProduct.get(r.id) ?? [])].sort(),
    });
  }
  products.sort((x, y) => x.depth - y.depth || (x.product?.name ?? "\uffff").localeCompare(y.product?.name ?? "\uffff"));

  const byOwnerMap = new Map<string, { owner: { name: string; email: string }; products: string[]; consumerCount: number }>();
  for (const item of products) {
    if (!item.product) continue;
    for (const o of item.owners) {
      const entry = byOwnerMap.get(o.email) ?? { owner: o, products: [], consumerCount: 0 };
      entry.products.push(item.product.name);
      entry.consumerCount += item.consumers.length;
      byOwnerMap.set(o.email, entry);
    }
  }
  const unownedAssets = [...analysis.tables.values()]
    .filter((t) => t.productIds.length === 0)
    .map((t) => ({ kind: t.kind, fqn: t.fqn, depth: t.depth }))
    .sort((x, y) => x.depth - y.depth || x.fqn.localeCompare(y.fqn));
  // A table served by a product the viewer may not read is neither listed nor named.
  return {
    focus: analysis.focus.nodeId,
    products,
    unownedAssets,
    byOwner: [...byOwnerMap.values()].sort((x, y) => x.owner.name.localeCompare(y.owner.name)),
    restrictedCount,
    truncated: analysis.truncated,
  };
}
