import { beforeAll, describe, expect, it } from "vitest";
import { accessExpiryHandler, accessRevokeHandler, sweepAccess } from "@/lib/access/enforcement";
import { ACCESS_EXPIRY_JOB, ACCESS_JOB_TARGET, ACCESS_REVOKE_JOB, revokeJobKey } from "@/lib/access/jobs";
import { buildTrinoRules, evaluateTableAccess } from "@/lib/access/trino-rules";
import type { Db } from "@/lib/db/client";
import { seedDemoMesh } from "@/lib/demo/seed";
import { createDisabledFybrikClient } from "@/lib/integrations/fybrik/client";
import { createEmbeddedProvisioner } from "@/lib/integrations/kubernetes/embedded";
import { scheduleAccessSweep } from "@/lib/jobs/runtime";
import { createWorker } from "@/lib/jobs/worker";
import { logger } from "@/lib/log";
import { DAY_MS, EMAIL, NOW } from "@/test/access/helpers";
import { describeEachDatabase } from "@/test/support/db";

const HOUR_MS = 3_600_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);
const ORDERS = { catalog: "iceberg", schema: "sales", table: "orders" };
const VERA = "vera.viewer@canopy.demo";

describeEachDatabase("access enforcement: expiry and reminders on a controllable clock", (testDb) => {
  let vera: string;
  let ownerEmails: string[];
  const db = (): Db => testDb().prisma;

  beforeAll(async () => {
    await seedDemoMesh(db(), { now: NOW });
    await db().job.deleteMany({});
    vera = (await db().user.create({ data: { email: VERA, name: "Vera Viewer", provider: "demo" }, select: { id: true } })).id;
    // Sales Orders is owned by Tom and Olivia directly and by the Sales Platform team (Tom, Marcus).
    ownerEmails = [EMAIL.tom, EMAIL.olivia, EMAIL.marcus].sort();
  });

  /** An active grant for Vera on a Sales Orders port, ending at `expiresAt` (null: no end). */
  async function activeGrant(port: string, expiresAt: Date | null, extra: { extensionDays?: number; principal?: { type: "group"; ref: string } } = {}) {
    const p = await db().outputPort.findFirstOrThrow({ where: { name: port, product: { slug: "sales-orders" } }, select: { id: true } });
    const r = await db().accessRequest.create({
      data: {
        portId: p.id,
        requesterId: vera,
        principalType: extra.principal?.type ?? "user",
        principalRef: extra.principal?.ref ?? vera,
        purpose: "Weekly order reconciliation.",
        durationDays: 30,
        status: "active",
        decidedAt: NOW,
        expiresAt,
        termsAcceptedAt: NOW,
        extensionDays: extra.extensionDays ?? null,
        revision: 3,
        createdAt: NOW,
        updatedAt: NOW,
      },
      select: { id: true },
    });
    return r.id;
  }

  const row = (id: string) => db().accessRequest.findUniqueOrThrow({ where: { id }, select: { status: true, revision: true, remindedAt: true, extensionDays: true } });
  const audit = async (id: string) => (await db().auditEvent.findMany({ where: { targetType: ACCESS_JOB_TARGET, targetId: id }, orderBy: { id: "asc" } })).map((e) => ({ action: e.action, actor: e.actorLabel, before: e.before, after: e.after }));
  const notes = async (id: string) =>
    (await db().notification.findMany({ where: { link: `/access/requests/${id}` }, orderBy: { createdAt: "asc" }, select: { kind: true, title: true, body: true, user: { select: { email: true } } } })).map((n) => ({
      kind: n.kind,
      title: n.title,
      body: n.body,
      to: n.user.email,
    }));
  const jobs = (id: string) => db().job.findMany({ where: { targetType: ACCESS_JOB_TARGET, targetId: id }, select: { kind: true, payload: true, idempotencyKey: true, status: true } });
  /** Runs the sweep at `now`; answers only about the given grants (the demo mesh has its own). */
  async function sweep(now: Date, ours: string[]) {
    const r = await sweepAccess(db(), now);
    return { expired: r.expired.filter((id) => ours.includes(id)), reminded: r.reminded.filter((id) => ours.includes(id)) };
  }

  describe("expiry", () => {
    it("expires a grant whose end has come: status, revoke job, audit, requester and owners told", async () => {
      const id = await activeGrant("orders-daily-export", at(-HOUR_MS));
      expect(await sweep(NOW, [id])).toEqual({ expired: [id], reminded: [] });

      expect(await row(id)).toMatchObject({ status: "expired", revision: 4 });
      expect(await jobs(id)).toEqual([{ kind: ACCESS_REVOKE_JOB, payload: { requestId: id }, idempotencyKey: revokeJobKey(id), status: "pending" }]);
      expect(await audit(id)).toEqual([
        { action: "access.expired", actor: "system", before: { status: "active", expiresAt: at(-HOUR_MS).toISOString() }, after: { status: "expired" } },
      ]);
      const told = await notes(id);
      expect(told.map((n) => n.to).sort()).toEqual([VERA, ...ownerEmails].sort());
      expect(told[0]).toMatchObject({
        kind: "access.expired",
        title: "Access to Sales Orders / orders-daily-export expired",
        body: "Vera Viewer's access ended on 2026-12-01 09:00 UTC. Request access again if it is still needed.",
      });

      // A second sweep finds nothing more to do.
      expect(await sweep(at(HOUR_MS), [id])).toEqual({ expired: [], reminded: [] });
      expect(await jobs(id)).toHaveLength(1);
      expect((await audit(id)).length).toBe(1);

      // The revoke job then runs (nothing to call without a cluster) and is audited.
      const out = await accessRevokeHandler({ kubernetes: createEmbeddedProvisioner(), fybrik: createDisabledFybrikClient() })(
        { id: "j", kind: ACCESS_REVOKE_JOB, payload: { requestId: id }, attempt: 1, maxAttempts: 8, idempotencyKey: revokeJobKey(id) },
        { db: db(), log: logger, signal: new AbortController().signal },
      );
      expect(out).toMatchObject({ status: "expired", enforcement: [{ system: "kubernetes", action: "nothing-to-remove" }] });
      expect((await audit(id)).map((e) => e.action)).toEqual(["access.expired", "access.deprovisioned"]);
    });

    it("drops the grant from Trino's rules at its end, and it stays out once expired", async () => {
      const end = at(2 * DAY_MS);
      const id = await activeGrant("orders", end);
      const canRead = async (now: Date) => evaluateTableAccess(await buildTrinoRules(db(), { now }), { user: VERA }, ORDERS).allowed;
      expect(await canRead(NOW)).toBe(true);
      expect(await canRead(new Date(end.getTime() + 1))).toBe(false);

      expect(await sweep(new Date(end.getTime() + 60_000), [id])).toEqual({ expired: [id], reminded: [] });
      expect((await row(id)).status).toBe("expired");
      // Not even a clock before the end brings it back: only active grants are in the rules.
      expect(await canRead(NOW)).toBe(false);
    });

    it("mentions an extension that was still waiting for a decision, and clears it", async () => {
      const id = await activeGrant("order-lines", at(-60_000), { extensionDays: 30 });
      await sweep(NOW, [id]);
      expect(await row(id)).toMatchObject({ status: "expired", extensionDays: null });
      expect((await notes(id))[0]!.body).toContain("The extension asked for (30 days) was not decided in time.");
    });

    it("says whom a group grant was for", async () => {
      const id = await activeGrant("order-lines", at(-60_000), { principal: { type: "group", ref: "finance-analysts" } });
      await sweep(NOW, [id]);
      expect((await notes(id))[0]!.body).toMatch(/^Vera Viewer's access for group finance-analysts ended on/);
    });
  });

  describe("reminders", () => {
    it("reminds the requester once, 7 days ahead, and not again on later sweeps", async () => {
      const end = at(20 * DAY_MS);
      const id = await activeGrant("orders", end);

      // More than 7 days ahead: nothing yet.
      expect(await sweep(NOW, [id])).toEqual({ expired: [], reminded: [] });
      expect(await sweep(at(13 * DAY_MS - HOUR_MS), [id])).toEqual({ expired: [], reminded: [] });

      const remindAt = at(13 * DAY_MS + HOUR_MS);
      expect(await sweep(remindAt, [id])).toEqual({ expired: [], reminded: [id] });
      expect(await row(id)).toMatchObject({ status: "active", remindedAt: remindAt, revision: 4 });
      expect(await notes(id)).toEqual([
        {
          kind: "access.expiring",
          title: "Your access to Sales Orders / orders expires on 2026-12-21",
          body: "Access ends on 2026-12-21 10:00 UTC; ask for an extension on the request page if you still need it.",
          to: VERA,
        },
      ]);
      expect((await audit(id)).map((e) => [e.action, e.actor])).toEqual([["access.reminded", "system"]]);

      // Later sweeps stay quiet until the end, then expire it.
      expect(await sweep(at(15 * DAY_MS), [id])).toEqual({ expired: [], reminded: [] });
      expect(await sweep(at(19 * DAY_MS), [id])).toEqual({ expired: [], reminded: [] });
      expect(await notes(id)).toHaveLength(1);
      expect(await sweep(at(20 * DAY_MS), [id])).toEqual({ expired: [id], reminded: [] });
    });

    it("reminds again after an approved extension clears the reminder", async () => {
      const id = await activeGrant("order-lines", at(3 * DAY_MS));
      expect((await sweep(NOW, [id])).reminded).toEqual([id]);
      // The core's decideExtension moves the end and clears remindedAt.
      await db().accessRequest.update({ where: { id }, data: { expiresAt: at(33 * DAY_MS), remindedAt: null, revision: { increment: 1 } } });
      expect((await sweep(at(DAY_MS), [id])).reminded).toEqual([]);
      expect((await sweep(at(27 * DAY_MS), [id])).reminded).toEqual([id]);
      expect((await notes(id)).map((n) => n.title)).toEqual([
        "Your access to Sales Orders / order-lines expires on 2026-12-04",
        "Your access to Sales Orders / order-lines expires on 2027-01-03",
      ]);
    });

    it("tells the requester when an extension is already waiting", async () => {
      const id = await activeGrant("orders-daily-export", at(5 * DAY_MS), { extensionDays: 90 });
      await sweep(NOW, [id]);
      expect((await notes(id))[0]!.body).toBe("Access ends on 2026-12-06 10:00 UTC. Your extension of 90 days is waiting for a decision.");
    });

    it("never touches a grant without an end", async () => {
      const id = await activeGrant("orders", null);
      for (const t of [NOW, at(7 * DAY_MS), at(400 * DAY_MS)]) expect(await sweep(t, [id])).toEqual({ expired: [], reminded: [] });
      expect(await row(id)).toMatchObject({ status: "active", remindedAt: null, revision: 3 });
      expect(await notes(id)).toEqual([]);
      expect(await audit(id)).toEqual([]);
    });

    it("leaves grants that are not active alone", async () => {
      const id = await activeGrant("orders", at(-DAY_MS));
      await db().accessRequest.update({ where: { id }, data: { status: "revoked" } });
      const soon = await activeGrant("orders", at(DAY_MS));
      await db().accessRequest.update({ where: { id: soon }, data: { status: "provisioning" } });
      expect(await sweep(NOW, [id, soon])).toEqual({ expired: [], reminded: [] });
    });
  });

  describe("scheduling", () => {
    it("enqueues one sweep per five-minute slot, however many replicas ask, and the job runs the sweep", async () => {
      // Revoke jobs from the tests above are not this test's business.
      await db().job.deleteMany({});
      const t = at(400 * DAY_MS);
      const id = await activeGrant("orders-daily-export", at(399 * DAY_MS));
      const a = await scheduleAccessSweep(db(), t);
      const b = await scheduleAccessSweep(db(), new Date(t.getTime() + 1_000));
      expect(b.id).toBe(a.id);
      const c = await scheduleAccessSweep(db(), new Date(t.getTime() + 5 * 60_000));
      expect(c.id).not.toBe(a.id);
      expect(await db().job.count({ where: { kind: ACCESS_EXPIRY_JOB } })).toBe(2);

      const worker = createWorker({ db: db(), handlers: { [ACCESS_EXPIRY_JOB]: accessExpiryHandler({ now: () => t }) }, now: () => t });
      expect(await worker.runOnce()).toBe(1);
      const done = await db().job.findUniqueOrThrow({ where: { id: a.id } });
      expect(done.status).toBe("succeeded");
      expect(done.result).toMatchObject({ expired: expect.any(Number), ids: { expired: expect.arrayContaining([id]) } });
      expect((await row(id)).status).toBe("expired");
    });
  });
});
