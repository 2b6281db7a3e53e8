import { describe, expect, it } from "vitest";
import { classifyChanges, compareTypes, highestLevel, type ChangeLevel } from "@/lib/products/changes";
import { productSpec, type ProductSpec } from "@/lib/products/spec";

const base: ProductSpec = productSpec.parse({
  name: "Sales orders",
  slug: "sales-orders",
  domain: "sales",
  team: "sales-analytics",
  owners: ["olivia.owner@canopy.demo"],
  summary: "Every order line from the web shop",
  description: "Order lines, refreshed hourly from the shop database.",
  tags: ["sales"],
  classification: "internal",
  outputPorts: [
    {
      name: "orders",
      type: "trino_table",
      location: "lakehouse.sales.orders",
      description: "Order lines",
      columns: [
        { name: "order_id", physicalType: "bigint", logicalType: "integer", required: true, primaryKey: true, description: "Order" },
        { name: "amount", physicalType: "decimal(12,2)", logicalType: "number", description: "Gross amount" },
        { name: "email", physicalType: "varchar(200)", logicalType: "string", classification: "confidential", pii: true },
        { name: "note", physicalType: "varchar", logicalType: "string" },
        { name: "ordered_at", physicalType: "timestamp(3)", logicalType: "timestamp", required: true },
      ],
      contract: {
        sla: [
          { property: "freshness", value: 1, unit: "h", element: "ordered_at" },
          { property: "availability", value: 99.5, unit: "%" },
          { property: "retention", value: 3, unit: "y" },
        ],
        quality: [{ metric: "nullValues", column: "order_id", operator: "mustBe", threshold: 0 }],
        terms: { purpose: "Sales reporting" },
      },
    },
    { name: "exports", type: "s3_bucket", location: "s3://sales-exports/orders", bucket: { maxSizeGiB: 100 } },
  ],
  inputs: [{ product: "customer-master", port: "customers" }],
});

type Edit = (s: ProductSpec) => void;
const orders = (s: ProductSpec) => s.outputPorts[0]!;
const col = (s: ProductSpec, name: string) => orders(s).columns.find((c) => c.name === name)!;
const sla = (s: ProductSpec, p: string) => orders(s).contract.sla.find((x) => x.property === p)!;

function change(edit: Edit) {
  const after = structuredClone(base);
  edit(after);
  const changes = classifyChanges(base, after);
  return { level: highestLevel(changes), messages: changes.map((c) => c.message), changes };
}

const cases: [string, Edit, ChangeLevel | "none", RegExp][] = [
  ["nothing", () => {}, "none", /^$/],
  // Breaking
  ["removing a column", (s) => void orders(s).columns.splice(3, 1), "major", /Column note removed/],
  ["renaming a column", (s) => void (col(s, "note").name = "remark"), "major", /Column note renamed to remark/],
  ["narrowing a varchar", (s) => void (col(s, "email").physicalType = "varchar(100)"), "major", /narrowed from varchar\(200\) to varchar\(100\)/],
  ["narrowing an integer", (s) => void (col(s, "order_id").physicalType = "integer"), "major", /narrowed/],
  ["narrowing a decimal's scale", (s) => void (col(s, "amount").physicalType = "decimal(12,0)"), "major", /narrowed/],
  ["bounding an unbounded varchar", (s) => void (col(s, "note").physicalType = "varchar(50)"), "major", /narrowed/],
  ["changing a type across families", (s) => void (col(s, "amount").physicalType = "varchar"), "major", /changed type/],
  ["making a column required", (s) => void (col(s, "note").required = true), "major", /note is now required/],
  ["adding a required column", (s) => void orders(s).columns.push({ ...col(s, "note"), name: "channel", required: true }), "major", /Required column channel added/],
  ["removing a port", (s) => void s.outputPorts.splice(1, 1), "major", /Output port exports removed/],
  ["moving a port", (s) => void (orders(s).location = "lakehouse.sales.orders_v2"), "major", /moved/],
  ["a slower freshness", (s) => void (sla(s, "freshness").value = 2), "major", /SLA weakened: freshness 1 h/],
  ["freshness in days instead of hours", (s) => void Object.assign(sla(s, "freshness"), { value: 1, unit: "d" }), "major", /weakened/],
  ["lower availability", (s) => void (sla(s, "availability").value = 99), "major", /SLA weakened: availability 99.5%/],
  ["shorter retention", (s) => void (sla(s, "retention").value = 1), "major", /weakened/],
  ["dropping an SLA", (s) => void orders(s).contract.sla.splice(2, 1), "major", /SLA retention 3 y removed/],
  ["marking a column PII", (s) => void (col(s, "note").pii = true), "major", /marked as PII/],
  ["classifying a column more strictly", (s) => void (col(s, "amount").classification = "restricted"), "major", /classified restricted/],
  ["dropping a primary key", (s) => void (col(s, "order_id").primaryKey = false), "major", /no longer part of the primary key/],
  // Additive
  ["adding an optional column", (s) => void orders(s).columns.push({ ...col(s, "note"), name: "channel" }), "minor", /Optional column channel added/],
  ["widening a varchar", (s) => void (col(s, "email").physicalType = "varchar(400)"), "minor", /widened/],
  ["the same type in capitals", (s) => void (col(s, "order_id").physicalType = "BIGINT"), "none", /^$/],
  ["widening a decimal", (s) => void (col(s, "amount").physicalType = "decimal(18,4)"), "minor", /widened/],
  ["making a column optional", (s) => void (col(s, "ordered_at").required = false), "minor", /now optional/],
  ["adding a port", (s) => void s.outputPorts.push({ ...orders(s), name: "orders_daily" }), "minor", /Output port orders_daily added/],
  ["a fresher SLA", (s) => void Object.assign(sla(s, "freshness"), { value: 30, unit: "m" }), "minor", /SLA improved/],
  ["adding an SLA", (s) => void orders(s).contract.sla.push({ property: "latency", value: 2, unit: "h", element: "" }), "minor", /SLA latency 2 h added/],
  ["adding a quality check", (s) => void orders(s).contract.quality.push({ metric: "rowCount", column: "", operator: "mustBeGreaterThan", threshold: 0, query: "", description: "" }), "minor", /Quality check rowCount added/],
  ["reading another input", (s) => void s.inputs.push({ product: "web-sessions", port: "sessions" }), "minor", /Now reads web-sessions\/sessions/],
  // Wording
  ["a column description", (s) => void (col(s, "amount").description = "Gross amount in EUR"), "patch", /Description of column amount changed/],
  ["the product description", (s) => void (s.description = "Something else"), "patch", /Description changed/],
  ["terms of use", (s) => void (orders(s).contract.terms.limitations = "No resale"), "patch", /limitations changed/],
  ["tags", (s) => void s.tags.push("orders"), "patch", /Tags changed to orders, sales/],
  ["a quality check's description", (s) => void (orders(s).contract.quality[0]!.description = "Every order has an id"), "patch", /Quality check descriptions changed/],
];

describe("the change classifier", () => {
  it.each(cases)("%s", (_name, edit, level, message) => {
    const result = change(edit);
    expect(result.level).toBe(level);
    expect(result.messages.join("\n")).toMatch(message);
  });

  it("reports the highest level of several changes, and which port each affects", () => {
    const result = change((s) => {
      col(s, "amount").description = "changed";
      orders(s).columns.splice(3, 1);
      s.outputPorts[1]!.description = "new words";
    });
    expect(result.level).toBe("major");
    expect(result.changes.filter((c) => c.level === "major").map((c) => c.port)).toEqual(["orders"]);
    expect(result.changes.find((c) => c.message.includes("port exports"))?.level).toBe("patch");
  });

  it("does not count checks written in another order (on the table first, then on columns) as a change", () => {
    const before = structuredClone(base);
    orders(before).contract.quality.push({ metric: "rowCount", column: "", operator: "mustBeGreaterThan", threshold: 0, query: "", description: "Not empty" });
    const after = structuredClone(before);
    orders(after).contract.quality.reverse();
    expect(classifyChanges(before, after)).toEqual([]);
    orders(after).contract.quality[0]!.description = "Never empty";
    expect(classifyChanges(before, after).map((c) => c.message)).toEqual(["Quality check descriptions changed"]);
  });

  it("does not take a removal plus an unrelated addition for a rename", () => {
    const result = change((s) => {
      orders(s).columns.splice(3, 1);
      orders(s).columns.push({ ...col(s, "amount"), name: "discount" });
    });
    expect(result.messages).toContain("Column note removed");
    expect(result.messages.some((m) => /Optional column discount added/.test(m))).toBe(true);
  });
});

describe("type comparison", () => {
  it.each([
    ["varchar(10)", "varchar(20)", "widened"],
    ["varchar(20)", "varchar", "widened"],
    ["varchar", "varchar(20)", "narrowed"],
    ["integer", "bigint", "widened"],
    ["bigint", "smallint", "narrowed"],
    ["integer", "decimal(12,2)", "widened"],
    ["bigint", "decimal(12,2)", "narrowed"],
    ["real", "double", "widened"],
    ["decimal(10,2)", "decimal(12,2)", "widened"],
    ["decimal(10,2)", "decimal(10,3)", "narrowed"],
    ["timestamp(3)", "timestamp(6)", "widened"],
    ["timestamp(6) with time zone", "timestamp(6)", "changed"],
    ["date", "timestamp(3)", "changed"],
    ["VARCHAR(10)", "varchar(10)", "same"],
  ] as const)("%s → %s is %s", (a, b, expected) => {
    expect(compareTypes(a, b)).toBe(expected);
  });
});
