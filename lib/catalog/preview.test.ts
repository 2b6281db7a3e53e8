import { afterAll, beforeAll, expect, it } from "vitest";
import { previewPort } from "@/lib/catalog/preview";
import { seedDemoMesh } from "@/lib/demo/seed";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { createTrinoQueryEngine } from "@/lib/integrations/trino/client";
import { createEmbeddedTrinoEngine } from "@/lib/integrations/trino/embedded";
import { seedDemoMeshTables } from "@/test/fakes/trino/demo-tables";
import { startFakeTrino } from "@/test/fakes/trino/server";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";

const opts = (slug: string, port: string) => ({ slug, port, limit: 5, userMapping: "email" as const });

describeEachDatabase("data preview", (testDb) => {
  let fake: Awaited<ReturnType<typeof startFakeTrino>>;
  // A published table port with a PII column, its product, and one user holding an active grant on it.
  let target: { slug: string; port: string; pii: string[]; grantee: string };

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db);
    const port = await db.outputPort.findFirstOrThrow({
      where: { type: "trino_table", product: { status: "published" }, fields: { some: { pii: true } } },
      select: { id: true, name: true, product: { select: { slug: true } }, fields: { where: { pii: true }, select: { name: true } } },
    });
    const carlos = await db.user.findUniqueOrThrow({ where: { email: "carlos.consumer@canopy.demo" } });
    await db.accessRequest.create({
      data: { portId: port.id, requesterId: carlos.id, principalType: "user", principalRef: carlos.id, purpose: "churn analysis", durationDays: 30, status: "active", expiresAt: new Date(Date.now() + 86_400_000) },
    });
    target = { slug: port.product.slug, port: port.name, pii: port.fields.map((f) => f.name), grantee: carlos.email };
    fake = await startFakeTrino({ seed: false });
    await seedDemoMeshTables(fake.db, 5);
  });
  afterAll(async () => fake?.close());

  const userByEmail = (email: string) => principalByEmail(testDb().prisma, email);

  it("embedded: a grantee reads rows with PII masked", async () => {
    const db = testDb().prisma;
    const result = await previewPort(db, createEmbeddedTrinoEngine({ db }), await userByEmail(target.grantee), opts(target.slug, target.port));
    expect(result.rows.length).toBe(5);
    expect(result.masked.sort()).toEqual(expect.arrayContaining(target.pii));
    const idx = result.columns.findIndex((c) => c.name === target.pii[0]);
    expect(result.rows.every((r) => r[idx] === "***" || r[idx] === null)).toBe(true);
  });

  it("embedded: someone without a grant gets no rows", async () => {
    const db = testDb().prisma;
    const admin = await personaPrincipal(db, "admin");
    await expect(previewPort(db, createEmbeddedTrinoEngine({ db }), admin, opts(target.slug, target.port))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("refuses drafts the user may not see, unknown ports and non-table ports", async () => {
    const db = testDb().prisma;
    const consumer = await personaPrincipal(db, "consumer");
    const trino = createEmbeddedTrinoEngine({ db });
    await expect(previewPort(db, trino, consumer, opts("sales-forecast-v2", "forecast"))).rejects.toBeInstanceOf(NotFoundError);
    await expect(previewPort(db, trino, consumer, opts(target.slug, "no-such-port"))).rejects.toBeInstanceOf(NotFoundError);
    const bucket = await db.outputPort.findFirstOrThrow({ where: { type: "s3_bucket", product: { status: "published" } }, select: { name: true, product: { select: { slug: true } } } });
    await expect(previewPort(db, trino, consumer, opts(bucket.product.slug, bucket.name))).rejects.toThrow("Only table ports can be previewed");
  });

  it("connected: queries Trino as the user, and Trino's refusal reaches the user as such", async () => {
    const db = testDb().prisma;
    const trino = createTrinoQueryEngine({ server: fake.url });
    const grantee = await userByEmail(target.grantee);
    const ok = await previewPort(db, trino, grantee, opts(target.slug, target.port));
    expect(ok.rows.length).toBe(5);
    expect(fake.statements.at(-1)!.user).toBe(target.grantee);
    const port = await db.outputPort.findFirstOrThrow({ where: { name: target.port, product: { slug: target.slug } }, select: { location: true } });
    fake.setDenied(target.grantee, port.location);
    await expect(previewPort(db, trino, grantee, opts(target.slug, target.port))).rejects.toThrow(/Trino refused/);
  });
});
