import { describe, expect, it } from "vitest";
import { runElk } from "./elk-layout";
import { bigMesh, salesOrders } from "./fixture.test-support";
import { absolute, readLayout, toElkInput } from "./graph-model";

describe("the layered layout", () => {
  it("places upstream left of downstream, and columns inside their table", async () => {
    const g = salesOrders(true);
    const layout = readLayout(await runElk(toElkInput(g)));
    expect([...layout.keys()].sort()).toEqual(g.nodes.map((n) => n.id).sort());
    const x = (id: string) => absolute(layout, id)!.x;
    expect(x("product:price-book")).toBeLessThan(x("product:sales-orders"));
    expect(x("product:sales-orders")).toBeLessThan(x("product:daily-sales-kpis"));
    expect(x("table:iceberg.sales.orders")).toBeLessThan(x("table:iceberg.sales.kpis"));
    const table = layout.get("table:iceberg.sales.orders")!;
    for (const col of ["column:iceberg.sales.orders.amount", "column:iceberg.sales.orders.order_id"]) {
      const c = layout.get(col)!;
      expect(c.parentId).toBe("table:iceberg.sales.orders");
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.y + c.height).toBeLessThanOrEqual(table.height);
    }
  });

  it("lays out a graph of 600 nodes and 1,100 edges without overlaps", async () => {
    const g = bigMesh(12, 50);
    expect(g.nodes.length).toBe(600);
    const started = performance.now();
    const layout = readLayout(await runElk(toElkInput(g)));
    const ms = performance.now() - started;
    expect(layout.size).toBe(600);
    // Layers run left to right.
    expect(absolute(layout, "product:p-0-0")!.x).toBeLessThan(absolute(layout, "product:p-11-0")!.x);
    const boxes = [...layout.values()];
    const overlaps = boxes.filter((a, i) => boxes.some((b, j) => j > i && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height));
    expect(overlaps).toEqual([]);
    // Off the main thread in the browser; here only a sanity bound on a shared machine.
    expect(ms).toBeLessThan(30_000);
  });
});
