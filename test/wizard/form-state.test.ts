import { describe, expect, it } from "vitest";
import {
  emptyForm,
  emptyPort,
  emptySla,
  fieldKeyOf,
  importColumns,
  normalizeForm,
  regroupErrors,
  splitList,
  stepOfPath,
  toSpecInput,
  validateAll,
  validateStep,
  withName,
  type WizardForm,
} from "@/components/wizard/form-state";
import { productSpec } from "@/lib/products/spec";

function completeForm(): WizardForm {
  const port = emptyPort("trino_table");
  return {
    ...withName(emptyForm("sales"), "Sales Returns"),
    summary: "Every return registered in the returns portal",
    owners: "priya@canopy.demo, tom@canopy.demo",
    tags: "returns, sales",
    outputPorts: [
      {
        ...port,
        name: "returns",
        location: "lakehouse.sales_staging.returns",
        columns: importColumns([], [
          { name: "return_id", type: "bigint", nullable: false, comment: "Return id", position: 1 },
          { name: "refund_amount", type: "decimal(12,2)", nullable: true, comment: "", position: 2 },
        ]),
        contract: { ...port.contract, sla: [{ ...emptySla(), value: "24" }], approvers: "marcus@canopy.demo" },
      },
    ],
  };
}

describe("wizard form model", () => {
  it("derives the slug from the name until it is edited", () => {
    const f = withName(emptyForm(), "Sales Returns (EU) — Daily");
    expect(f.slug).toBe("sales-returns-eu-daily");
    const edited = withName({ ...f, slug: "my-slug", slugEdited: true }, "Another name");
    expect(edited.slug).toBe("my-slug");
  });

  it("turns a complete form into a spec the server's schema accepts", () => {
    const spec = productSpec.parse(toSpecInput(completeForm()));
    expect(spec).toMatchObject({
      name: "Sales Returns",
      slug: "sales-returns",
      domain: "sales",
      owners: ["priya@canopy.demo", "tom@canopy.demo"],
      tags: ["returns", "sales"],
      inputs: [],
    });
    const port = spec.outputPorts[0]!;
    expect(port.columns[0]).toMatchObject({ name: "return_id", physicalType: "bigint", logicalType: "integer", required: true, description: "Return id" });
    expect(port.columns[1]).toMatchObject({ logicalType: "number", required: false });
    expect(port.contract.sla).toEqual([{ property: "freshness", value: 24, unit: "h", element: "" }]);
    expect(port.contract.approvers).toEqual(["marcus@canopy.demo"]);
    expect(port.bucket).toBeUndefined();
    expect(validateAll(completeForm()).errors).toBeNull();
  });

  it("validates each step with the shared schemas and reports errors by form field", () => {
    const f = { ...completeForm(), summary: "", owners: "priya@canopy.demo, not-an-email" };
    const basics = validateStep("basics", f);
    expect(Object.keys(basics).sort()).toEqual(["owners", "summary"]);
    expect(basics.owners![0]).toMatch(/^Entry 2: Enter an e-mail address/);
    expect(basics.summary![0]).toMatch(/one-line summary/);

    const badPort = completeForm();
    badPort.outputPorts[0]!.name = "Returns Port";
    badPort.outputPorts[0]!.columns[0]!.name = "1bad";
    const ports = validateStep("ports", badPort);
    expect(Object.keys(ports)).toEqual(["outputPorts.0.name"]);
    // Column problems belong to the Contracts step, where columns are edited.
    expect(Object.keys(validateStep("contracts", badPort))).toEqual(["outputPorts.0.columns.0.name"]);

    expect(validateStep("ports", { ...completeForm(), outputPorts: [] })).toEqual({ outputPorts: ["Add at least one output port"] });
  });

  it("asks for numbers that are missing or not numbers", () => {
    const f = completeForm();
    f.outputPorts[0] = { ...emptyPort("s3_bucket"), name: "files", location: "s3://sales-returns/exports" };
    expect(validateStep("ports", f)).toEqual({ "outputPorts.0.bucket.maxSizeGiB": ["Enter a size in GiB"] });
    f.outputPorts[0].bucket.maxSizeGiB = "lots";
    expect(validateStep("ports", f)["outputPorts.0.bucket.maxSizeGiB"]).toEqual(["Enter a size in GiB"]);
    f.outputPorts[0].bucket.maxSizeGiB = "50";
    expect(validateStep("ports", f)).toEqual({});
    f.outputPorts[0].contract.sla = [{ ...emptySla(), value: "" }];
    expect(validateStep("contracts", f)).toEqual({ "outputPorts.0.contract.sla.0.value": ["Enter a number"] });
  });

  it("maps spec paths to fields and steps", () => {
    expect(fieldKeyOf("owners.3")).toBe("owners");
    expect(fieldKeyOf("tags.0")).toBe("tags");
    expect(fieldKeyOf("outputPorts.1.contract.approvers.2")).toBe("outputPorts.1.contract.approvers");
    expect(fieldKeyOf("outputPorts.1.columns.2.name")).toBe("outputPorts.1.columns.2.name");
    expect(stepOfPath("summary")).toBe("basics");
    expect(stepOfPath("outputPorts")).toBe("ports");
    expect(stepOfPath("outputPorts.0.location")).toBe("ports");
    expect(stepOfPath("outputPorts.0.bucket.maxSizeGiB")).toBe("ports");
    expect(stepOfPath("outputPorts.0.columns")).toBe("ports");
    expect(stepOfPath("outputPorts.0.columns.4.classification")).toBe("contracts");
    expect(stepOfPath("outputPorts.0.contract.terms.purpose")).toBe("contracts");
    expect(stepOfPath("inputs.2")).toBe("inputs");
    expect(regroupErrors({ "owners.1": ["x has not signed in"], domain: ["No domain"] })).toEqual({ owners: ["Entry 2: x has not signed in"], domain: ["No domain"] });
  });

  it("imports Trino columns, keeping what the owner already set on columns of the same name", () => {
    const first = importColumns([], [
      { name: "b", type: "varchar", nullable: true, comment: "B from Trino", position: 2 },
      { name: "a", type: "bigint", nullable: false, comment: "", position: 1 },
    ]);
    expect(first.map((c) => [c.name, c.logicalType, c.required, c.description])).toEqual([
      ["a", "integer", true, ""],
      ["b", "string", false, "B from Trino"],
    ]);
    const edited = first.map((c) => (c.name === "b" ? { ...c, description: "Owner's words", pii: true, classification: "confidential" } : c));
    const again = importColumns(edited, [
      { name: "b", type: "varchar", nullable: false, comment: "B from Trino", position: 1 },
      { name: "c", type: "date", nullable: true, comment: "", position: 2 },
    ]);
    expect(again.map((c) => c.name)).toEqual(["b", "c"]);
    expect(again[0]).toMatchObject({ key: edited[1]!.key, description: "Owner's words", pii: true, classification: "confidential", required: true });
    expect(again[1]).toMatchObject({ logicalType: "date", classification: "internal" });
  });

  it("reads any draft data without failing, keeping what it recognises", () => {
    for (const junk of [null, 42, "text", [], { outputPorts: "x" }, { outputPorts: [null, 3, { columns: [null] }] }]) {
      const f = normalizeForm(junk);
      expect(f.v).toBe(1);
      expect(Array.isArray(f.outputPorts)).toBe(true);
    }
    const f = normalizeForm({ name: "Kept", classification: "secret", outputPorts: [{ type: "ftp", name: "p", columns: [{ name: "c", logicalType: "uuid", pii: "yes" }] }] });
    expect(f.name).toBe("Kept");
    expect(f.classification).toBe("internal");
    expect(f.outputPorts[0]).toMatchObject({ name: "p", type: "" });
    expect(f.outputPorts[0]!.columns[0]).toMatchObject({ name: "c", logicalType: "string", pii: false });
    // A saved form reads back as itself.
    const complete = completeForm();
    expect(normalizeForm(JSON.parse(JSON.stringify(complete)))).toEqual(complete);
  });

  it("splits typed lists on commas, semicolons, spaces and new lines", () => {
    expect(splitList(" a@x.io,b@x.io;\n c@x.io  ")).toEqual(["a@x.io", "b@x.io", "c@x.io"]);
    expect(splitList("")).toEqual([]);
  });
});
