import { describe, expect, it } from "vitest";
import { buildDescriptors, type DescriptorMeta } from "@/lib/descriptors/build";
import { readApprovers, readPiiPurposes, writePiiPurposes, writeRoles } from "@/lib/descriptors/mapping";
import { descriptorBundle } from "@/lib/descriptors/serialize";
import { validateOdcs } from "@/lib/descriptors/validate";
import { productSpec } from "@/lib/products/spec";
import { importBody, type Loose } from "@/test/descriptors/helpers";

const spec = productSpec.parse({
  name: "Customer master",
  slug: "customer-master",
  domain: "customer",
  team: "customer-data",
  owners: ["jonas@example.com"],
  summary: "The golden customer record with contact details.",
  classification: "restricted",
  outputPorts: [
    {
      name: "customers",
      type: "trino_table",
      location: "iceberg.customer.customers",
      contractId: "0d5e1c6a-2222-4000-8000-000000000001",
      columns: [{ name: "email", physicalType: "varchar", logicalType: "string", classification: "restricted", pii: true }],
      contract: {
        approvers: ["jonas@example.com", "data-owner@example.com"],
        secondLevelApprovers: ["steward@example.com"],
        piiPurposes: ["customer-service", "fraud-prevention"],
      },
    },
  ],
});

const meta: DescriptorMeta = {
  productId: "0d5e1c6a-0000-4000-8000-000000000002",
  version: "3.0.0",
  status: "published",
  createdAt: new Date("2024-02-03T04:05:06Z"),
  ownerNames: {},
  inputContracts: {},
  portContracts: { customers: "0d5e1c6a-2222-4000-8000-000000000001" },
};

describe("approval steps and PII purposes in ODCS", () => {
  it("writes the first step as firstLevelApprovers, the second as secondLevelApprovers, and the purposes as canopyPiiPurposes", () => {
    const odcs = buildDescriptors(spec, meta).contracts[0]!.odcs as Record<string, Loose>;
    expect(validateOdcs(odcs)).toEqual([]);
    expect(odcs.roles).toEqual([
      { role: "access-approvers", access: "read", firstLevelApprovers: "jonas@example.com, data-owner@example.com", secondLevelApprovers: "steward@example.com" },
    ]);
    expect(odcs.customProperties).toEqual([{ property: "canopyPiiPurposes", value: ["customer-service", "fraud-prevention"] }]);
  });

  it("reads them back unchanged through an export and an import", async () => {
    const built = buildDescriptors(spec, meta);
    const imported = await importBody(descriptorBundle(built, "yaml"));
    expect(imported.spec.outputPorts[0]!.contract).toMatchObject({
      approvers: ["jonas@example.com", "data-owner@example.com"],
      secondLevelApprovers: ["steward@example.com"],
      piiPurposes: ["customer-service", "fraud-prevention"],
    });
    // And exporting the imported documents again gives the same contract.
    const again = buildDescriptors(imported.spec, meta, imported.sources);
    expect(again.contracts[0]!.odcs).toEqual(built.contracts[0]!.odcs);
  });

  it("keeps the two levels apart when reading roles, and keeps words that are not addresses", () => {
    const roles = [
      { role: "analyst", access: "read", firstLevelApprovers: "Reporting Manager; a@example.com", secondLevelApprovers: "b@example.com, c@example.com" },
      { role: "ops", access: "write", firstLevelApprovers: "a@example.com", secondLevelApprovers: "na" },
    ];
    expect(readApprovers(roles)).toEqual({ approvers: ["a@example.com"], secondLevelApprovers: ["b@example.com", "c@example.com"] });
    // Unchanged approvers keep the source as it was.
    expect(writeRoles({ approvers: ["a@example.com"], secondLevelApprovers: ["c@example.com", "b@example.com"] }, roles)).toBe(roles);
    // Dropping one second-step approver and adding a first-step one edits only what changed.
    expect(writeRoles({ approvers: ["a@example.com", "d@example.com"], secondLevelApprovers: ["b@example.com"] }, roles)).toEqual([
      { role: "analyst", access: "read", firstLevelApprovers: "Reporting Manager; a@example.com", secondLevelApprovers: "b@example.com" },
      { role: "ops", access: "write", firstLevelApprovers: "a@example.com", secondLevelApprovers: "na" },
      { role: "access-approvers", access: "read", firstLevelApprovers: "d@example.com" },
    ]);
  });

  it("reads purposes it knows, warns about the others, and keeps the source when nothing changed", async () => {
    const props = [{ property: "owner-note", value: "x" }, { property: "canopyPiiPurposes", value: ["reporting", "marketing"] }];
    expect(readPiiPurposes(props)).toEqual({ purposes: ["reporting"], unknown: ["marketing"], index: 1 });
    expect(writePiiPurposes(["reporting"], props)).toBe(props);
    expect(writePiiPurposes([], props)).toEqual([{ property: "owner-note", value: "x" }]);
    expect(writePiiPurposes(["analytics"], undefined)).toEqual([{ property: "canopyPiiPurposes", value: ["analytics"] }]);

    const odcs = structuredClone(buildDescriptors(spec, meta).contracts[0]!.odcs) as Record<string, Loose>;
    odcs.customProperties = [{ property: "canopyPiiPurposes", value: ["reporting", "marketing"] }];
    const imported = await importBody(descriptorBundle({ odps: buildDescriptors(spec, meta).odps, contracts: [{ port: "customers", contractId: odcs.id, odcs }] }, "yaml"));
    expect(imported.spec.outputPorts[0]!.contract.piiPurposes).toEqual(["reporting"]);
    expect(imported.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ path: "contracts[0].customProperties[0].value", message: expect.stringMatching(/"marketing" is not a purpose category/) })]));
  });
});
