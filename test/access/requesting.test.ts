import { beforeAll, expect, it } from "vitest";
import { ACCESS_GRANT_JOB } from "@/lib/access/jobs";
import { cancelRequest, requestAccess } from "@/lib/access/service";
import { seedDemoMesh } from "@/lib/demo/seed";
import { describeEachDatabase } from "@/test/support/db";
import { ask, auditActions, DAY_MS, jobsFor, later, loadPeople, notificationsFor, NOW, refusal, type People } from "@/test/access/helpers";

describeEachDatabase("requesting access", (testDb) => {
  let p: People;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    p = await loadPeople(db);
  });

  it("records a request for oneself with purpose, category, terms, duration and workload, audited, and tells the approvers", async () => {
    const db = testDb().prisma;
    const r = await requestAccess(
      db,
      p.carlos,
      ask("sales-pipeline", "opportunities", { purposeCategory: "reporting", workload: "finance-notebooks/revenue-outlook" }),
      NOW,
    );
    expect(r).toMatchObject({
      status: "pending",
      level: 1,
      levels: 1,
      durationDays: 90,
      purposeCategory: "reporting",
      workload: "finance-notebooks/revenue-outlook",
      principal: { type: "user", ref: p.carlos.user.id, label: "Carlos Consumer" },
      port: "opportunities",
      product: { slug: "sales-pipeline" },
      expiresAt: null,
      requestedUntil: null,
    });
    expect(r.actions).toMatchObject({ cancel: true, approve: false, revoke: false });
    const row = await db.accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(row.termsAcceptedAt).toEqual(NOW);
    expect(row.approverIds).toEqual([]);

    const events = await auditActions(db, r.id);
    expect(events.map((e) => e.action)).toEqual(["access.requested"]);
    expect(events[0]!.actorLabel).toBe("carlos.consumer@canopy.demo");
    expect(events[0]!.after).toMatchObject({ product: "sales-pipeline", port: "opportunities", purposeCategory: "reporting" });

    // The product's owners (direct and through the owning team) are told; the requester is not.
    const notes = await notificationsFor(db, r.id);
    expect(notes.map((n) => n.user.email).sort()).toEqual(["olivia.owner@canopy.demo", "priya.nair@canopy.demo"]);
    expect(notes.every((n) => n.kind === "access.requested" && n.title.includes("Carlos Consumer"))).toBe(true);
    expect(await jobsFor(db, r.id)).toEqual([]);
  });

  it("refuses a second open request for the same port and principal with a link to the first", async () => {
    const db = testDb().prisma;
    const existing = await db.accessRequest.findFirstOrThrow({
      where: { requester: { email: "carlos.consumer@canopy.demo" }, status: "active", port: { name: "orders", product: { slug: "sales-orders" } } },
    });
    const err = await refusal(() => requestAccess(db, p.carlos, ask("sales-orders", "orders"), NOW));
    expect(err).toMatchObject({ status: 409, code: "duplicate_request" });
    expect(err.message).toContain(`/access/requests/${existing.id}`);
    expect(err.fieldErrors?.port?.[0]).toContain(existing.id);

    // Pending counts as open too; once cancelled, asking again is fine.
    const first = await requestAccess(db, p.carlos, ask("price-book", "list-prices"), NOW);
    const again = await refusal(() => requestAccess(db, p.carlos, ask("price-book", "list-prices", { purpose: "Another try at the same port" }), NOW));
    expect(again.message).toContain(`/access/requests/${first.id}`);
    await cancelRequest(db, p.carlos, { requestId: first.id }, NOW);
    const second = await requestAccess(db, p.carlos, ask("price-book", "list-prices"), NOW);
    expect(second.id).not.toBe(first.id);
  });

  it("does not count an active grant past its end as open", async () => {
    const db = testDb().prisma;
    const grant = await db.accessRequest.findFirstOrThrow({ where: { status: "active", principalType: "product" }, select: { expiresAt: true, port: { select: { name: true, product: { select: { slug: true } } } } } });
    const noah = p.noah; // owns cost-to-serve, the product the grant is for
    const refused = await refusal(() => requestAccess(db, noah, ask(grant.port.product.slug, grant.port.name, { principal: { type: "product", ref: "cost-to-serve" } }), NOW));
    expect(refused.code).toBe("duplicate_request");
    const afterEnd = new Date(grant.expiresAt!.getTime() + DAY_MS);
    const r = await requestAccess(db, noah, ask(grant.port.product.slug, grant.port.name, { principal: { type: "product", ref: "cost-to-serve" } }), afterEnd);
    expect(r.status).toBe("pending");
  });

  it("lets two identical submissions at the same moment make one request", async () => {
    const db = testDb().prisma;
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => requestAccess(db, p.aisha, ask("shipments", "shipment-events"), NOW)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect((r.reason as { code: string }).code).toBe("duplicate_request");
    expect(await db.accessRequest.count({ where: { requesterId: p.aisha.user.id, port: { name: "shipment-events" } } })).toBe(1);
  });

  it("requests for a team or identity-provider group the requester is in, and for no other", async () => {
    const db = testDb().prisma;
    const team = await requestAccess(db, p.carlos, ask("shipments", "shipments", { principal: { type: "group", ref: "finance-analysts" } }), NOW);
    expect(team.principal).toEqual({ type: "group", ref: "finance-analysts", label: "Finance Analysts" });

    const notMine = await refusal(() => requestAccess(db, p.carlos, ask("shipments", "shipments", { principal: { type: "group", ref: "sales-analytics" } }), NOW));
    expect(notMine.status).toBe(400);
    expect(notMine.fieldErrors?.["principal.ref"]?.[0]).toMatch(/team or group you belong to: finance-analysts/);

    await db.user.update({ where: { id: p.carlos.user.id }, data: { groups: ["risk-analysts"] } });
    const idp = await requestAccess(db, p.carlos, ask("shipments", "shipments", { principal: { type: "group", ref: "risk-analysts" } }), NOW);
    expect(idp.principal).toEqual({ type: "group", ref: "risk-analysts", label: "risk-analysts" });
  });

  it("requests for a data product the requester owns, and refuses others, retired ones and the product itself", async () => {
    const db = testDb().prisma;
    const r = await requestAccess(db, p.olivia, ask("shipments", "shipments", { principal: { type: "product", ref: "daily-sales-kpis" } }), NOW);
    expect(r.principal).toEqual({ type: "product", ref: "daily-sales-kpis", label: "Daily Sales KPIs" });

    const why = async (ref: string, product = "shipments", port = "shipments") =>
      (await refusal(() => requestAccess(db, p.olivia, ask(product, port, { principal: { type: "product", ref } }), NOW))).fieldErrors?.["principal.ref"]?.[0];
    expect(await why("price-book")).toMatch(/you do not own Price Book/);
    expect(await why("no-such-product")).toBe('No data product "no-such-product"');
    expect(await why("sales-pipeline", "sales-pipeline", "opportunities")).toMatch(/its own ports/);
    // A draft someone else owns is not even visible to Olivia.
    expect(await why("delivery-eta")).toBe('No data product "delivery-eta"');
    const marcus = p.marcus; // co-owns the retired legacy-pos-transactions
    const retired = await refusal(() => requestAccess(db, marcus, ask("shipments", "shipments", { principal: { type: "product", ref: "legacy-pos-transactions" } }), NOW));
    expect(retired.fieldErrors?.["principal.ref"]?.[0]).toMatch(/retired/);
  });

  it("explains every invalid field", async () => {
    const db = testDb().prisma;
    const fields = async (body: Record<string, unknown>) => (await refusal(() => requestAccess(db, p.carlos, body as never, NOW))).fieldErrors ?? {};
    expect((await fields(ask("shipments", "tracking-api", { purpose: "too short" }))).purpose?.[0]).toMatch(/at least 10 characters/);
    expect((await fields(ask("shipments", "tracking-api", { purpose: "x".repeat(2001) }))).purpose?.[0]).toMatch(/at most 2000/);
    expect((await fields(ask("shipments", "tracking-api", { acceptTerms: false }))).acceptTerms?.[0]).toBe("Accept the terms of use to request access");
    expect((await fields(ask("shipments", "tracking-api", { durationDays: 45 }))).durationDays?.[0]).toMatch(/30, 90, 180/);
    expect((await fields(ask("shipments", "tracking-api", { durationDays: undefined }))).durationDays?.[0]).toMatch(/or an end date/);
    expect((await fields(ask("shipments", "tracking-api", { until: "2027-01-15" }))).until?.[0]).toMatch(/not both/);
    expect((await fields(ask("shipments", "tracking-api", { purposeCategory: "marketing" }))).purposeCategory?.[0]).toMatch(/purpose category/);
    expect((await fields(ask("shipments", "tracking-api", { workload: "Not A Workload" }))).workload?.[0]).toMatch(/namespace\/name/);
    expect((await fields(ask("shipments", "tracking-api", { principal: { type: "robot" } })))["principal.type"]?.[0]).toMatch(/who the access is for/);
  });

  it("takes an end date from tomorrow to the policy cap, and keeps it through the last day", async () => {
    const db = testDb().prisma;
    const until = async (date: string) =>
      (await refusal(() => requestAccess(db, p.carlos, ask("shipments", "tracking-api", { durationDays: undefined, until: date }), NOW))).fieldErrors?.until?.[0];
    expect(await until("2026-12-01")).toBe("Choose a day from tomorrow (2026-12-02) on");
    expect(await until("2026-02-30")).toBe("Not a date");
    expect(await until("2027-12-01")).toBe("Access lasts at most 365 days: choose 2027-11-30 or earlier");

    const r = await requestAccess(db, p.carlos, ask("shipments", "tracking-api", { durationDays: undefined, until: "2027-11-30" }), NOW);
    expect(r.requestedUntil).toBe("2027-12-01T00:00:00.000Z");
    expect(r.durationDays).toBe(365);
    const tomorrow = await requestAccess(db, p.aisha, ask("shipments", "tracking-api", { durationDays: undefined, until: "2026-12-02" }), NOW);
    expect(tomorrow.requestedUntil).toBe("2026-12-03T00:00:00.000Z");
    expect(tomorrow.durationDays).toBe(2);
  });

  it("requests published and deprecated products only, and hides drafts from those who may not see them", async () => {
    const db = testDb().prisma;
    const deprecated = await requestAccess(db, p.carlos, ask("lead-scoring", "lead-scores"), NOW);
    expect(deprecated.status).toBe("pending");

    const ownDraft = await refusal(() => requestAccess(db, p.olivia, ask("sales-forecast-v2", "weekly-forecast"), NOW));
    expect(ownDraft).toMatchObject({ status: 409 });
    expect(ownDraft.message).toMatch(/not published yet/);
    const othersDraft = await refusal(() => requestAccess(db, p.carlos, ask("sales-forecast-v2", "weekly-forecast"), NOW));
    expect(othersDraft).toMatchObject({ status: 404 });
    const retired = await refusal(() => requestAccess(db, p.carlos, ask("legacy-pos-transactions", "pos-transactions"), NOW));
    expect(retired.message).toMatch(/retired/);
    const noPort = await refusal(() => requestAccess(db, p.carlos, ask("shipments", "no-such-port"), NOW));
    expect(noPort).toMatchObject({ status: 404 });
    expect(noPort.fieldErrors?.port?.[0]).toBe('Shipments has no output port "no-such-port"');
  });

  it("names the approvers from the port's contract, ignoring addresses without an account, and sets a second step", async () => {
    const db = testDb().prisma;
    const port = await db.outputPort.findFirstOrThrow({ where: { product: { slug: "carrier-performance" }, name: "carrier-scorecard" } });
    await db.outputPort.update({
      where: { id: port.id },
      data: { contract: { approvers: ["lukas.weber@canopy.demo", "nobody@example.com"], secondLevelApprovers: ["HANNAH.OKAFOR@canopy.demo"] } },
    });
    const r = await requestAccess(db, p.carlos, ask("carrier-performance", "carrier-scorecard"), NOW);
    const row = await db.accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    const lukas = await db.user.findUniqueOrThrow({ where: { email: "lukas.weber@canopy.demo" } });
    expect(row).toMatchObject({ levels: 2, level: 1, approverIds: [lukas.id], secondApproverIds: [p.hannah.user.id] });
    expect((await notificationsFor(db, r.id)).map((n) => n.user.email)).toEqual(["lukas.weber@canopy.demo"]);
    expect(r.approvers).toMatchObject({ currentAreOwners: false, current: [{ email: "lukas.weber@canopy.demo" }], next: [{ email: "hannah.okafor@canopy.demo" }] });
  });

  it("approves automatically by rule: a public port, or a requester in the owning team; audited as the rule", async () => {
    const db = testDb().prisma;
    const pub = await requestAccess(db, p.carlos, ask("fx-rates", "fx-daily"), NOW);
    expect(pub.status).toBe("provisioning");
    expect(pub.expiresAt).toBe(later(90).toISOString());
    expect(pub.decidedBy).toBeNull();
    const approvals = await db.accessApproval.findMany({ where: { requestId: pub.id } });
    expect(approvals).toEqual([expect.objectContaining({ level: 1, decision: "approved", deciderId: null, rule: "public-port" })]);
    const events = await auditActions(db, pub.id);
    expect(events.map((e) => [e.action, e.actorLabel])).toEqual([
      ["access.requested", "carlos.consumer@canopy.demo"],
      ["access.approved", "rule:public-port"],
    ]);
    expect((await jobsFor(db, pub.id)).map((j) => [j.kind, j.payload])).toEqual([[ACCESS_GRANT_JOB, { requestId: pub.id }]]);
    const notes = await notificationsFor(db, pub.id);
    expect(notes.find((n) => n.user.email === "carlos.consumer@canopy.demo")).toMatchObject({ kind: "access.approved" });
    expect(notes.find((n) => n.user.email === "noah.fischer@canopy.demo")).toMatchObject({ kind: "access.auto_approved" });
    expect(pub.timeline.map((t) => t.summary)).toEqual(["Requested access", "Approved automatically: the port is classified public"]);

    // A port's own classification wins over its product's: a public product with an internal port needs people.
    await db.outputPort.updateMany({ where: { product: { slug: "fx-rates" }, name: "fx-api" }, data: { classification: "internal" } });
    expect((await requestAccess(db, p.carlos, ask("fx-rates", "fx-api"), NOW)).status).toBe("pending");

    const team = await requestAccess(db, p.priya, ask("daily-sales-kpis", "kpi-api"), NOW);
    expect(team.status).toBe("provisioning");
    expect((await db.accessApproval.findFirstOrThrow({ where: { requestId: team.id } })).rule).toBe("same-team");
  });

  it("never auto-approves a request that needs two steps", async () => {
    const db = testDb().prisma;
    // Jonas is in the team that owns Customer Master, whose customers port has two steps.
    const r = await requestAccess(db, p.jonas, ask("customer-master", "customers", { purposeCategory: "customer-service" }), NOW);
    expect(r).toMatchObject({ status: "pending", levels: 2 });
    expect(await db.accessApproval.count({ where: { requestId: r.id } })).toBe(0);
  });
});
