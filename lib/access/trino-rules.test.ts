import { beforeAll, describe, expect, it } from "vitest";
import { buildTrinoRules, evaluateTableAccess, exactly, maskExpression, productServiceUser, type TrinoRules } from "@/lib/access/trino-rules";
import { seedDemoMesh } from "@/lib/demo/seed";
import { describeEachDatabase } from "@/test/support/db";

const NOW = new Date("2026-12-01T10:00:00Z");
const CARLOS = "carlos.consumer@canopy.demo";

describeEachDatabase("Trino access rules", (testDb) => {
  let rules: TrinoRules;
  let ordersTable: { catalog: string; schema: string; table: string };

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    rules = await buildTrinoRules(db, { now: NOW });
    const port = await db.outputPort.findFirstOrThrow({ where: { product: { slug: "sales-orders" }, name: "orders" } });
    const [catalog, schema, table] = port.location.split(".") as [string, string, string];
    ordersTable = { catalog, schema, table };
  });

  it("is a document Trino can load: catalogs, schemas and tables sections, JSON only", () => {
    expect(Object.keys(rules).sort()).toEqual(["catalogs", "schemas", "tables"]);
    expect(JSON.parse(JSON.stringify(rules))).toEqual(rules);
    for (const r of rules.tables) {
      for (const key of ["catalog", "schema", "table"] as const) expect(() => new RegExp(r[key])).not.toThrow();
    }
  });

  it("lets each active grant's user read the table, with PII and restricted columns masked", async () => {
    const db = testDb().prisma;
    const grants = await db.accessRequest.findMany({
      where: { status: "active", principalType: "user", port: { type: "trino_table" } },
      select: {
        requester: { select: { email: true } },
        port: { select: { location: true, fields: { select: { name: true, pii: true, classification: true } } } },
      },
    });
    expect(grants.length).toBeGreaterThan(0);
    for (const g of grants) {
      const [catalog, schema, table] = g.port.location.split(".") as [string, string, string];
      const decision = evaluateTableAccess(rules, { user: g.requester.email }, { catalog, schema, table });
      expect(decision.allowed, `${g.requester.email} on ${g.port.location}`).toBe(true);
      const expectedMasked = g.port.fields.filter((f) => f.pii || f.classification === "restricted").map((f) => f.name).sort();
      expect([...decision.masked].sort()).toEqual(expectedMasked);
    }
  });

  it("denies everyone else the tables Canopy manages, and knows nothing of other tables", async () => {
    const db = testDb().prisma;
    const activeOnOrders = await db.accessRequest.count({
      where: { status: "active", port: { location: `${ordersTable.catalog}.${ordersTable.schema}.${ordersTable.table}` }, requester: { email: "mallory@example.test" } },
    });
    expect(activeOnOrders).toBe(0);
    expect(evaluateTableAccess(rules, { user: "mallory@example.test" }, ordersTable)).toMatchObject({ allowed: false });
    expect(evaluateTableAccess(rules, { user: "mallory@example.test" }, { catalog: "hive", schema: "x", table: "y" })).toEqual({ allowed: false, masked: [] });
  });

  it("gives owners (directly and through their team) the whole table, unmasked", () => {
    const decision = evaluateTableAccess(rules, { user: "olivia.owner@canopy.demo" }, ordersTable);
    expect(decision).toMatchObject({ allowed: true, masked: [] });
  });

  it("leaves out grants that expired, were revoked, or are still pending", async () => {
    const db = testDb().prisma;
    const inactive = await db.accessRequest.findMany({
      where: { status: { in: ["expired", "revoked", "pending", "rejected", "cancelled"] }, principalType: "user", port: { type: "trino_table" } },
      select: { id: true },
    });
    expect(inactive.length).toBeGreaterThan(0);
    const text = JSON.stringify(rules);
    for (const r of inactive) expect(text).not.toContain(r.id);
  });

  it("drops a grant the moment it passes its expiry, without anyone touching it", async () => {
    const db = testDb().prisma;
    const grant = await db.accessRequest.findFirstOrThrow({
      where: { status: "active", principalType: "user", port: { type: "trino_table" } },
      select: { id: true, expiresAt: true },
    });
    expect(grant.expiresAt).not.toBeNull();
    const before = await buildTrinoRules(db, { now: new Date(grant.expiresAt!.getTime() - 1) });
    const after = await buildTrinoRules(db, { now: new Date(grant.expiresAt!.getTime() + 1) });
    expect(JSON.stringify(before)).toContain(grant.id);
    expect(JSON.stringify(after)).not.toContain(grant.id);
  });

  it("maps a group grant to a group rule and a product grant to the product's service user", async () => {
    const db = testDb().prisma;
    const productGrant = await db.accessRequest.findFirst({
      where: { status: "active", principalType: "product", port: { type: "trino_table" } },
      select: { principalRef: true, port: { select: { location: true } } },
    });
    if (productGrant) {
      const [catalog, schema, table] = productGrant.port.location.split(".") as [string, string, string];
      expect(evaluateTableAccess(rules, { user: productServiceUser(productGrant.principalRef) }, { catalog, schema, table }).allowed).toBe(true);
    }
    const port = await db.outputPort.findFirstOrThrow({
      where: { type: "trino_table", product: { status: "published" }, accessRequests: { none: { principalType: "group" } } },
      select: { id: true, location: true },
    });
    const requester = await db.user.findFirstOrThrow({ where: { email: CARLOS } });
    await db.accessRequest.create({
      data: { portId: port.id, requesterId: requester.id, principalType: "group", principalRef: "risk-analysts", purpose: "risk models", durationDays: 30, status: "active", expiresAt: new Date(NOW.getTime() + 86_400_000) },
    });
    const withGroup = await buildTrinoRules(db, { now: NOW });
    const [catalog, schema, table] = port.location.split(".") as [string, string, string];
    expect(evaluateTableAccess(withGroup, { user: "someone@example.test", groups: ["risk-analysts"] }, { catalog, schema, table }).allowed).toBe(true);
    expect(evaluateTableAccess(withGroup, { user: "someone@example.test", groups: ["other"] }, { catalog, schema, table }).allowed).toBe(false);
  });

  it("built for one table, gives exactly that table's rules from the full document", async () => {
    const location = `${ordersTable.catalog}.${ordersTable.schema}.${ordersTable.table}`;
    const one = await buildTrinoRules(testDb().prisma, { now: NOW, location });
    const full = (await buildTrinoRules(testDb().prisma, { now: NOW })).tables.filter((r) => r.catalog === ordersTable.catalog && r.schema === ordersTable.schema && r.table === ordersTable.table);
    expect(one.tables.length).toBeGreaterThan(0);
    expect(one.tables).toEqual(full);
  });

  it("maps users by local part when configured", async () => {
    const local = await buildTrinoRules(testDb().prisma, { now: NOW, userMapping: "localpart" });
    expect(evaluateTableAccess(local, { user: "olivia.owner" }, ordersTable).allowed).toBe(true);
    expect(evaluateTableAccess(local, { user: "olivia.owner@canopy.demo" }, ordersTable).allowed).toBe(false);
  });
});

describe("rule helpers", () => {
  it("escapes names so a dot matches only a dot", () => {
    expect(new RegExp(`^${exactly("a.b@c.d")}$`).test("a.b@c.d")).toBe(true);
    expect(new RegExp(`^${exactly("a.b@c.d")}$`).test("aXb@cYd")).toBe(false);
  });
  it("masks keep the column's type", () => {
    expect(maskExpression("varchar")).toBe("'***'");
    expect(maskExpression("varchar(255)")).toBe("'***'");
    expect(maskExpression("date")).toBe("CAST(NULL AS date)");
    expect(maskExpression("decimal(12,2)")).toBe("CAST(NULL AS decimal(12,2))");
  });
});
