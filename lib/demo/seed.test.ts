import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPglite } from "../db/client";
import { PrismaClient } from "../db/generated/client";
import { DEMO_PERSONAS, findPersona } from "./personas";
import { buildDemoMeshPlan, DEMO_MESH, DemoMeshError, seedDemoMesh } from "./seed";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const NOW = new Date("2026-12-01T10:00:00.000Z");

async function freshDatabase() {
  // The same extensions as the portal's own database (the migrations need them).
  const pglite = await openPglite();
  const dir = path.join(ROOT, "prisma/migrations");
  const migrations = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const name of migrations) {
    await pglite.exec(readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
  }
  const db = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return { pglite, db };
}

async function counts(db: PrismaClient) {
  return {
    users: await db.user.count(),
    domains: await db.domain.count(),
    domainMembers: await db.domainMember.count(),
    teams: await db.team.count(),
    teamMembers: await db.teamMember.count(),
    products: await db.dataProduct.count(),
    owners: await db.productOwner.count(),
    ports: await db.outputPort.count(),
    fields: await db.schemaField.count(),
    dependencies: await db.productDependency.count(),
    accessRequests: await db.accessRequest.count(),
    auditEvents: await db.auditEvent.count(),
  };
}

describe("demo mesh content", () => {
  it("validates without a database", () => {
    expect(() => buildDemoMeshPlan(NOW)).not.toThrow();
  });

  it("fails loudly on typos in the static content", () => {
    const [first, second] = DEMO_MESH.products;
    const broken = (patch: Partial<typeof DEMO_MESH>) => () => buildDemoMeshPlan(NOW, { ...DEMO_MESH, ...patch });

    expect(broken({ products: [...DEMO_MESH.products, first!] })).toThrow(/duplicate product slug "sales-orders"/);
    expect(broken({ products: [{ ...second!, owners: ["nobody@canopy.demo"] }] })).toThrow(
      /unknown user e-mail "nobody@canopy.demo"/,
    );
    expect(
      broken({ dependencies: [{ product: "daily-sales-kpis", inputName: "x", upstreamProduct: "sales-orders", upstreamPort: "nope" }] }),
    ).toThrow(/unknown port "nope" of product "sales-orders"/);
    expect(
      broken({ dependencies: [{ product: "daily-sales-kpis", inputName: "x", upstreamProduct: "sales-ordres", upstreamPort: "orders" }] }),
    ).toThrow(DemoMeshError);
    expect(
      broken({
        dependencies: [
          { product: "shipments", inputName: "orders", upstreamProduct: "sales-orders", upstreamPort: "orders" },
          { product: "sales-orders", inputName: "shipments", upstreamProduct: "shipments", upstreamPort: "shipments" },
        ],
      }),
    ).toThrow(/dependency cycle/);
  });

  it("finds personas by key only", () => {
    expect(findPersona("owner")?.email).toBe("olivia.owner@canopy.demo");
    expect(findPersona("nobody")).toBeUndefined();
    expect(DEMO_PERSONAS.map((p) => p.key).sort()).toEqual(["admin", "consumer", "owner", "steward"]);
  });
});

describe("seedDemoMesh", () => {
  let pglite: PGlite;
  let db: PrismaClient;
  let first: { seeded: boolean; products: number };

  beforeAll(async () => {
    ({ pglite, db } = await freshDatabase());
    first = await seedDemoMesh(db, { now: NOW });
  }, 120_000);

  afterAll(async () => {
    await db?.$disconnect();
    await pglite?.close();
  });

  it("seeds an empty catalogue", async () => {
    expect(first.seeded).toBe(true);
    expect(first.products).toBe(await db.dataProduct.count());
  });

  it("dates nothing after the seeding moment except grants that have yet to expire", async () => {
    const products = await db.dataProduct.findMany({ select: { slug: true, createdAt: true, updatedAt: true, publishedAt: true } });
    for (const p of products) {
      for (const d of [p.createdAt, p.updatedAt, p.publishedAt]) {
        if (d) expect(d.getTime(), p.slug).toBeLessThanOrEqual(NOW.getTime());
      }
      if (p.publishedAt) expect(p.publishedAt.getTime(), p.slug).toBeGreaterThanOrEqual(p.createdAt.getTime());
    }
    const requests = await db.accessRequest.findMany({ select: { createdAt: true, updatedAt: true, decidedAt: true } });
    for (const r of requests) {
      for (const d of [r.createdAt, r.updatedAt, r.decidedAt]) if (d) expect(d.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it("creates domains and products in every lifecycle state", async () => {
    expect(await db.domain.count()).toBeGreaterThanOrEqual(4);
    expect(await db.dataProduct.count()).toBeGreaterThanOrEqual(24);
    const statuses = await db.dataProduct.groupBy({ by: ["status"], _count: { _all: true } });
    expect(statuses.map((s) => s.status).sort()).toEqual(["deprecated", "draft", "published", "retired"]);

    const products = await db.dataProduct.findMany({ include: { _count: { select: { owners: true } } } });
    for (const p of products) {
      expect(p._count.owners, p.slug).toBeGreaterThanOrEqual(1);
      expect(p.description.trim(), p.slug).not.toBe("");
      if (p.status === "draft") expect(p.publishedAt, p.slug).toBeNull();
      else expect(p.publishedAt, p.slug).toBeInstanceOf(Date);
    }
  });

  it("gives every product 1–3 ports and every Trino table 6–20 described columns", async () => {
    const products = await db.dataProduct.findMany({
      include: { outputPorts: { include: { fields: { orderBy: { position: "asc" } } } } },
    });
    let trinoPorts = 0;
    for (const p of products) {
      expect(p.outputPorts.length, p.slug).toBeGreaterThanOrEqual(1);
      expect(p.outputPorts.length, p.slug).toBeLessThanOrEqual(3);
      for (const port of p.outputPorts) {
        if (port.type !== "trino_table") continue;
        trinoPorts++;
        expect(port.fields.length, `${p.slug}/${port.name}`).toBeGreaterThanOrEqual(6);
        expect(port.fields.length, `${p.slug}/${port.name}`).toBeLessThanOrEqual(20);
        expect(port.fields.map((f) => f.position)).toEqual(port.fields.map((_, i) => i + 1));
        for (const f of port.fields) expect(f.description.trim(), `${port.name}.${f.name}`).not.toBe("");
      }
    }
    expect(trinoPorts).toBeGreaterThan(0);
    const piiFields = await db.schemaField.findMany({ where: { pii: true } });
    expect(piiFields.length).toBeGreaterThan(0);
    for (const f of piiFields) expect(["confidential", "restricted"]).toContain(f.classification);
  });

  it("links products into a lineage graph and has access requests in several states", async () => {
    expect(await db.productDependency.count()).toBeGreaterThanOrEqual(20);
    const byStatus = await db.accessRequest.groupBy({ by: ["status"], _count: { _all: true } });
    expect(byStatus.length).toBeGreaterThanOrEqual(4);

    const requests = await db.accessRequest.findMany();
    for (const r of requests) {
      if (r.status === "active") expect(r.expiresAt!.getTime()).toBeGreaterThan(NOW.getTime());
      if (r.status === "expired") expect(r.expiresAt!.getTime()).toBeLessThanOrEqual(NOW.getTime());
      if (["approved", "rejected", "active", "expired", "revoked"].includes(r.status)) expect(r.decidedById).not.toBeNull();
      if (r.status === "pending") expect(r.decidedById).toBeNull();
    }
  });

  it("creates the personas with their roles and memberships", async () => {
    const load = (email: string) =>
      db.user.findUniqueOrThrow({
        where: { email },
        include: {
          domainMemberships: { include: { domain: true } },
          teamMemberships: { include: { team: true } },
          ownedProducts: { include: { product: true } },
          accessRequests: true,
        },
      });

    for (const persona of DEMO_PERSONAS) {
      const user = await load(persona.email);
      expect(user.name).toBe(persona.name);
      expect(user.provider).toBe("demo");
      expect(user.roles).toEqual(persona.globalRoles);
      const stewardOf = user.domainMemberships.filter((m) => m.role === "steward").map((m) => m.domain.slug);
      expect(stewardOf.sort()).toEqual([...persona.stewardOf].sort());
      const memberOf = user.domainMemberships.map((m) => m.domain.slug);
      for (const slug of persona.memberOf) expect(memberOf).toContain(slug);
      expect(user.teamMemberships.map((m) => m.team.slug).sort()).toEqual([...persona.teams].sort());
    }

    const admin = await load(findPersona("admin")!.email);
    expect(admin.roles).toEqual(["platform_admin"]);

    const owner = await load(findPersona("owner")!.email);
    const owned = owner.ownedProducts.map((o) => o.product);
    expect(owned.some((p) => p.status === "draft")).toBe(true);
    expect(owned.some((p) => p.status === "published")).toBe(true);

    const steward = await load(findPersona("steward")!.email);
    expect(steward.domainMemberships).toEqual([expect.objectContaining({ role: "steward" })]);
    expect(steward.domainMemberships[0]!.domain.slug).toBe("customer");

    const consumer = await load(findPersona("consumer")!.email);
    expect(consumer.accessRequests.length).toBeGreaterThanOrEqual(3);
    expect(consumer.domainMemberships.filter((m) => m.role === "steward")).toEqual([]);
    // a pure consumer: no product is owned by them or by their teams
    const teamIds = (await db.teamMember.findMany({ where: { user: { email: findPersona("consumer")!.email } } })).map((t) => t.teamId);
    expect(await db.dataProduct.count({ where: { OR: [{ owners: { some: { user: { email: findPersona("consumer")!.email } } } }, { ownerTeamId: { in: teamIds } }] } })).toBe(0);
  });

  it("records one audit event", async () => {
    const events = await db.auditEvent.findMany({ where: { action: "demo.seed" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorLabel: "system", targetType: "catalogue", targetId: "demo-mesh" });
    expect(events[0]!.after).toMatchObject({ products: first.products, domains: await db.domain.count() });
  });

  it("is idempotent: a second call writes nothing", async () => {
    const before = await counts(db);
    await expect(seedDemoMesh(db, { now: NOW })).resolves.toEqual({ seeded: false, products: 0 });
    expect(await counts(db)).toEqual(before);
  });
});
