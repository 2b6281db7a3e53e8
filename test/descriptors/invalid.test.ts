import { describe, expect, it } from "vitest";
import { UserError } from "@/lib/errors";
import { MAX_DESCRIPTOR_BYTES, parseDescriptorBody } from "@/lib/descriptors/parse";
import { fixture, importBody } from "@/test/descriptors/helpers";

/** The error an import refuses the body with. */
async function refusal(body: string | Uint8Array): Promise<UserError> {
  try {
    await importBody(body);
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("the body was accepted");
}

const product = (extra = "", ports = "outputPorts:\n  - name: orders\n    version: 1.0.0\n    contractId: c-1\n") =>
  [
    "apiVersion: v1.0.0",
    "kind: DataProduct",
    "id: 7b0e3c52-1d1c-4a59-9a1e-3e2c9f000001",
    "name: Orders",
    "status: active",
    "domain: sales",
    "description:",
    "  purpose: Every order line of the web shop.",
    extra,
    ports,
  ]
    .filter(Boolean)
    .join("\n");

const contract = (body = "") =>
  [
    "apiVersion: v3.1.0",
    "kind: DataContract",
    "id: c-1",
    "version: 1.0.0",
    "status: active",
    "servers:",
    "  - server: prod",
    "    type: trino",
    "    host: trino.example.com",
    "    port: 443",
    "    catalog: iceberg",
    "    schema: sales",
    "schema:",
    "  - name: orders",
    "    properties:",
    "      - name: order_id",
    "        logicalType: string",
    "        physicalType: varchar",
    body,
  ]
    .filter(Boolean)
    .join("\n");

const bundle = (...docs: string[]) => docs.join("\n---\n");
/** The 1-based line of the first line containing `text`. */
const lineOf = (body: string, text: string) => body.split("\n").findIndex((l) => l.includes(text)) + 1;

describe("a valid body, for contrast", () => {
  it("is accepted", async () => {
    const imported = await importBody(bundle(product(), contract()));
    expect(imported.spec.outputPorts[0]).toMatchObject({ name: "orders", location: "iceberg.sales.orders", columns: [{ name: "order_id" }] });
  });
});

describe("documents that break the standards' schemas", () => {
  it("names the path of a missing required field", async () => {
    const err = await refusal(bundle(product().replace("id: 7b0e3c52-1d1c-4a59-9a1e-3e2c9f000001\n", ""), contract()));
    expect(err.code).toBe("invalid_descriptor");
    expect(err.fieldErrors).toEqual({ id: ["required (line 1)"] });
    expect(err.message).toContain("id: required");

    const input = await refusal(bundle(product("inputPorts:\n  - name: customers\n    version: 1.0.0"), contract()));
    expect(Object.keys(input.fieldErrors!)).toEqual(["inputPorts[0].contractId"]);
    expect(input.fieldErrors!["inputPorts[0].contractId"]![0]).toMatch(/^required/);
  });

  it("names the path of a value of the wrong type", async () => {
    const err = await refusal(bundle(product("tags: customer"), contract()));
    expect(err.fieldErrors).toEqual({ tags: ['must be a list (found "customer") (line 9)'] });

    const port = await refusal(bundle(product("", "outputPorts:\n  - name: 3\n    version: 1.0.0\n")));
    expect(port.fieldErrors!["outputPorts[0].name"]![0]).toMatch(/^must be text \(found 3\)/);
  });

  it("names the allowed values of an unknown enum value, in the contract's own path", async () => {
    const body = bundle(product(), contract().replace("logicalType: string", "logicalType: strnig"));
    const err = await refusal(body);
    expect(err.fieldErrors).toEqual({
      "contracts[0].schema[0].properties[0].logicalType": [
        `must be one of string, date, timestamp, time, number, integer, object, array, boolean (found "strnig") (line ${lineOf(body, "strnig")})`,
      ],
    });
    expect(err.message).toContain("contracts[0].schema[0].properties[0].logicalType: must be one of string, date,");
  });

  it("explains a quality check without a comparison, and a check with two", async () => {
    const rules = "        quality:\n          - metric: nullValues\n          - metric: nullValues\n            mustBe: 0\n            mustBeLessThan: 2";
    const err = await refusal(bundle(product(), contract(rules)));
    expect(err.fieldErrors!["contracts[0].schema[0].properties[0].quality[0]"]![0]).toMatch(/^needs one of mustBe, mustNotBe, mustBeGreaterThan/);
    expect(err.fieldErrors!["contracts[0].schema[0].properties[0].quality[1]"]![0]).toMatch(/^may have only one of mustBe, mustBeLessThan/);
    expect(Object.keys(err.fieldErrors!)).toHaveLength(2);
  });

  it("lists unknown fields, and problems in several documents at once", async () => {
    const err = await refusal(bundle(product("owner: olivia"), contract().replace("    host: trino.example.com\n", "")));
    expect(Object.keys(err.fieldErrors!).sort()).toEqual(["contracts[0].servers[0].host", "owner"]);
    expect(err.fieldErrors!.owner![0]).toMatch(/^is not a field of this standard/);
  });

  it("refuses ODCS v2 contracts with what to do", async () => {
    const err = await refusal(bundle(product(), contract().replace("apiVersion: v3.1.0", "apiVersion: v2.2.2")));
    expect(err.fieldErrors!["contracts[0].apiVersion"]![0]).toMatch(/not supported: convert the contract to ODCS v3/);
  });

  it("accepts older ODPS and ODCS v3.0 versions with a warning", async () => {
    const imported = await importBody(bundle(product().replace("v1.0.0", "v0.9.0"), contract().replace("v3.1.0", "v3.0.2")));
    expect(imported.warnings.map((w) => w.path)).toEqual(expect.arrayContaining(["apiVersion", "contracts[0].apiVersion"]));
  });
});

describe("documents Canopy cannot take in", () => {
  it("names the document path of a value the product would not accept", async () => {
    const err = await refusal(bundle(product("", "outputPorts:\n  - name: Raw Orders\n    version: 1.0.0\n    contractId: c-1\n"), contract()));
    expect(err.fieldErrors!["outputPorts[0].name"]![0]).toMatch(/^Port names use lower-case letters/);

    const column = await refusal(bundle(product(), contract().replace("name: order_id", "name: order id")));
    expect(column.fieldErrors!["contracts[0].schema[0].properties[0].name"]![0]).toMatch(/^Column names start with a letter/);

    const summary = await refusal(bundle(product().replace("Every order line of the web shop.", "Orders"), contract()));
    expect(summary.fieldErrors!["description.purpose"]![0]).toMatch(/^Write a one-line summary/);
  });

  it("asks for the size of a bucket port", async () => {
    const s3 = contract().replace(/servers:[\s\S]*?schema: sales\n/, "servers:\n  - server: files\n    type: s3\n    location: s3://sales-files/orders/\n");
    const err = await refusal(bundle(product(), s3));
    expect(err.fieldErrors!["contracts[0].servers[0].customProperties"]![0]).toMatch(/canopyBucketMaxSizeGiB/);
  });

  it("refuses a body without a DataProduct, a second DataProduct, a wrong or missing kind", async () => {
    expect((await refusal(contract())).code).toBe("missing_product");
    const two = await refusal(bundle(product(), product()));
    expect(two.fieldErrors!["documents[1].kind"]![0]).toMatch(/a second DataProduct/);
    const wrong = await refusal(bundle(product(), contract().replace("kind: DataContract", "kind: DataContrat")));
    expect(wrong.fieldErrors!["documents[1].kind"]![0]).toMatch(/"DataContrat" is not a kind Canopy reads; use DataProduct \(ODPS\) or DataContract \(ODCS\)/);
    const missing = await refusal(product().replace("kind: DataProduct\n", ""));
    expect(missing.fieldErrors!.kind![0]).toMatch(/^required: DataProduct \(ODPS\) or DataContract \(ODCS\)/);
  });

  it("refuses a JSON bundle of the wrong shape", async () => {
    const err = await refusal(JSON.stringify({ product: { kind: "DataProduct" }, contracts: { kind: "DataContract" }, extra: 1 }));
    expect(Object.keys(err.fieldErrors!).sort()).toEqual(["contracts", "extra"]);
  });
});

describe("hostile or broken bodies", () => {
  it("refuses a 5 MB document before parsing it", async () => {
    const big = `${product()}\n${"# padding\n".repeat(520_000)}`;
    expect(big.length).toBeGreaterThan(5_000_000);
    const started = performance.now();
    const err = await refusal(big);
    expect(performance.now() - started).toBeLessThan(500);
    expect(err).toMatchObject({ status: 413, code: "too_large" });
    expect(err.message).toMatch(/is 5\.\d MB; the limit is 1 MB/);
    await expect(importBody(new Uint8Array(5 * 1024 * 1024))).rejects.toMatchObject({ status: 413, code: "too_large" });
    await expect(importBody(new Uint8Array(MAX_DESCRIPTOR_BYTES + 1))).rejects.toMatchObject({ code: "too_large" });
  });

  it("refuses a YAML bomb", async () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
      "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
      "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
    ].join("\n");
    const err = await refusal(bomb);
    expect(err.code).toBe("too_many_aliases");
    expect(err.message).toMatch(/anchors and aliases/);
  });

  it("refuses anchor abuse: more aliases than a descriptor needs", async () => {
    const many = `${product("customProperties:\n  - property: x\n    value: &v hello")}\ntags: [${Array.from({ length: 101 }, () => "*v").join(", ")}]`;
    expect((await refusal(many)).code).toBe("too_many_aliases");
    // A few anchors, as people use them for shared values, are fine.
    const few = product("tags: &t [orders]\ncustomProperties:\n  - property: labels\n    value: *t");
    await expect(importBody(bundle(few, contract()))).resolves.toBeDefined();
  });

  it("refuses deep nesting, in block and flow style, and stays usable afterwards", async () => {
    const block = `${product()}\ncustomProperties:\n  - property: deep\n    value:\n${Array.from({ length: 70 }, (_, i) => `${" ".repeat(6 + i * 2)}k:`).join("\n")} 1`;
    const err = await refusal(block);
    expect(err.code).toBe("too_deep");
    expect(err.message).toMatch(/more than 64 levels/);
    expect((await refusal(`${"[".repeat(100)}${"]".repeat(100)}`)).code).toBe("too_deep");
    const started = performance.now();
    expect((await refusal(`${"- ".repeat(400_000)}x`)).code).toBe("too_deep");
    expect((await refusal(`${'{"a":'.repeat(150_000)}1${"}".repeat(150_000)}`)).code).toBe("too_deep");
    expect(performance.now() - started).toBeLessThan(3000);
    await expect(importBody(bundle(product(), contract()))).resolves.toBeDefined();
  });

  it("refuses bytes that are not UTF-8, saying where", async () => {
    const bytes = new TextEncoder().encode(product());
    const broken = new Uint8Array([...bytes.slice(0, 40), 0xc3, 0x28, ...bytes.slice(40)]);
    const err = await refusal(broken);
    expect(err).toMatchObject({ status: 400, code: "invalid_encoding" });
    expect(err.message).toContain("invalid byte 0xc3 at offset 40");
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(bytes.slice(0, 20)).flatMap((b) => [b, 0])]);
    expect((await refusal(utf16)).code).toBe("invalid_encoding");
  });

  it("refuses duplicate keys, naming the key", async () => {
    const body = bundle(product(), contract().replace("        physicalType: varchar", "        physicalType: varchar\n        logicalType: integer"));
    const err = await refusal(body);
    expect(err.fieldErrors).toEqual({
      "documents[1].schema[0].properties[0].logicalType": [`this key appears more than once; each key may appear once (line ${lineOf(body, "integer")}, column 9)`],
    });
    const json = await refusal('{"kind": "DataProduct", "name": "a", "name": "b"}');
    expect(Object.keys(json.fieldErrors!)).toEqual(["name"]);
  });

  it("refuses YAML tags that would build objects, and keys that reach the prototype", async () => {
    const tagged = await refusal(product("tenant: !!python/object:os.system 'rm -rf /'"));
    expect(tagged.fieldErrors!.tenant![0]).toMatch(/^unknown YAML tag/);
    const proto = await refusal(product("customProperties:\n  - property: x\n    value:\n      __proto__:\n        polluted: true"));
    expect(proto.message).toContain('the key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses an empty body, too many documents, and syntax errors with their line", async () => {
    expect((await refusal("   \n")).code).toBe("empty_descriptor");
    expect((await refusal(Array.from({ length: 61 }, () => contract()).join("\n---\n"))).code).toBe("too_many_documents");
    const syntax = await refusal("kind: DataProduct\nname: [unclosed\n");
    expect(syntax.code).toBe("invalid_descriptor");
    expect(Object.values(syntax.fieldErrors!).flat().join(" ")).toMatch(/line \d+, column \d+/);
  });

  it("parses the examples without complaint", () => {
    expect(parseDescriptorBody(fixture("customer-data-product.odps.yaml")).product?.doc.name).toBe("Customer Data Product");
  });
});
