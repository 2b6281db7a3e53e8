import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildDescriptors, type DescriptorMeta } from "@/lib/descriptors/build";
import { IMPORT_NOTE_KEY } from "@/lib/descriptors/mapping";
import { descriptorBundle } from "@/lib/descriptors/serialize";
import { validateOdcs, validateOdps } from "@/lib/descriptors/validate";
import { productSpec, type ProductSpec } from "@/lib/products/spec";
import { fixture, fixtureNames, importBody, leaves, metaFor, wrapContract, type Loose } from "@/test/descriptors/helpers";

/** Leaves of `original` missing from or different in `exported`, except apiVersion and what a warning covers. */
function lostLeaves(original: unknown, exported: unknown, warned: string[]): string[] {
  const after = leaves(exported);
  const lost: string[] = [];
  for (const [path, value] of leaves(original)) {
    if (path === "apiVersion") continue;
    if (warned.some((w) => path === w || path.startsWith(`${w}.`) || path.startsWith(`${w}[`))) continue;
    if (!after.has(path) || JSON.stringify(after.get(path)) !== JSON.stringify(value)) lost.push(`${path}: ${JSON.stringify(value)} → ${JSON.stringify(after.get(path))}`);
  }
  return lost;
}

describe("round trip over the standards' examples", () => {
  it("has the examples to test", () => {
    expect(fixtureNames(".odps.yaml").length).toBeGreaterThanOrEqual(1);
    expect(fixtureNames(".odcs.yaml").length).toBeGreaterThanOrEqual(5);
  });

  for (const file of fixtureNames(".odps.yaml")) {
    it(`${file}: import then export keeps every value`, async () => {
      const text = fixture(file);
      const original = parseYaml(text) as Record<string, unknown>;
      const firstInput = (original.inputPorts as { contractId: string }[])[0]!.contractId;
      const imported = await importBody(text, {
        resolveContract: (id) => (id === firstInput ? { product: "payments", port: "payments" } : null),
      });
      const meta = metaFor(imported, { inputContracts: { "payments/payments": firstInput } });
      const built = buildDescriptors(imported.spec, meta, imported.sources);

      expect(validateOdps(built.odps)).toEqual([]);
      for (const c of built.contracts) expect(validateOdcs(c.odcs), c.port).toEqual([]);
      expect(built.odps).not.toHaveProperty(IMPORT_NOTE_KEY);
      expect(built.odps.apiVersion).toBe("v1.0.0");
      const warned = imported.warnings.map((w) => w.path);
      expect(lostLeaves(original, built.odps, warned)).toEqual([]);
      // Canopy read what it models.
      expect(imported.spec.inputs).toEqual([{ product: "payments", port: "payments", name: "payments" }]);
      expect(imported.spec.outputPorts.map((p) => p.name)).toEqual(["rawtransactions", "consolidatedtransactions", "fulltransactionswithreturns"]);
      expect(warned).toEqual(expect.arrayContaining(["apiVersion", "outputPorts[1].name", "inputPorts[1].contractId", "team.name"]));
      expect(warned).not.toContain("inputPorts[0].contractId");
    });
  }

  for (const file of fixtureNames(".odcs.yaml")) {
    it(`${file}: import then export keeps every value`, async () => {
      const { body, port, contract } = wrapContract(fixture(file));
      const imported = await importBody(body);
      const built = buildDescriptors(imported.spec, metaFor(imported), imported.sources);
      const exported = built.contracts.find((c) => c.port === port)!;
      expect(exported.contractId).toBe(contract.id);
      expect(validateOdps(built.odps)).toEqual([]);
      expect(validateOdcs(exported.odcs)).toEqual([]);
      expect(exported.odcs.apiVersion).toBe("v3.1.0");
      const warned = imported.warnings.filter((w) => w.path.startsWith("contracts[0]")).map((w) => w.path.replace(/^contracts\[0\]\.?/, ""));
      expect(warned).not.toContain("");
      expect(lostLeaves(contract, exported.odcs, warned)).toEqual([]);
      // Exporting again from the stored documents changes nothing.
      const again = buildDescriptors(imported.spec, metaFor(imported), { product: built.odps, contracts: { [port]: exported.odcs } });
      expect(again.contracts[0]!.odcs).toEqual(exported.odcs);
    });
  }

  it("reads what Canopy models from the full ODCS example", async () => {
    const imported = await importBody(wrapContract(fixture("full-example.odcs.yaml")).body);
    const port = imported.spec.outputPorts[0]!;
    expect(port).toMatchObject({ type: "trino_table", location: "pypl-edw.pp_access_views.tbl_1" });
    expect(port.columns.map((c) => [c.name, c.logicalType, c.physicalType, c.classification, c.primaryKey])).toEqual([
      ["transaction_reference_date", "date", "date", "public", false],
      ["rcvr_id", "string", "varchar(18)", "restricted", true],
      ["rcvr_cntry_code", "string", "varchar(2)", "public", false],
    ]);
    expect(port.contract.quality).toEqual([
      { metric: "rowCount", column: "", operator: "mustBeGreaterThan", threshold: 1000000, query: "", description: "Ensure row count is within expected volume range" },
      { metric: "nullValues", column: "rcvr_cntry_code", operator: "mustBe", threshold: 0, query: "", description: "column should not contain null values" },
    ]);
    expect(port.contract.sla).toEqual([
      { property: "latency", value: 4, unit: "d", element: "tab1.txn_ref_dt" },
      { property: "retention", value: 3, unit: "y", element: "tab1.txn_ref_dt" },
      { property: "frequency", value: 1, unit: "d", element: "tab1.txn_ref_dt" },
    ]);
    expect(port.contract.terms).toEqual({
      purpose: "Views built on top of the seller tables.",
      limitations: "Data based on seller perspective, no buyer information",
      usage: "Predict sales over time",
    });
    expect(port.contract.approvers).toEqual([]);
    const paths = imported.warnings.map((w) => w.path);
    expect(paths).toEqual(expect.arrayContaining(["contracts[0].schema[1]", "contracts[0].servers[0]"]));
  });

  it("does not bring back what was removed in Canopy, and keeps the rest of the source", async () => {
    const { body } = wrapContract(fixture("full-example.odcs.yaml"));
    const imported = await importBody(body);
    const spec = structuredClone(imported.spec);
    const port = spec.outputPorts[0]!;
    port.columns = port.columns.filter((c) => c.name !== "rcvr_id");
    port.columns.find((c) => c.name === "rcvr_cntry_code")!.description = "ISO 3166 country code";
    port.columns.find((c) => c.name === "rcvr_cntry_code")!.pii = true;
    port.contract.quality = port.contract.quality.filter((q) => q.metric !== "nullValues");
    port.contract.sla = port.contract.sla.map((s) => (s.property === "latency" ? { ...s, value: 2 } : s));
    port.contract.approvers = ["steward@example.com"];
    port.location = "iceberg.sales.payments";
    const built = buildDescriptors(spec, metaFor(imported), imported.sources);
    const odcs = built.contracts[0]!.odcs as Record<string, Loose>;
    expect(validateOdcs(odcs)).toEqual([]);
    const props = odcs.schema[0].properties as Record<string, Loose>[];
    expect(props.map((p) => p.name)).toEqual(["transaction_reference_date", "rcvr_cntry_code"]);
    const cc = props[1]!;
    expect(cc.description).toBe("ISO 3166 country code");
    expect(cc.customProperties).toEqual([{ property: "pii", value: true }]);
    expect(cc.quality).toEqual([]);
    expect(cc.encryptedName).toBe("rcvr_cntry_code_encrypted");
    expect(odcs.schema[0].quality).toHaveLength(1);
    expect(odcs.schema[1].name).toBe("receivers");
    expect(odcs.slaProperties[0]).toEqual({ property: "latency", value: 2, unit: "d", element: "tab1.txn_ref_dt" });
    expect(odcs.slaProperties.map((s: { property: string }) => s.property)).toEqual([
      "latency",
      "generalAvailability",
      "endOfSupport",
      "endOfLife",
      "retention",
      "frequency",
      "timeOfAvailability",
      "timeOfAvailability",
    ]);
    expect(odcs.roles.at(-1)).toEqual({ role: "access-approvers", access: "read", firstLevelApprovers: "steward@example.com" });
    expect(odcs.roles).toHaveLength(5);
    // The table moved: the postgres server became Canopy's Trino server, under the same name.
    expect(odcs.servers).toEqual([{ server: "my-postgres", type: "trino", host: "trino", port: 8080, catalog: "iceberg", schema: "sales" }]);
    expect(odcs.schema[0].physicalName).toBe("payments");
    expect(odcs.price).toEqual({ priceAmount: 9.95, priceCurrency: "USD", priceUnit: "megabyte" });

    // And reading the export gives the changed product back.
    const again = await importBody(descriptorBundle(built, "yaml"));
    expect(again.spec.outputPorts[0]).toEqual(port);
  });
});

// ---------------------------------------------------------------------------------------------

const emptyContract = { quality: [], sla: [], terms: { purpose: "", limitations: "", usage: "" }, approvers: [] };

const generated: ProductSpec = productSpec.parse({
  name: "Sales orders",
  slug: "orders-by-line",
  domain: "sales",
  team: "sales-analytics",
  owners: ["a.owner@example.com", "b.owner@example.com"],
  summary: "Every order line of the web shop and the stores, one row per line.",
  description: "Orders from the web shop and the stores.\n\n## Limitations\n\nStore data arrives a day late.\n\n## Usage\n\nJoin with customers on customer_id.",
  tags: ["orders", "sales"],
  classification: "confidential",
  outputPorts: [
    {
      name: "orders",
      type: "trino_table",
      location: "iceberg.sales.orders",
      description: "Order lines",
      classification: "confidential",
      contractId: "0d5e1c6a-1111-4000-8000-000000000001",
      columns: [
        { name: "order_id", physicalType: "varchar", logicalType: "string", description: "Order number", classification: "internal", required: true, primaryKey: true },
        { name: "customer_email", physicalType: "varchar", logicalType: "string", classification: "restricted", pii: true },
        { name: "amount", physicalType: "decimal(12,2)", logicalType: "number", description: "Line amount in EUR" },
        { name: "ordered_at", physicalType: "timestamp(6) with time zone", logicalType: "timestamp", required: true },
      ],
      contract: {
        quality: [
          { metric: "rowCount", operator: "mustBeGreaterThan", threshold: 100 },
          { metric: "sql", query: "SELECT COUNT(*) FROM {object} WHERE amount < 0", operator: "mustBe", threshold: 0, description: "No negative amounts" },
          { metric: "nullValues", column: "order_id", operator: "mustBe", threshold: 0 },
          { metric: "duplicateValues", column: "order_id", operator: "mustBe", threshold: 0 },
        ],
        sla: [
          { property: "freshness", value: 1, unit: "d", element: "ordered_at" },
          { property: "availability", value: 99.5, unit: "%" },
          { property: "retention", value: 7, unit: "y" },
        ],
        terms: { purpose: "Sales reporting", limitations: "No personal data outside the EU", usage: "Aggregate before sharing" },
        approvers: ["steward@example.com"],
      },
    },
    {
      name: "exports",
      type: "s3_bucket",
      location: "s3://sales-exports/orders/",
      contractId: "0d5e1c6a-1111-4000-8000-000000000002",
      bucket: { maxSizeGiB: 50, maxObjects: 10000 },
      contract: emptyContract,
    },
    {
      name: "orders-api",
      type: "api",
      location: "https://api.example.com/orders",
      contractId: "0d5e1c6a-1111-4000-8000-000000000003",
      columns: [{ name: "id", physicalType: "bigint", logicalType: "integer" }],
      contract: emptyContract,
    },
  ],
  inputs: [
    { product: "customers", port: "customers", name: "customers" },
    { product: "shop-events", port: "events", name: "events" },
  ],
});

const generatedMeta: DescriptorMeta = {
  productId: "0d5e1c6a-0000-4000-8000-000000000000",
  version: "2.1.0",
  status: "published",
  createdAt: new Date("2024-02-03T04:05:06Z"),
  ownerNames: { "a.owner@example.com": "A. Owner" },
  inputContracts: { "customers/customers": "ctr-customers", "shop-events/events": "ctr-events" },
  portContracts: Object.fromEntries(generated.outputPorts.map((p) => [p.name, p.contractId!])),
  teamName: "Sales Analytics",
  inputVersions: { "customers/customers": "3.0.0" },
};

const generatedLookups = {
  resolveContract: (id: string) =>
    id === "ctr-customers" ? { product: "customers", port: "customers" } : id === "ctr-events" ? { product: "shop-events", port: "events" } : null,
  resolveTeam: (n: string) => (n === "Sales Analytics" || n === "sales-analytics" ? "sales-analytics" : null),
};

describe("round trip from a spec", () => {
  it("exports documents that validate against the schemas", () => {
    const built = buildDescriptors(generated, generatedMeta);
    expect(validateOdps(built.odps)).toEqual([]);
    expect(built.contracts.map((c) => c.port)).toEqual(["orders", "exports", "orders-api"]);
    for (const c of built.contracts) expect(validateOdcs(c.odcs), c.port).toEqual([]);
    expect(built.odps).toMatchObject({
      apiVersion: "v1.0.0",
      kind: "DataProduct",
      id: generatedMeta.productId,
      version: "2.1.0",
      status: "active",
      domain: "sales",
      team: { name: "Sales Analytics", members: [{ username: "a.owner@example.com", name: "A. Owner", role: "owner" }, { username: "b.owner@example.com", role: "owner" }] },
      inputPorts: [
        { name: "customers", version: "3.0.0", contractId: "ctr-customers" },
        { name: "events", version: "1.0.0", contractId: "ctr-events" },
      ],
    });
    const orders = built.contracts[0]!.odcs as Record<string, Loose>;
    expect(orders.servers).toEqual([{ server: "trino", type: "trino", host: "trino", port: 8080, catalog: "iceberg", schema: "sales" }]);
    expect(orders.schema[0].name).toBe("orders");
    expect((built.contracts[1]!.odcs as Record<string, Loose>).servers[0].customProperties).toEqual([
      { property: "canopyBucketMaxSizeGiB", value: 50 },
      { property: "canopyBucketMaxObjects", value: 10000 },
    ]);
  });

  it("uses the Trino endpoint it is given", () => {
    const built = buildDescriptors(generated, { ...generatedMeta, trino: { host: "trino.mesh.example", port: 443 } });
    expect((built.contracts[0]!.odcs as Record<string, Loose>).servers[0]).toMatchObject({ host: "trino.mesh.example", port: 443 });
  });

  for (const format of ["yaml", "json"] as const) {
    it(`reads its own ${format} export back as the same spec`, async () => {
      const built = buildDescriptors(generated, generatedMeta);
      const imported = await importBody(descriptorBundle(built, format), generatedLookups);
      expect(imported.spec).toEqual(generated);
      expect(imported.warnings).toEqual([]);
      expect(imported.requested).toEqual({ status: "published", version: "2.1.0" });
      // Exporting from what was stored gives the same documents again.
      const again = buildDescriptors(imported.spec, generatedMeta, imported.sources);
      expect(again).toEqual(built);
    });
  }

  it("takes the slug from the address first, then canopySlug, then the name", async () => {
    const text = descriptorBundle(buildDescriptors(generated, generatedMeta), "yaml");
    expect((await importBody(text, { ...generatedLookups, slug: "from-the-url" })).spec.slug).toBe("from-the-url");
    expect((await importBody(text, generatedLookups)).spec.slug).toBe("orders-by-line");
    const withoutSlug = text.replace(/\n {2}- property: canopySlug\n {4}value: orders-by-line/, "");
    expect(withoutSlug).not.toContain("canopySlug");
    expect((await importBody(withoutSlug, generatedLookups)).spec.slug).toBe("sales-orders");
  });
});
