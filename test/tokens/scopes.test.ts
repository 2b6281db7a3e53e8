import { beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { can, type Principal } from "@/lib/auth/permissions";
import { loadPrincipal } from "@/lib/auth/principal";
import { getProductDetail, productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Db } from "@/lib/db/client";
import { seedDemoMesh } from "@/lib/demo/seed";
import { runOperation } from "@/lib/http/operation";
import { loadProductSpec, planProductChange, saveProduct } from "@/lib/products/service";
import { authenticateToken } from "@/lib/tokens/auth";
import { createTokenInput } from "@/lib/tokens/schemas";
import type { TokenScope } from "@/lib/tokens/scopes";
import { createToken } from "@/lib/tokens/service";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf, refusal } from "@/test/support/outcomes";
import { personaPrincipal } from "@/test/support/seeded";



/** The principal a REST API request with a fresh token of `user` would run as. */
async function tokenPrincipal(db: Db, user: Principal, scopes: TokenScope[], name = `t-${crypto.randomUUID().slice(0, 8)}`) {
  const { secret } = await createToken(db, { user, actor: actorOf(user) }, createTokenInput.parse({ name, scopes }));
  return { secret, user: await reauthenticate(db, secret) };
}

async function reauthenticate(db: Db, secret: string): Promise<Principal> {
  const auth = await authenticateToken(db, `Bearer ${secret}`);
  if (!auth.ok) throw new Error(`token refused: ${auth.reason}`);
  return auth.user;
}

async function productRef(db: Db, slug: string) {
  return toProductRef(await db.dataProduct.findUniqueOrThrow({ where: { slug }, select: productRefSelect }));
}

async function specOf(db: Db, slug: string) {
  const { id } = await db.dataProduct.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  return (await loadProductSpec(db, id)).spec;
}

describeEachDatabase("API token scopes", (testDb) => {
  beforeAll(async () => {
    await seedDemoMesh(testDb().prisma);
  });

  it("a catalog:read token reads the catalogue but cannot create or change products, though its user can", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const { user: reader } = await tokenPrincipal(db, olivia, ["catalog:read"]);
    const orders = await productRef(db, "sales-orders");
    const sales = { id: orders.domainId };
    // Her session may do all of this…
    expect(can(olivia, "product.update", orders)).toBe(true);
    expect(can(olivia, "product.create", sales)).toBe(true);
    // …her read-only token may not.
    expect(await getProductDetail(db, reader, "sales-orders")).not.toBeNull();
    expect(can(reader, "product.update", orders)).toBe(false);
    expect(can(reader, "product.publish", orders)).toBe(false);
    expect(can(reader, "product.create", sales)).toBe(false);

    const spec = await specOf(db, "sales-orders");
    expect(await refusal(planProductChange(db, reader, { ...spec, summary: `${spec.summary} (changed)` }))).toMatchObject({ status: 403 });
    const copy = { ...spec, slug: "sales-orders-token-copy", name: "Sales Orders token copy" };
    expect(await refusal(saveProduct(db, { user: reader, actor: actorOf(reader) }, copy, { publish: false }))).toMatchObject({ status: 403 });
    expect(await db.dataProduct.count({ where: { slug: copy.slug } })).toBe(0);

    // Route handlers authorize through the same module and name the missing scope.
    const update = await runOperation(
      { name: "updateProduct", input: z.object({}), handler: async (ctx) => ctx.authorize("product.update", orders) },
      {},
      { user: reader, db: async () => db },
    );
    expect(update).toMatchObject({ ok: false, status: 403, code: "insufficient_scope" });
  });

  it("a products:write token lets its user change what they own, and nothing they could not change anyway", async () => {
    const db = testDb().prisma;
    const [olivia, carlos] = await Promise.all([personaPrincipal(db, "owner"), personaPrincipal(db, "consumer")]);
    const orders = await productRef(db, "sales-orders");
    const { user: oliviaWriter } = await tokenPrincipal(db, olivia, ["products:write"]);
    expect(can(oliviaWriter, "product.update", orders)).toBe(true);
    const spec = await specOf(db, "sales-orders");
    const plan = await planProductChange(db, oliviaWriter, { ...spec, description: `${spec.description}\n\nEdited through the API.` });
    expect(plan).toMatchObject({ exists: true, level: "patch" });

    // Carlos's token with every scope is still Carlos: not an owner of Olivia's product, no domain to publish in.
    const { user: carlosWriter } = await tokenPrincipal(db, carlos, ["catalog:read", "products:write", "access:write", "admin", "audit:read"]);
    expect(can(carlosWriter, "product.update", orders)).toBe(false);
    expect(can(carlosWriter, "product.publish", orders)).toBe(false);
    expect(can(carlosWriter, "product.create", { id: orders.domainId })).toBe(false);
    expect(can(carlosWriter, "admin.view", null)).toBe(false);
    expect(can(carlosWriter, "audit.read", null)).toBe(false);
    expect(await refusal(planProductChange(db, carlosWriter, { ...spec, summary: `${spec.summary} (edited by someone else)` }))).toMatchObject({ status: 403 });
    const err = await refusal(saveProduct(db, { user: carlosWriter, actor: actorOf(carlosWriter) }, { ...spec, summary: `${spec.summary} (edited by someone else)` }, { acknowledgeBreaking: true }));
    expect(err.status).toBe(403);
    expect((await specOf(db, "sales-orders")).summary).toBe(spec.summary);
  });

  it("a token loses what its user loses, at the next request", async () => {
    const db = testDb().prisma;
    const domain = await db.domain.findUniqueOrThrow({ where: { slug: "sales" }, select: { id: true } });
    const kpis = await db.dataProduct.findUniqueOrThrow({ where: { slug: "daily-sales-kpis" }, select: { id: true } });
    const temp = await db.user.create({
      data: {
        email: "tessa.temporary@canopy.demo",
        name: "Tessa Temporary",
        provider: "oidc",
        roles: ["platform_admin"],
        domainMemberships: { create: { domainId: domain.id, role: "member" } },
        ownedProducts: { create: { productId: kpis.id } },
      },
      select: { id: true },
    });
    const tessa = (await loadPrincipal(db, temp.id))!;
    const { secret, user: before } = await tokenPrincipal(db, tessa, ["products:write", "admin"]);
    const ref = await productRef(db, "daily-sales-kpis");
    expect(can(before, "product.update", ref)).toBe(true);
    expect(can(before, "product.create", domain)).toBe(true);
    expect(can(before, "admin.view", null)).toBe(true);

    await db.user.update({ where: { id: temp.id }, data: { roles: [] } });
    await db.domainMember.deleteMany({ where: { userId: temp.id } });
    await db.productOwner.deleteMany({ where: { userId: temp.id } });

    const after = await reauthenticate(db, secret);
    expect(can(after, "admin.view", null)).toBe(false);
    expect(can(after, "product.create", domain)).toBe(false);
    expect(can(after, "product.update", await productRef(db, "daily-sales-kpis"))).toBe(false);

    // A deleted user's tokens go with them.
    await db.user.delete({ where: { id: temp.id } });
    expect(await authenticateToken(db, `Bearer ${secret}`)).toEqual({ ok: false, reason: "unknown" });
  });
});

