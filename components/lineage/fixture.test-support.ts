import type { LineageEdge, LineageGraph, LineageNode } from "@/lib/lineage/types";

/** Graphs shaped like the lineage API's answers, for the lineage view's tests. */

export function node(id: string, over: Partial<LineageNode> = {}): LineageNode {
  const kind = (id.split(":")[0] ?? "product") as LineageNode["kind"];
  const name = id.split(":")[1] ?? id;
  return {
    id,
    kind,
    restricted: false,
    label: name,
    fqn: kind === "table" || kind === "column" ? name : null,
    product: kind === "product" ? { id: name, slug: name, name: name.replace(/-/g, " "), status: "published", domain: "sales" } : null,
    port: null,
    tableId: null,
    status: kind === "product" ? "published" : null,
    quality: "unknown",
    access: "none",
    depth: 0,
    more: { up: false, down: false },
    ...over,
  };
}

export function edge(from: string, to: string, kind: LineageEdge["kind"] = "product", over: Partial<LineageEdge> = {}): LineageEdge {
  return { id: `${from}->${to}`, from, to, kind, sources: ["descriptor"], label: null, manualEdgeId: null, ...over };
}

export function graph(focus: string, nodes: LineageNode[], edges: LineageEdge[], over: Partial<LineageGraph> = {}): LineageGraph {
  return { focus, nodes, edges, up: 2, down: 2, columns: false, truncated: false, ...over };
}

/**
 * Sales Orders in the middle: read from Price Book, read by Daily Sales KPIs and by another team's draft
 * (restricted); its orders table feeds a KPI table, column by column.
 */
export function salesOrders(columns = false): LineageGraph {
  const nodes: LineageNode[] = [
    node("product:price-book", { depth: -1, more: { up: true, down: false } }),
    node("product:sales-orders", { access: "owner", quality: "passing" }),
    node("product:daily-sales-kpis", { depth: 1, status: "deprecated", quality: "warning", access: "granted", more: { up: false, down: true } }),
    node("product:7f3c0000-restricted", { depth: 1, restricted: true, label: "Restricted product", product: null, status: null }),
    node("table:iceberg.sales.orders", { depth: 0, product: { id: "sales-orders", slug: "sales-orders", name: "Sales Orders", status: "published", domain: "sales" }, port: { name: "orders", type: "trino_table" } }),
    node("table:iceberg.sales.kpis", { depth: 1 }),
  ];
  const edges: LineageEdge[] = [
    edge("product:price-book", "product:sales-orders"),
    edge("product:sales-orders", "product:daily-sales-kpis", "product", { label: "orders" }),
    edge("product:sales-orders", "product:7f3c0000-restricted"),
    edge("product:sales-orders", "table:iceberg.sales.orders", "serves"),
    edge("table:iceberg.sales.orders", "table:iceberg.sales.kpis", "table", { sources: ["dbt"] }),
  ];
  if (columns) {
    nodes.push(
      node("column:iceberg.sales.orders.amount", { label: "amount", tableId: "table:iceberg.sales.orders" }),
      node("column:iceberg.sales.orders.order_id", { label: "order_id", tableId: "table:iceberg.sales.orders" }),
      node("column:iceberg.sales.kpis.revenue", { depth: 1, label: "revenue", tableId: "table:iceberg.sales.kpis" }),
    );
    edges.push(edge("column:iceberg.sales.orders.amount", "column:iceberg.sales.kpis.revenue", "column", { sources: ["dbt"] }));
  }
  return graph("product:sales-orders", nodes, edges, { columns });
}

/** A mesh of `width` products per layer over `layers` layers, each reading two of the layer before. */
export function bigMesh(layers: number, width: number): LineageGraph {
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const id = `product:p-${l}-${i}`;
      nodes.push(node(id, { depth: l }));
      if (l > 0) {
        edges.push(edge(`product:p-${l - 1}-${i}`, id));
        edges.push(edge(`product:p-${l - 1}-${(i * 7 + 3) % width}`, id));
      }
    }
  }
  return graph("product:p-0-0", nodes, [...new Map(edges.map((e) => [e.id, e])).values()]);
}
