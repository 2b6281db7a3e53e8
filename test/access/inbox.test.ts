import { beforeAll, describe, expect, it } from "vitest";
import { countWaiting, getRequestDetail, listAccessInbox, listProductGrants, myAccessToProduct, requestAccess } from "@/lib/access/service";
import { seedDemoMesh } from "@/lib/demo/seed";
import { describeEachDatabase } from "@/test/support/db";
import { ask, later, loadPeople, NOW, type People } from "@/test/access/helpers";

describeEachDatabase("the approvals inbox and request pages", (testDb) => {
  let p: People;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    p = await loadPeople(db);
  });

  describe("tabs", () => {
    it("shows Sofia the request waiting for her second step, and not Jonas, who approved the first", async () => {
      const db = testDb().prisma;
      const sofia = await listAccessInbox(db, p.sofia.user, { tab: "waiting" }, NOW);
      const aisha = sofia.find((i) => i.requester.email === "aisha.rahman@canopy.demo")!;
      expect(aisha).toMatchObject({ status: "pending", level: 2, levels: 2, port: "customers", purposeCategory: "fraud-prevention", purposeCategoryLabel: "Fraud prevention and security" });
      expect(aisha.actions).toMatchObject({ approve: true, reject: true, cancel: false });
      expect(aisha.classification).toBe("restricted");
      expect(aisha.columns).toMatchObject({ total: 15, pii: 7, restricted: 5 });
      const jonas = await listAccessInbox(db, p.jonas.user, { tab: "waiting" }, NOW);
      expect(jonas.some((i) => i.id === aisha.id)).toBe(false);
      expect(await countWaiting(db, p.sofia.user, NOW)).toBe(sofia.length);
    });

    it("lists the owner's waiting requests oldest first, with the requester's existing access to the product", async () => {
      const db = testDb().prisma;
      const r = await requestAccess(db, p.carlos, ask("sales-orders", "order-lines"), later(1));
      const waiting = await listAccessInbox(db, p.olivia.user, { tab: "waiting" }, later(1));
      const created = waiting.map((i) => i.createdAt);
      expect(created).toEqual([...created].sort());
      const item = waiting.find((i) => i.id === r.id)!;
      // Carlos already reads the orders port of Sales Orders.
      expect(item.existingAccess).toEqual([expect.objectContaining({ port: "orders", status: "active" })]);
      expect(item.requester).toMatchObject({ name: "Carlos Consumer", email: "carlos.consumer@canopy.demo" });
      expect(item.product).toEqual({ slug: "sales-orders", name: "Sales Orders", domain: { slug: "sales", name: "Sales" } });
      const newest = await listAccessInbox(db, p.olivia.user, { tab: "waiting", sort: "newest" }, later(1));
      expect(newest.map((i) => i.id)).toEqual(waiting.map((i) => i.id).reverse());
    });

    it("filters by product, domain, requester and age", async () => {
      const db = testDb().prisma;
      const admin = p.arjun.user;
      const all = await listAccessInbox(db, admin, { tab: "waiting" }, NOW);
      expect(all.length).toBeGreaterThan(2);
      const byProduct = await listAccessInbox(db, admin, { tab: "waiting", product: "customer-master" }, NOW);
      expect(byProduct.length).toBeGreaterThan(0);
      expect(byProduct.every((i) => i.product.slug === "customer-master")).toBe(true);
      const byDomain = await listAccessInbox(db, admin, { tab: "waiting", domain: "finance" }, NOW);
      expect(byDomain.every((i) => i.product.domain.slug === "finance")).toBe(true);
      const byRequester = await listAccessInbox(db, admin, { tab: "waiting", requester: "CARLOS" }, NOW);
      expect(byRequester.length).toBeGreaterThan(0);
      expect(byRequester.every((i) => i.requester.email === "carlos.consumer@canopy.demo")).toBe(true);
      const old = await listAccessInbox(db, admin, { tab: "waiting", minAgeDays: 2 }, NOW);
      expect(old.length).toBeGreaterThan(0);
      expect(old.every((i) => new Date(i.createdAt).getTime() <= NOW.getTime() - 2 * 86_400_000)).toBe(true);
      expect(old.length).toBeLessThan(all.length);
      expect(await listAccessInbox(db, admin, { tab: "waiting", product: "customer-master", domain: "sales" }, NOW)).toEqual([]);
    });

    it("shows the requester all their own requests, newest first, and the deciders what they decided", async () => {
      const db = testDb().prisma;
      const mine = await listAccessInbox(db, p.carlos.user, { tab: "mine" }, NOW);
      expect(mine.length).toBeGreaterThanOrEqual(6);
      expect(new Set(mine.map((i) => i.status))).toEqual(new Set(["pending", "active", "rejected", "provisioning", "expired", "cancelled"]));
      const created = mine.map((i) => i.createdAt);
      expect(created).toEqual([...created].sort().reverse());
      // Carlos decides nothing.
      expect(await listAccessInbox(db, p.carlos.user, { tab: "decided" }, NOW)).toEqual([]);
      expect(await countWaiting(db, p.carlos.user, NOW)).toBe(0);

      const decided = await listAccessInbox(db, p.sofia.user, { tab: "decided" }, NOW);
      expect(decided.map((i) => i.status).sort()).toEqual(expect.arrayContaining(["provisioning", "rejected", "revoked"]));
      expect(decided.every((i) => i.status !== "pending" && i.status !== "cancelled")).toBe(true);
    });
  });

  describe("a request's page", () => {
    it("tells the seeded story of a revoked grant: requested, two steps, revoked, with notes", async () => {
      const db = testDb().prisma;
      const row = await db.accessRequest.findFirstOrThrow({ where: { status: "revoked", requester: { email: "ravi.patel@canopy.demo" } } });
      const d = (await getRequestDetail(db, p.sofia.user, row.id, NOW))!;
      expect(d.timeline.map((t) => [t.action, t.actor])).toEqual([
        ["access.requested", "ravi.patel@canopy.demo"],
        ["access.step_approved", "jonas.eriksson@canopy.demo"],
        ["access.approved", "sofia.steward@canopy.demo"],
        ["access.revoked", "sofia.steward@canopy.demo"],
      ]);
      expect(d.timeline.at(-1)!.note).toMatch(/Revoked after the campaign ended/);
      expect(d.approvals.map((a) => [a.level, a.decider?.email])).toEqual([
        [1, "jonas.eriksson@canopy.demo"],
        [2, "sofia.steward@canopy.demo"],
      ]);
      expect(d).toMatchObject({ revokedBy: "Sofia Steward", levels: 2, actions: { revoke: false, extend: false } });
    });

    it("shows the port's terms, its columns with what would be masked, and who decides", async () => {
      const db = testDb().prisma;
      const row = await db.accessRequest.findFirstOrThrow({ where: { status: "pending", requester: { email: "aisha.rahman@canopy.demo" } } });
      const d = (await getRequestDetail(db, p.sofia.user, row.id, NOW))!;
      expect(d.terms.limitations).toMatch(/DPIA/);
      expect(d.approvers).toMatchObject({ current: [{ name: "Sofia Steward" }], currentAreOwners: false, next: [] });
      // Fraud prevention is a purpose the contract shows personal data for.
      expect(d.portDetail.columns.find((c) => c.name === "email")).toMatchObject({ pii: true, masked: false });
      expect(d.portDetail.columns.find((c) => c.name === "customer_id")).toMatchObject({ pii: false, masked: false });
      expect(d.actions).toMatchObject({ approve: true, reject: true });
      // Aisha sees her own request, without the decision buttons.
      expect((await getRequestDetail(db, p.aisha.user, row.id, NOW))!.actions).toMatchObject({ approve: false, cancel: true });
    });

    it("is not found for people who may not see it, or for an id that is not one", async () => {
      const db = testDb().prisma;
      const row = await db.accessRequest.findFirstOrThrow({ where: { status: "pending", requester: { email: "aisha.rahman@canopy.demo" } } });
      expect(await getRequestDetail(db, p.olivia.user, row.id, NOW)).toBeNull();
      expect(await getRequestDetail(db, p.carlos.user, row.id, NOW)).toBeNull();
      expect(await getRequestDetail(db, p.olivia.user, "not-a-uuid", NOW)).toBeNull();
    });
  });

  describe("a product's grants and one's own access", () => {
    it("lists live grants to owners, stewards and admins only", async () => {
      const db = testDb().prisma;
      const product = await db.dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" } });
      const grants = (await listProductGrants(db, p.olivia.user, product.id, NOW))!;
      expect(grants).toEqual([expect.objectContaining({ port: "orders", status: "active", principal: expect.objectContaining({ label: "Carlos Consumer" }), canRevoke: true })]);
      expect(await listProductGrants(db, p.marcus.user, product.id, NOW)).toHaveLength(1);
      expect(await listProductGrants(db, p.arjun.user, product.id, NOW)).toHaveLength(1);
      expect(await listProductGrants(db, p.carlos.user, product.id, NOW)).toBeNull();
      expect(await listProductGrants(db, p.sofia.user, product.id, NOW)).toBeNull();
      // After its end it is not live any more.
      const end = new Date(grants[0]!.expiresAt!);
      expect(await listProductGrants(db, p.olivia.user, product.id, later(1, end))).toEqual([]);
    });

    it("tells a consumer their access per port, also through a team", async () => {
      const db = testDb().prisma;
      const orders = await db.dataProduct.findUniqueOrThrow({ where: { slug: "sales-orders" } });
      const carlos = await myAccessToProduct(db, p.carlos.user, orders.id, NOW);
      expect(carlos.orders).toMatchObject({ status: "active", principal: { type: "user" } });
      expect(carlos.orders!.expiresAt).not.toBeNull();

      const kpis = await db.dataProduct.findUniqueOrThrow({ where: { slug: "daily-sales-kpis" } });
      // Elena asked for the CX analysts group; a member of that group sees it as theirs.
      await db.user.update({ where: { id: p.noah.user.id }, data: { groups: ["cx-analysts"] } });
      expect((await myAccessToProduct(db, p.noah.user, kpis.id, NOW))["daily-kpis"]).toMatchObject({ status: "pending", principal: { type: "group", ref: "cx-analysts" }, expiresAt: null });
      expect(await myAccessToProduct(db, p.aisha.user, kpis.id, NOW)).toEqual({});

      // An approved grant wins over a pending request for the same port.
      const fx = await db.dataProduct.findUniqueOrThrow({ where: { slug: "fx-rates" } });
      const viaTeam = await requestAccess(db, p.carlos, ask("fx-rates", "fx-daily", { principal: { type: "group", ref: "finance-analysts" } }), NOW);
      const own = await requestAccess(db, p.carlos, ask("fx-rates", "fx-daily"), NOW);
      expect(viaTeam.status).toBe("provisioning");
      await db.accessRequest.update({ where: { id: own.id }, data: { status: "active" } });
      expect((await myAccessToProduct(db, p.carlos.user, fx.id, NOW))["fx-daily"]).toMatchObject({ requestId: own.id, status: "active" });
    });
  });
});
