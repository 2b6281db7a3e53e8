import { beforeAll, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { ZodType } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { getContractOperation, getDescriptorOperation, previewDescriptorOperation, putDescriptorOperation } from "@/lib/descriptors/operations";
import { parseDescriptorBody } from "@/lib/descriptors/parse";
import { validateOdcs, validateOdps } from "@/lib/descriptors/validate";
import { seedDemoMesh } from "@/lib/demo/seed";
import { runOperation, type Operation } from "@/lib/http/operation";
import { describeEachDatabase } from "@/test/support/db";
import type { Loose } from "@/test/descriptors/helpers";
import { personaPrincipal } from "@/test/support/seeded";

type Answer = { status: number; type: string | null; text: string; json: () => Loose };

const encode = (text: string) => new TextEncoder().encode(text);

/** Everything an import could change, as row counts and content hashes. */
async function snapshot(db: Db) {
  const tables = ["data_products", "product_owners", "output_ports", "schema_fields", "product_dependencies", "product_versions", "audit_events", "jobs"];
  const out: Record<string, unknown> = {};
  for (const t of tables) {
    const rows = await db.$queryRawUnsafe<{ n: number; h: string }[]>(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM "${t}" x`,
    );
    out[t] = rows[0];
  }
  return out;
}

describeEachDatabase("descriptor REST API", (testDb) => {
  let olivia: Principal;
  let carlos: Principal;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db);
    olivia = await personaPrincipal(db, "owner");
    carlos = await personaPrincipal(db, "consumer");
  });

  async function call<S extends ZodType>(op: Operation<S, Response>, input: Record<string, unknown>, user: Principal | null): Promise<Answer> {
    const result = await runOperation(op, input, { user, db: async () => testDb().prisma, requestId: "req-descriptor-test" });
    if (!result.ok) {
      const text = JSON.stringify(result);
      return { status: result.status, type: "application/json", text, json: () => JSON.parse(text) };
    }
    const res = result.data;
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type"), text, json: () => JSON.parse(text) };
  }

  const exportBundle = async (slug: string, user: Principal) => {
    const a = await call(getDescriptorOperation, { slug, bundle: "1", format: "json" }, user);
    expect(a.status).toBe(200);
    return a.json() as { product: Record<string, Loose>; contracts: Record<string, Loose>[] };
  };
  const put = (slug: string, body: unknown, user: Principal, query: Record<string, string> = {}) =>
    call(putDescriptorOperation, { slug, body: encode(typeof body === "string" ? body : JSON.stringify(body)), ...query }, user);

  it("lets Olivia export her product as ODPS YAML, JSON and a bundle with valid ODCS contracts", async () => {
    const yaml = await call(getDescriptorOperation, { slug: "sales-orders", accept: "*/*" }, olivia);
    expect(yaml.status).toBe(200);
    expect(yaml.type).toBe("application/odps+yaml; charset=utf-8");
    const odps = parseYaml(yaml.text) as Record<string, unknown>;
    expect(validateOdps(odps)).toEqual([]);
    expect(odps).toMatchObject({ apiVersion: "v1.0.0", kind: "DataProduct", name: "Sales Orders", version: "3.2.0", status: "active", domain: "sales" });

    const json = await call(getDescriptorOperation, { slug: "sales-orders", accept: "application/json, text/yaml;q=0.5" }, olivia);
    expect(json.type).toBe("application/json; charset=utf-8");
    expect(json.json()).toEqual(odps);
    expect((await call(getDescriptorOperation, { slug: "sales-orders", accept: "text/yaml" }, olivia)).type).toBe("text/yaml; charset=utf-8");
    expect((await call(getDescriptorOperation, { slug: "sales-orders", accept: "text/html" }, olivia)).status).toBe(406);

    const bundle = await call(getDescriptorOperation, { slug: "sales-orders", bundle: "1" }, olivia);
    const parsed = parseDescriptorBody(bundle.text);
    expect(parsed.product?.doc).toEqual(odps);
    const ports = await testDb().prisma.outputPort.findMany({ where: { product: { slug: "sales-orders" } }, select: { name: true, contractId: true } });
    expect(parsed.contracts).toHaveLength(ports.length);
    for (const c of parsed.contracts) expect(validateOdcs(c.doc), String(c.doc.name)).toEqual([]);

    const contract = await call(getContractOperation, { slug: "sales-orders", port: "orders", accept: "application/odcs+yaml" }, olivia);
    expect(contract.status).toBe(200);
    expect(contract.type).toBe("application/odcs+yaml; charset=utf-8");
    const odcs = parseYaml(contract.text) as Record<string, Loose>;
    expect(validateOdcs(odcs)).toEqual([]);
    expect(odcs.id).toBe(ports.find((p) => p.name === "orders")!.contractId);
    expect(odcs.schema[0].properties.map((p: { name: string }) => p.name)).toContain("order_id");
    expect((await call(getContractOperation, { slug: "sales-orders", port: "no-such-port" }, olivia)).status).toBe(404);
  });

  it("answers 404 to Carlos for a draft he cannot see, as for a product that does not exist", async () => {
    const draft = await call(getDescriptorOperation, { slug: "sales-forecast-v2" }, carlos);
    expect(draft.status).toBe(404);
    const none = await call(getDescriptorOperation, { slug: "no-such-product" }, carlos);
    expect(none.status).toBe(404);
    expect(draft.json().error).toMatch(/No data product/);
    expect((await call(getContractOperation, { slug: "sales-forecast-v2", port: "forecast" }, carlos)).status).toBe(404);
    expect((await call(getDescriptorOperation, { slug: "sales-forecast-v2" }, olivia)).status).toBe(200);
    // Published products are readable by everyone signed in, and by no one else.
    expect((await call(getDescriptorOperation, { slug: "sales-orders" }, carlos)).status).toBe(200);
    expect((await call(getDescriptorOperation, { slug: "sales-orders" }, null)).status).toBe(401);
  });

  it("changes nothing when Olivia imports her own export again", async () => {
    const db = testDb().prisma;
    const bundle = await exportBundle("sales-orders", olivia);
    const before = await snapshot(db);
    const again = await put("sales-orders", bundle, olivia);
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ outcome: "unchanged", slug: "sales-orders", version: "3.2.0" });
    expect(await snapshot(db)).toEqual(before);
  });

  it("refuses invalid documents without changing anything", async () => {
    const db = testDb().prisma;
    const bundle = await exportBundle("sales-orders", olivia);
    const before = await snapshot(db);
    const wrongType = structuredClone(bundle);
    wrongType.contracts[0]!.schema[0].properties[0].logicalType = "strnig";
    const bad = await put("sales-orders", wrongType, olivia);
    expect(bad.status).toBe(400);
    expect(bad.json().fieldErrors["contracts[0].schema[0].properties[0].logicalType"][0]).toMatch(/^must be one of string, date/);

    const missing = structuredClone(bundle);
    delete missing.product.id;
    expect((await put("sales-orders", missing, olivia)).json().fieldErrors).toEqual({ "product.id": ["required (line 1)"] });

    const bomb = `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]`;
    expect((await put("sales-orders", bomb, olivia)).json().code).toBe("too_many_aliases");
    const huge = await call(putDescriptorOperation, { slug: "sales-orders", body: new Uint8Array(5 * 1024 * 1024).fill(0x61) }, olivia);
    expect(huge.status).toBe(413);
    const latin1 = await call(putDescriptorOperation, { slug: "sales-orders", body: new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9]) }, olivia);
    expect(latin1.json().code).toBe("invalid_encoding");
    expect((await put("sales-orders", "kind: Pipeline\n", olivia)).json().fieldErrors).toEqual({
      kind: ['"Pipeline" is not a kind Canopy reads; use DataProduct (ODPS) or DataContract (ODCS)'],
    });
    const unknownOwner = structuredClone(bundle);
    unknownOwner.product.domain = "no-such-domain";
    const domain = await put("sales-orders", unknownOwner, olivia);
    expect(domain.status).toBe(400);
    expect(Object.keys(domain.json().fieldErrors)).toContain("product.domain");
    expect(await snapshot(db)).toEqual(before);
  });

  it("previews a change with dryRun without changing anything", async () => {
    const db = testDb().prisma;
    const bundle = await exportBundle("sales-orders", olivia);
    bundle.contracts[0]!.schema[0].properties.push({ name: "loyalty_tier", logicalType: "string", physicalType: "varchar", description: "Loyalty tier at order time." });
    const before = await snapshot(db);
    const preview = await put("sales-orders", bundle, olivia, { dryRun: "true" });
    expect(preview.status).toBe(200);
    const body = preview.json();
    expect(body).toMatchObject({ dryRun: true, slug: "sales-orders", exists: true, unchanged: false, version: "3.3.0" });
    expect(body.plan.level).toBe("minor");
    expect(body.plan.changes.map((c: { message: string }) => c.message).join(" ")).toMatch(/loyalty_tier/);
    expect(await snapshot(db)).toEqual(before);
    // The same through the preview endpoint, which takes the product from the document.
    const viaPreview = await call(previewDescriptorOperation, { body: encode(JSON.stringify(bundle)) }, olivia);
    expect(viaPreview.json()).toMatchObject({ dryRun: true, slug: "sales-orders", version: "3.3.0" });
    expect(await snapshot(db)).toEqual(before);
  });

  it("applies a change as a new version and keeps what Canopy does not model", async () => {
    const db = testDb().prisma;
    const bundle = await exportBundle("sales-orders", olivia);
    bundle.product.tenant = "ACME Retail";
    bundle.contracts[0]!.schema[0].properties.push({ name: "loyalty_tier", logicalType: "string", physicalType: "varchar", businessName: "Loyalty tier" });
    const saved = await put("sales-orders", bundle, olivia, { changelog: "Add loyalty tier" });
    expect(saved.status).toBe(200);
    expect(saved.json()).toMatchObject({
      slug: "sales-orders",
      version: "3.3.0",
      changeLevel: "minor",
      created: false,
      // The document still says the version it was exported at.
      warnings: [{ path: "version", message: "version 3.2.0 is not above the current 3.2.0; the change is published as 3.3.0" }],
    });
    const version = await db.productVersion.findFirst({ where: { product: { slug: "sales-orders" }, version: "3.3.0" }, select: { changelog: true } });
    expect(version?.changelog).toBe("Add loyalty tier");

    const after = await exportBundle("sales-orders", olivia);
    expect(after.product).toMatchObject({ tenant: "ACME Retail", version: "3.3.0" });
    const added = after.contracts[0]!.schema[0].properties.find((p: { name: string }) => p.name === "loyalty_tier");
    expect(added).toMatchObject({ businessName: "Loyalty tier", logicalType: "string" });
    // Key order survives storage: the product document still starts as Canopy wrote it.
    expect(Object.keys(after.product).slice(0, 3)).toEqual(["apiVersion", "kind", "id"]);
  });

  it("refuses a breaking change until it is acknowledged, naming who is affected", async () => {
    const db = testDb().prisma;
    const bundle = await exportBundle("sales-orders", olivia);
    bundle.contracts[0]!.schema[0].properties = bundle.contracts[0]!.schema[0].properties.filter((p: { name: string }) => p.name !== "channel");
    const before = await snapshot(db);
    const refused = await put("sales-orders", bundle, olivia);
    expect(refused.status).toBe(409);
    const body = refused.json();
    expect(body).toMatchObject({ code: "breaking_change", requiredVersion: "4.0.0" });
    expect(body.changes.some((c: { level: string; message: string }) => c.level === "major" && /channel/.test(c.message))).toBe(true);
    expect(body.affected.downstream.map((d: { product: { slug: string } | null }) => d.product?.slug)).toContain("daily-sales-kpis");
    expect(await snapshot(db)).toEqual(before);

    const accepted = await put("sales-orders", bundle, olivia, { acknowledgeBreaking: "true", changelog: "Drop channel" });
    expect(accepted.status).toBe(200);
    expect(accepted.json()).toMatchObject({ version: "4.0.0", changeLevel: "major" });
  });

  it("refuses Carlos's imports into products that are not his", async () => {
    const db = testDb().prisma;
    const bundle = await exportBundle("sales-orders", olivia);
    bundle.product.name = "Orders, renamed by someone else";
    const before = await snapshot(db);
    const forbidden = await put("sales-orders", bundle, carlos);
    expect(forbidden.status).toBe(403);
    const hidden = await put("sales-forecast-v2", bundle, carlos);
    expect(hidden.status).toBe(404);
    // A product of his own in a domain he does not belong to is refused too.
    const own = structuredClone(bundle);
    own.product.customProperties = [{ property: "canopySlug", value: "carlos-orders" }];
    for (const c of own.contracts) c.id = `${c.id}-copy`;
    own.product.outputPorts = own.product.outputPorts.map((p: Record<string, unknown>) => ({ ...p, contractId: `${String(p.contractId)}-copy` }));
    const create = await put("carlos-orders", own, carlos);
    expect(create.status).toBe(403);
    expect(await snapshot(db)).toEqual(before);
  });

  it("creates a new product from a descriptor (201), as a draft unless it asks to be active", async () => {
    const db = testDb().prisma;
    const body = [
      "apiVersion: v1.0.0",
      "kind: DataProduct",
      "id: 2c9a4d0e-6a53-4f5e-9c7e-7f3b8a000001",
      "name: Web sessions",
      "status: draft",
      "domain: sales",
      "description:",
      "  purpose: One row per web shop session, with its landing page and outcome.",
      "tags: [web, sessions]",
      "outputPorts:",
      "  - name: sessions",
      "    version: 1.0.0",
      "    contractId: 2c9a4d0e-6a53-4f5e-9c7e-7f3b8a000002",
      "---",
      "apiVersion: v3.1.0",
      "kind: DataContract",
      "id: 2c9a4d0e-6a53-4f5e-9c7e-7f3b8a000002",
      "version: 1.0.0",
      "status: draft",
      "servers:",
      "  - server: trino",
      "    type: trino",
      "    host: trino",
      "    port: 8080",
      "    catalog: iceberg",
      "    schema: sales",
      "schema:",
      "  - name: web_sessions",
      "    properties:",
      "      - name: session_id",
      "        logicalType: string",
      "        physicalType: varchar",
      "        primaryKey: true",
      "        required: true",
    ].join("\n");
    const created = await put("web-sessions", body, olivia);
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ slug: "web-sessions", version: "1.0.0", status: "draft", created: true });
    const port = await db.outputPort.findFirst({ where: { product: { slug: "web-sessions" } }, select: { location: true, contractId: true } });
    expect(port).toEqual({ location: "iceberg.sales.web_sessions", contractId: "2c9a4d0e-6a53-4f5e-9c7e-7f3b8a000002" });
    const exported = parseYaml((await call(getDescriptorOperation, { slug: "web-sessions" }, olivia)).text) as Record<string, Loose>;
    expect(exported).toMatchObject({ id: "2c9a4d0e-6a53-4f5e-9c7e-7f3b8a000001", name: "Web sessions", status: "draft", tags: ["web", "sessions"] });
    expect(exported.team.members.map((m: { username: string }) => m.username)).toContain("olivia.owner@canopy.demo");
    expect((await call(getDescriptorOperation, { slug: "web-sessions" }, carlos)).status).toBe(404);
  });
});
