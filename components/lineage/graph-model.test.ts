import { describe, expect, it } from "vitest";
import { edge, graph, node, salesOrders } from "./fixture.test-support";
import {
  absolute,
  DEFAULT_DEPTH,
  exportFileName,
  findPath,
  graphUrl,
  lineageViewQuery,
  listRows,
  mergeGraphs,
  neighbourInDirection,
  parseLineageView,
  readLayout,
  toElkInput,
  withoutColumns,
} from "./graph-model";

describe("merging an expanded node's neighbours", () => {
  it("adds new nodes with depths counted from the first focus, keeps known nodes and unions edges", () => {
    const base = salesOrders();
    // Expanding Daily Sales KPIs (depth 1): its downstream neighbour is one further hop away.
    const around = graph(
      "product:daily-sales-kpis",
      [
        node("product:sales-orders", { depth: -1, more: { up: true, down: false } }),
        node("product:daily-sales-kpis", { depth: 0, more: { up: false, down: false } }),
        node("product:exec-dashboard", { depth: 1, more: { up: false, down: true } }),
      ],
      [edge("product:sales-orders", "product:daily-sales-kpis", "product", { label: "orders" }), edge("product:daily-sales-kpis", "product:exec-dashboard")],
      { truncated: true },
    );
    const merged = mergeGraphs(base, around);
    expect(merged.focus).toBe("product:sales-orders");
    expect(merged.nodes).toHaveLength(base.nodes.length + 1);
    expect(merged.nodes.find((n) => n.id === "product:exec-dashboard")?.depth).toBe(2);
    // known nodes keep the first graph's depth
    expect(merged.nodes.find((n) => n.id === "product:sales-orders")?.depth).toBe(0);
    // the expanded node has all its neighbours now
    expect(merged.nodes.find((n) => n.id === "product:daily-sales-kpis")?.more).toEqual({ up: false, down: false });
    expect(merged.edges.filter((e) => e.id === "product:sales-orders->product:daily-sales-kpis")).toHaveLength(1);
    expect(merged.edges).toHaveLength(base.edges.length + 1);
    expect(merged.truncated).toBe(true);
  });

  it("is idempotent: merging the same answer twice changes nothing more", () => {
    const base = salesOrders();
    const extra = graph("product:price-book", [node("product:price-book"), node("product:supplier-prices", { depth: -1 })], [edge("product:supplier-prices", "product:price-book")]);
    const once = mergeGraphs(base, extra);
    const twice = mergeGraphs(once, extra);
    expect(twice.nodes).toEqual(once.nodes);
    expect(twice.edges).toEqual(once.edges);
    expect(once.nodes.find((n) => n.id === "product:supplier-prices")?.depth).toBe(-2);
  });
});

describe("column level", () => {
  it("hides columns and column edges, keeping tables", () => {
    const g = withoutColumns(salesOrders(true));
    expect(g.nodes.some((n) => n.kind === "column")).toBe(false);
    expect(g.edges.some((e) => e.kind === "column")).toBe(false);
    expect(g.nodes.some((n) => n.id === "table:iceberg.sales.orders")).toBe(true);
    expect(g.columns).toBe(false);
  });
});

describe("the path between two nodes", () => {
  const g = salesOrders(true);

  it("follows the data flow from upstream to downstream, whichever end was chosen first", () => {
    const forward = findPath(g, "product:price-book", "table:iceberg.sales.kpis")!;
    expect([...forward.nodes].sort()).toEqual(["product:price-book", "product:sales-orders", "table:iceberg.sales.kpis", "table:iceberg.sales.orders"]);
    expect(forward.edges.size).toBe(3);
    const backward = findPath(g, "table:iceberg.sales.kpis", "product:price-book")!;
    expect(backward.nodes).toEqual(forward.nodes);
  });

  it("falls back to a path through shared neighbours, and says null when there is none", () => {
    const siblings = findPath(g, "product:daily-sales-kpis", "product:7f3c0000-restricted")!;
    expect([...siblings.nodes].sort()).toEqual(["product:7f3c0000-restricted", "product:daily-sales-kpis", "product:sales-orders"]);
    expect(findPath(g, "product:price-book", "column:iceberg.sales.orders.order_id")).toBeNull();
  });

  it("terminates on cycles", () => {
    const cyclic = graph("product:a", [node("product:a"), node("product:b"), node("product:c"), node("product:d")], [edge("product:a", "product:b"), edge("product:b", "product:c"), edge("product:c", "product:a")]);
    expect(findPath(cyclic, "product:a", "product:c")!.edges.size).toBe(2);
    expect(findPath(cyclic, "product:a", "product:d")).toBeNull();
  });
});

describe("the layout input", () => {
  it("puts columns inside their table and keeps every edge whose ends are in the graph", () => {
    const input = toElkInput(salesOrders(true));
    const orders = input.children!.find((c) => c.id === "table:iceberg.sales.orders")!;
    expect(orders.children!.map((c) => c.id).sort()).toEqual(["column:iceberg.sales.orders.amount", "column:iceberg.sales.orders.order_id"]);
    expect(input.children!.some((c) => c.id.startsWith("column:"))).toBe(false);
    expect(input.edges).toHaveLength(salesOrders(true).edges.length);
    expect(input.layoutOptions?.["elk.hierarchyHandling"]).toBe("INCLUDE_CHILDREN");
  });

  it("keeps a column whose table is not in the graph as a node of its own", () => {
    const g = graph("column:x.y.z.c", [node("column:x.y.z.c", { tableId: "table:x.y.z" })], []);
    expect(toElkInput(g).children!.map((c) => c.id)).toEqual(["column:x.y.z.c"]);
  });
});

describe("positions and keyboard moves", () => {
  const layout = readLayout({
    id: "root",
    children: [
      { id: "a", x: 0, y: 0, width: 100, height: 50 },
      { id: "b", x: 200, y: 0, width: 100, height: 50 },
      { id: "c", x: 200, y: 100, width: 100, height: 50 },
      { id: "t", x: 400, y: 0, width: 120, height: 150, children: [{ id: "t.col", x: 10, y: 60, width: 100, height: 30 }] },
    ],
  });

  it("reads child positions relative to the parent and adds them up", () => {
    expect(layout.get("t.col")).toMatchObject({ x: 10, y: 60, parentId: "t" });
    expect(absolute(layout, "t.col")).toEqual({ x: 410, y: 60 });
  });

  it("moves to the nearest node in the arrow's direction, favouring nodes in line", () => {
    expect(neighbourInDirection(layout, "a", "right")).toBe("b");
    expect(neighbourInDirection(layout, "b", "down")).toBe("c");
    expect(neighbourInDirection(layout, "c", "up")).toBe("b");
    expect(neighbourInDirection(layout, "b", "left")).toBe("a");
    expect(neighbourInDirection(layout, "a", "left")).toBeNull();
  });
});

describe("the list view's rows", () => {
  it("lists upstream first, each with its direct neighbours, and never names a restricted node", () => {
    const rows = listRows(salesOrders());
    expect(rows[0]!.node.id).toBe("product:price-book");
    const focus = rows.find((r) => r.node.id === "product:sales-orders")!;
    expect(focus.upstream.map((n) => n.id)).toEqual(["product:price-book"]);
    expect(focus.downstream.map((n) => n.id)).toEqual(["product:daily-sales-kpis", "product:7f3c0000-restricted", "table:iceberg.sales.orders"]);
    const secret = rows.find((r) => r.node.restricted)!;
    expect(secret.node.label).toBe("Restricted product");
  });
});

describe("URL state", () => {
  it("round-trips and leaves defaults out", () => {
    const view = parseLineageView(new URLSearchParams("product=sales-orders&up=1&down=5&columns=true&view=list"));
    expect(view).toEqual({ product: "sales-orders", fqn: null, node: null, up: 1, down: 5, columns: true, view: "list" });
    expect(lineageViewQuery(view)).toBe("?product=sales-orders&up=1&down=5&columns=true&view=list");
    expect(lineageViewQuery(parseLineageView(new URLSearchParams("fqn=Iceberg.Sales.Orders")))).toBe("?fqn=iceberg.sales.orders");
    expect(lineageViewQuery(parseLineageView(new URLSearchParams("")))).toBe("");
  });

  it("clamps depths to 0..5 and ignores nonsense", () => {
    expect(parseLineageView(new URLSearchParams("up=9&down=-2")).up).toBe(5);
    expect(parseLineageView(new URLSearchParams("up=9&down=-2")).down).toBe(0);
    expect(parseLineageView(new URLSearchParams("up=abc")).up).toBe(DEFAULT_DEPTH);
  });

  it("builds the graph API URL from the focus, preferring a node id", () => {
    expect(graphUrl({ product: "sales-orders" }, { up: 2, down: 1, columns: false })).toBe("/api/v1/lineage/graph?product=sales-orders&up=2&down=1&columns=false");
    expect(graphUrl({ product: "x", node: "table:1" }, { up: 1, down: 1, columns: true })).toBe("/api/v1/lineage/graph?node=table%3A1&up=1&down=1&columns=true");
    expect(graphUrl({}, { up: 1, down: 1, columns: true })).toBeNull();
  });

  it("names exported images after the focus", () => {
    expect(exportFileName("Sales Orders", "png")).toBe("lineage-sales-orders.png");
    expect(exportFileName("iceberg.sales.orders", "svg")).toBe("lineage-iceberg-sales-orders.svg");
    expect(exportFileName("***", "svg")).toBe("lineage-graph.svg");
  });
});
