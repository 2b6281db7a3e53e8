import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { ImpactReport } from "@/lib/lineage/types";
import { salesOrders } from "./fixture.test-support";
import { ImpactReportView } from "./impact-panel";
import { LineageList } from "./lineage-list";
import { nodeDescription } from "./lineage-node";

describe("the list view", () => {
  const html = renderToStaticMarkup(createElement(LineageList, { graph: salesOrders(), onExpand: () => {}, onImpact: () => {} }));

  it("is a table with a caption and a row header per node", () => {
    expect(html).toContain("<caption");
    expect(html.match(/<th scope="row"/g)).toHaveLength(salesOrders().nodes.length);
    expect(html).toContain('href="/products/sales-orders"');
  });

  it("shows a restricted node as restricted, with no name or link", () => {
    expect(html).toContain("Restricted product");
    expect(html).not.toContain("secret-draft");
    expect(html).not.toContain("secret draft");
  });

  it("offers expansion only where there is more, and badges for lifecycle and access", () => {
    expect(html.match(/Expand neighbours of/g)).toHaveLength(2);
    expect(html).toContain("deprecated");
    expect(html).toContain("You own this");
    expect(html).toContain("Quality warning");
  });
});

describe("node descriptions for screen readers", () => {
  it("say what a node is, where it sits and the viewer's access, never a restricted name", () => {
    const [up, focus, kpis, secret] = salesOrders().nodes;
    expect(nodeDescription(focus!)).toBe("Data product, sales-orders, published, You own this, focus");
    expect(nodeDescription(up!)).toContain("1 upstream");
    expect(nodeDescription(kpis!)).toContain("deprecated");
    expect(nodeDescription(secret!)).toBe("Data product, Restricted product, 1 downstream");
  });
});

describe("the impact report", () => {
  const report: ImpactReport = {
    focus: "product:sales-orders",
    products: [
      {
        product: { id: "0", slug: "sales-orders", name: "Sales Orders", status: "published", domain: "sales" },
        depth: 0,
        via: [],
        owners: [{ name: "Olivia Owner", email: "olivia@canopy.demo" }],
        team: "Sales Platform",
        consumers: [{ principalType: "user", principal: "Dana Direct", email: "dana@canopy.demo", port: "orders", expiresAt: null }],
        tables: ["iceberg.sales.orders"],
      },
      {
        product: { id: "1", slug: "daily-sales-kpis", name: "Daily Sales KPIs", status: "published", domain: "sales" },
        depth: 1,
        via: ["input", "table"],
        owners: [{ name: "Priya Analyst", email: "priya@canopy.demo" }],
        team: "Sales Analytics",
        consumers: [
          { principalType: "user", principal: "Carlos Consumer", email: "carlos@canopy.demo", port: "kpis", expiresAt: null },
          { principalType: "group", principal: "finance-analysts", email: null, port: "kpis", expiresAt: null },
        ],
        tables: ["iceberg.sales.kpis"],
      },
      { product: null, depth: 1, via: ["input"], owners: [], team: null, consumers: [], tables: [] },
    ],
    unownedAssets: [{ kind: "table", fqn: "iceberg.scratch.tmp", depth: 2 }],
    byOwner: [{ owner: { name: "Priya Analyst", email: "priya@canopy.demo" }, products: ["Daily Sales KPIs"], consumerCount: 2 }],
    restrictedCount: 1,
    truncated: false,
  };
  const html = renderToStaticMarkup(createElement(ImpactReportView, { report, name: "Sales Orders" }));

  it("counts downstream products, tables and consumers, restricted ones counted but not named", () => {
    expect(html).toContain("2 downstream products, 2 tables, 3 consumers with active access.");
    expect(html).toContain("1 product you may not see is counted but not named.");
  });

  it("groups owners to contact with mailto links, and links consumers who have an address", () => {
    expect(html).toContain('href="mailto:priya@canopy.demo?subject=Planned%20change%20to%20Sales%20Orders"');
    expect(html).toContain('href="mailto:carlos@canopy.demo"');
    expect(html).toContain("finance-analysts");
    expect(html).toContain("iceberg.scratch.tmp");
  });

  it("lists the node's own consumers apart from what lies downstream", () => {
    expect(html).toContain('aria-label="Consumers of Sales Orders"');
    expect(html).toContain('href="mailto:dana@canopy.demo"');
    const downstream = html.slice(html.indexOf('aria-label="Downstream products"'));
    expect(downstream.slice(0, downstream.indexOf("</ul>"))).not.toContain("/products/sales-orders");
  });

  it("says so when nothing depends on the node", () => {
    const empty = renderToStaticMarkup(createElement(ImpactReportView, { report: { ...report, products: [], unownedAssets: [], byOwner: [], restrictedCount: 0 }, name: "Sales Orders" }));
    expect(empty).toContain("Nothing downstream depends on this.");
  });
});
