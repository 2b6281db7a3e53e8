import { describe, expect, it, vi } from "vitest";
import { UserError } from "@/lib/errors";
import {
  createEmbeddedOpenMetadataClient,
  createOpenMetadataClient,
  embeddedId,
  fqn,
  quoteFqnPart,
  splitFqn,
  toOmColumnType,
} from "@/lib/integrations/openmetadata/client";

describe("FQN helpers", () => {
  it("quotes parts containing dots, and only those", () => {
    expect(fqn("svc", "db", "demo", "file.csv")).toBe('svc.db.demo."file.csv"');
    expect(fqn("Sales")).toBe("Sales");
    expect(quoteFqnPart('"file.csv"')).toBe('"file.csv"');
    expect(quoteFqnPart('"plain"')).toBe("plain");
  });

  it("refuses empty parts and stray quotes", () => {
    expect(() => fqn()).toThrow(UserError);
    expect(() => fqn("svc", "")).toThrow(UserError);
    expect(() => fqn('we"ird')).toThrow(UserError);
  });

  it("splits what it builds", () => {
    expect(splitFqn(fqn("svc", "db", "demo", "file.csv"))).toEqual(["svc", "db", "demo", "file.csv"]);
    expect(() => splitFqn('svc."open')).toThrow(UserError);
  });
});

describe("column type mapping", () => {
  it.each([
    ["bigint", { dataType: "BIGINT" }],
    ["integer", { dataType: "INT" }],
    ["varchar(255)", { dataType: "VARCHAR", dataLength: 255 }],
    ["varchar", { dataType: "VARCHAR", dataLength: 1 }],
    ["decimal(38,9)", { dataType: "DECIMAL", precision: 38, scale: 9 }],
    ["timestamp(3) with time zone", { dataType: "TIMESTAMPZ" }],
    ["timestamp(6)", { dataType: "TIMESTAMP" }],
    ["array(bigint)", { dataType: "ARRAY", arrayDataType: "BIGINT" }],
    ["row(a int, b varchar)", { dataType: "STRUCT" }],
    ["map(varchar, bigint)", { dataType: "MAP" }],
    ["hyperloglog", { dataType: "UNKNOWN" }],
  ])("%s", (sql, expected) => {
    expect(toOmColumnType(sql)).toMatchObject({ ...expected, dataTypeDisplay: sql });
  });
});

describe("embedded OpenMetadata stand-in", () => {
  it("answers locally with stable ids and no network", async () => {
    const fetchSpy = vi.fn();
    vi.stubGlobal("fetch", fetchSpy);
    try {
      const om = createEmbeddedOpenMetadataClient();
      expect(om.mode).toBe("embedded");
      const t1 = await om.upsertTable({ databaseSchema: "trino.iceberg.sales", name: "file.csv", columns: [] });
      const t2 = await createEmbeddedOpenMetadataClient().upsertTable({ databaseSchema: "trino.iceberg.sales", name: "file.csv", columns: [] });
      expect(t1).toEqual(t2);
      expect(t1).toMatchObject({ type: "table", fullyQualifiedName: 'trino.iceberg.sales."file.csv"' });
      expect(t1.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(embeddedId("table", "a.b")).not.toBe(embeddedId("view", "a.b"));

      expect(await om.upsertDomain({ name: "Sales" })).toMatchObject({ type: "domain", fullyQualifiedName: "Sales" });
      expect(await om.upsertDataProduct({ name: "Orders360", domain: "Sales" })).toMatchObject({ fullyQualifiedName: "Sales.Orders360" });
      expect(await om.getTable("trino.iceberg.sales.orders")).toBeNull();
      expect(await om.listTables("trino.iceberg.sales")).toEqual([]);
      expect(await om.getLineage("table", "x.y.z.t", { upstream: 3, downstream: 0 })).toEqual({ entity: { fqn: "x.y.z.t", type: "table" }, edges: [] });
      await expect(om.getLineage("table", "x.y.z.t", { upstream: 9, downstream: 0 })).rejects.toBeInstanceOf(UserError);
      await expect(om.addLineage(t1, t2)).resolves.toBeUndefined();
      expect(await om.health()).toEqual({ system: "openmetadata", mode: "embedded", healthy: true, latencyMs: null });
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("connected client configuration", () => {
  it("accepts a base URL with /api, with /api/v1 or bare, and refuses a missing token", async () => {
    const seen: string[] = [];
    const fake = (async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify({ version: "1.5.0" }), { status: 200, headers: { "Content-Type": "application/json" } });
    }) as unknown as typeof fetch;
    await createOpenMetadataClient({ baseUrl: "http://om:8585/api/", token: "tok-12345678", fetch: fake }).health();
    await createOpenMetadataClient({ baseUrl: "http://om:8585/api/v1", token: "tok-12345678", fetch: fake }).health();
    await createOpenMetadataClient({ baseUrl: "http://om:8585", token: "tok-12345678", fetch: fake }).health();
    expect(seen).toEqual(["http://om:8585/api/v1/system/version", "http://om:8585/api/v1/system/version", "http://om:8585/api/v1/system/version"]);
    expect(() => createOpenMetadataClient({ baseUrl: "http://om:8585/api", token: "" })).toThrow(UserError);
  });
});
