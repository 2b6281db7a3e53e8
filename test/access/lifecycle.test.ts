import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_GRANT_JOB, ACCESS_REVOKE_JOB } from "@/lib/access/jobs";
import {
  cancelRequest,
  countWaiting,
  decideAccess,
  decideExtension,
  listAccessInbox,
  requestAccess,
  requestExtension,
  retryProvisioning,
  revokeAccess,
} from "@/lib/access/service";
import { seedDemoMesh } from "@/lib/demo/seed";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { describeEachDatabase } from "@/test/support/db";
import { principalByEmail } from "@/test/support/seeded";
import { ask, auditActions, DAY_MS, jobsFor, later, loadPeople, notificationsFor, NOW, refusal, type People, type Person } from "@/test/access/helpers";

describeEachDatabase("the life of a grant: cancel, revoke, extend, retry", (testDb) => {
  let p: People;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    p = await loadPeople(db);
  });

  /** Clears earlier fixtures for this requester and port, so a new request is not a duplicate. */
  async function fresh(requester: Person, product: string, port: string) {
    await testDb().prisma.accessRequest.updateMany({
      where: { requesterId: p[requester].user.id, status: { in: ["pending", "provisioning", "active"] }, port: { name: port, product: { slug: product } } },
      data: { status: "expired" },
    });
  }

  /** A pending request by Carlos for Sales Pipeline (owners Olivia and Priya, steward Marcus). */
  async function pending(requester: Person = "carlos") {
    await fresh(requester, "sales-pipeline", "opportunities");
    return requestAccess(testDb().prisma, p[requester], ask("sales-pipeline", "opportunities"), NOW);
  }

  /** The same, approved by Olivia and provisioned (what the grant job does), with its end `days` from NOW. */
  async function active(days = 90, requester: Person = "carlos") {
    const r = await pending(requester);
    await decideAccess(testDb().prisma, p.olivia, { requestId: r.id, decision: "approve" }, NOW);
    await testDb().prisma.accessRequest.update({ where: { id: r.id }, data: { status: "active", expiresAt: later(days), revision: { increment: 1 } } });
    return r;
  }

  const status = async (id: string) => (await testDb().prisma.accessRequest.findUniqueOrThrow({ where: { id } })).status;

  describe("cancel", () => {
    it("lets the requester withdraw a pending request; the approvers hear of it", async () => {
      const db = testDb().prisma;
      const r = await pending();
      const c = await cancelRequest(db, p.carlos, { requestId: r.id }, NOW);
      expect(c.status).toBe("cancelled");
      expect(c.actions).toMatchObject({ cancel: false, approve: false });
      expect((await auditActions(db, r.id)).map((e) => e.action)).toEqual(["access.requested", "access.cancelled"]);
      const told = (await notificationsFor(db, r.id)).filter((x) => x.kind === "access.cancelled").map((x) => x.user.email).sort();
      expect(told).toEqual(["olivia.owner@canopy.demo", "priya.nair@canopy.demo"]);
    });

    it("lets nobody else cancel, not the owner, not an admin", async () => {
      const r = await pending();
      for (const who of ["olivia", "arjun", "marcus"] as const) {
        const err = await refusal(() => cancelRequest(testDb().prisma, p[who], { requestId: r.id }, NOW));
        expect(err, who).toBeInstanceOf(ForbiddenError);
        expect(err.message).toBe("Only the requester can cancel a request");
      }
      await expect(cancelRequest(testDb().prisma, p.tom, { requestId: r.id }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      expect(await status(r.id)).toBe("pending");
    });

    it("refuses to cancel twice, or once decided", async () => {
      const r = await pending();
      await cancelRequest(testDb().prisma, p.carlos, { requestId: r.id }, NOW);
      expect((await refusal(() => cancelRequest(testDb().prisma, p.carlos, { requestId: r.id }, NOW))).message).toBe("You already cancelled this request a moment ago");
      const approved = await pending();
      await decideAccess(testDb().prisma, p.priya, { requestId: approved.id, decision: "approve" }, NOW);
      const err = await refusal(() => cancelRequest(testDb().prisma, p.carlos, { requestId: approved.id }, NOW));
      expect(err.status).toBe(409);
      expect(err.message).toBe("Already decided by Priya Nair a moment ago (approved); ask the product's owners to revoke access if you no longer need it");
    });
  });

  describe("revoke", () => {
    for (const who of ["olivia", "priya", "marcus", "arjun"] as const)
      it(`lets ${who} revoke early (owners, the domain's steward, admins); the grant's resources are removed by a job`, async () => {
        const db = testDb().prisma;
        const r = await active();
        const v = await revokeAccess(db, p[who], { requestId: r.id, note: "Board pack is done" }, later(5));
        expect(v).toMatchObject({ status: "revoked", revokedAt: later(5).toISOString(), revokedBy: p[who].user.name, extensionDays: null });
        expect((await jobsFor(db, r.id)).map((j) => j.kind)).toEqual([ACCESS_GRANT_JOB, ACCESS_REVOKE_JOB]);
        const event = (await auditActions(db, r.id)).at(-1)!;
        expect(event).toMatchObject({ action: "access.revoked", actorLabel: p[who].user.email, after: expect.objectContaining({ note: "Board pack is done" }) });
        const note = (await notificationsFor(db, r.id)).find((x) => x.kind === "access.revoked")!;
        expect(note.user.email).toBe("carlos.consumer@canopy.demo");
        expect(note.body).toContain("Board pack is done");
      });

    it("does not let the requester, a named approver who does not own the product, or outsiders revoke", async () => {
      const db = testDb().prisma;
      const r = await active();
      await expect(revokeAccess(db, p.carlos, { requestId: r.id }, NOW)).rejects.toThrow("Only the product's owners, stewards of its domain and platform admins can revoke access");
      for (const who of ["tom", "sofia", "hannah"] as const) await expect(revokeAccess(db, p[who], { requestId: r.id }, NOW), who).rejects.toBeInstanceOf(NotFoundError);

      await db.outputPort.updateMany({ where: { product: { slug: "returns" }, name: "returns" }, data: { contract: { approvers: ["mei.chen@canopy.demo"] } } });
      await fresh("carlos", "returns", "returns");
      const named = await requestAccess(db, p.carlos, ask("returns", "returns"), NOW);
      const mei = { user: await principalByEmail(db, "mei.chen@canopy.demo"), actor: { id: null, label: "mei.chen@canopy.demo" } };
      await decideAccess(db, mei, { requestId: named.id, decision: "approve" }, NOW);
      await expect(revokeAccess(db, mei, { requestId: named.id }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
      expect(await status(named.id)).toBe("provisioning");
    });

    it("revokes a grant still provisioning or whose provisioning failed, and nothing that was never granted", async () => {
      const db = testDb().prisma;
      const provisioning = await pending();
      await decideAccess(db, p.olivia, { requestId: provisioning.id, decision: "approve" }, NOW);
      expect((await revokeAccess(db, p.olivia, { requestId: provisioning.id }, NOW)).status).toBe("revoked");

      const failed = await active();
      await db.accessRequest.update({ where: { id: failed.id }, data: { status: "failed" } });
      expect((await revokeAccess(db, p.arjun, { requestId: failed.id }, NOW)).status).toBe("revoked");

      const open = await pending();
      expect((await refusal(() => revokeAccess(db, p.olivia, { requestId: open.id }, NOW))).message).toBe("This request is still waiting for a decision: reject it instead");
      expect((await refusal(() => revokeAccess(db, p.olivia, { requestId: provisioning.id }, later(1)))).message).toBe("Already revoked by Olivia Owner yesterday");
      const expired = await active();
      await db.accessRequest.update({ where: { id: expired.id }, data: { status: "expired", expiresAt: new Date("2026-11-30T00:00:00Z") } });
      expect((await refusal(() => revokeAccess(db, p.olivia, { requestId: expired.id }, NOW))).message).toBe("This grant already expired on 2026-11-30");
      // Only one revocation job per request, whatever happens.
      expect((await jobsFor(db, provisioning.id)).filter((j) => j.kind === ACCESS_REVOKE_JOB)).toHaveLength(1);
    });
  });

  describe("extensions", () => {
    it("lets the requester ask before expiry; the approvers are asked, and see it in their inbox", async () => {
      const db = testDb().prisma;
      const r = await active(60);
      const asked = await requestExtension(db, p.carlos, { requestId: r.id, days: 90 }, later(50));
      expect(asked).toMatchObject({ status: "active", extensionDays: 90 });
      expect(asked.actions).toMatchObject({ extend: false, decideExtension: false });
      const note = (await notificationsFor(db, r.id)).filter((x) => x.kind === "access.extension_requested");
      expect(note.map((x) => x.user.email).sort()).toEqual(["olivia.owner@canopy.demo", "priya.nair@canopy.demo"]);
      expect(note[0]!.body).toBe("Access runs until 2027-01-30; approved, it would run until 2027-04-30.");
      const waiting = await listAccessInbox(db, p.olivia.user, { tab: "waiting" }, later(50));
      expect(waiting.find((i) => i.id === r.id)).toMatchObject({ extensionDays: 90, actions: { decideExtension: true, approve: false } });
      expect(await countWaiting(db, p.olivia.user, later(50))).toBe(waiting.length);

      expect((await refusal(() => requestExtension(db, p.carlos, { requestId: r.id, days: 30 }, later(50)))).message).toBe(
        "An extension of 90 days is already waiting for a decision",
      );
    });

    it("approved, moves the end by the days asked for and resets the reminder; rejected, changes nothing", async () => {
      const db = testDb().prisma;
      const r = await active(60);
      await db.accessRequest.update({ where: { id: r.id }, data: { remindedAt: later(53) } });
      await requestExtension(db, p.carlos, { requestId: r.id, days: 30 }, later(55));
      const yes = await decideExtension(db, p.priya, { requestId: r.id, decision: "approve", note: "One more quarter close" }, later(56));
      expect(yes).toMatchObject({ status: "active", extensionDays: null, expiresAt: later(90).toISOString(), remindedAt: null });
      expect(yes.approvals.at(-1)).toMatchObject({ level: 0, decision: "approved", decider: { email: "priya.nair@canopy.demo" }, note: "One more quarter close" });
      expect((await auditActions(db, r.id)).map((e) => e.action).slice(-2)).toEqual(["access.extension_requested", "access.extension_approved"]);
      const told = (await notificationsFor(db, r.id)).find((x) => x.kind === "access.extension_approved")!;
      expect(told).toMatchObject({ user: { email: "carlos.consumer@canopy.demo" } });
      expect(told.body).toContain("until 2027-03-01");
      // Decided already.
      expect((await refusal(() => decideExtension(db, p.olivia, { requestId: r.id, decision: "reject" }, later(56)))).message).toBe(
        "Already decided by Priya Nair a moment ago (approved)",
      );

      await requestExtension(db, p.carlos, { requestId: r.id, days: 30 }, later(80));
      const no = await decideExtension(db, p.marcus, { requestId: r.id, decision: "reject", note: "Ask for the aggregated view" }, later(81));
      expect(no).toMatchObject({ extensionDays: null, expiresAt: later(90).toISOString() });
      expect((await notificationsFor(db, r.id)).find((x) => x.kind === "access.extension_rejected")!.body).toContain("Access still ends on 2027-03-01");
    });

    it("is asked by the requester only and decided by the approvers only", async () => {
      const db = testDb().prisma;
      const r = await active(60);
      await expect(requestExtension(db, p.olivia, { requestId: r.id, days: 30 }, NOW)).rejects.toThrow("Only the requester can ask for an extension");
      await expect(requestExtension(db, p.tom, { requestId: r.id, days: 30 }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      await requestExtension(db, p.carlos, { requestId: r.id, days: 30 }, NOW);
      await expect(decideExtension(db, p.carlos, { requestId: r.id, decision: "approve" }, NOW)).rejects.toThrow(/Nobody decides on their own request/);
      await expect(decideExtension(db, p.sofia, { requestId: r.id, decision: "approve" }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      expect((await decideExtension(db, p.arjun, { requestId: r.id, decision: "approve" }, NOW)).expiresAt).toBe(later(90).toISOString());
    });

    it("only extends a live grant, within the policy cap", async () => {
      const db = testDb().prisma;
      const open = await pending();
      expect((await refusal(() => requestExtension(db, p.carlos, { requestId: open.id, days: 30 }, NOW))).message).toBe("Only an active grant can be extended; this one is pending");

      const r = await active(300);
      const capped = await refusal(() => requestExtension(db, p.carlos, { requestId: r.id, days: 90 }, NOW));
      expect(capped).toMatchObject({ status: 400 });
      expect(capped.fieldErrors?.days?.[0]).toBe("Access lasts at most 365 days from today: ask for 30 days");
      expect((await requestExtension(db, p.carlos, { requestId: r.id, days: 30 }, NOW)).extensionDays).toBe(30);
      // The approver cannot decide once the grant ran out.
      const err = await refusal(() => decideExtension(db, p.olivia, { requestId: r.id, decision: "approve" }, later(301)));
      expect(err.message).toBe("This grant expired on 2027-09-27; request access again");

      const full = await active(350, "elena");
      expect((await refusal(() => requestExtension(db, p.elena, { requestId: full.id, days: 30 }, NOW))).message).toBe(
        "This grant already runs close to the 365-day limit; ask for an extension nearer its end",
      );
      const invalid = await refusal(() => requestExtension(db, p.elena, { requestId: full.id, days: 45 }, NOW));
      expect(invalid.fieldErrors?.days?.[0]).toMatch(/30, 90, 180/);
    });
  });

  describe("retry", () => {
    it("puts a failed grant back to provisioning with a new grant job, for owners and admins", async () => {
      const db = testDb().prisma;
      const r = await active(60);
      await db.accessRequest.update({ where: { id: r.id }, data: { status: "failed" } });
      await expect(retryProvisioning(db, p.carlos, { requestId: r.id }, NOW)).rejects.toThrow("Only the product's owners and platform admins can retry provisioning");
      await expect(retryProvisioning(db, p.marcus, { requestId: r.id }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
      const again = await retryProvisioning(db, p.olivia, { requestId: r.id }, NOW);
      expect(again.status).toBe("provisioning");
      const jobs = await jobsFor(db, r.id);
      expect(jobs.map((j) => j.kind)).toEqual([ACCESS_GRANT_JOB, ACCESS_GRANT_JOB]);
      expect(new Set(jobs.map((j) => j.idempotencyKey)).size).toBe(2);
      expect((await auditActions(db, r.id)).at(-1)).toMatchObject({ action: "access.retried", actorLabel: "olivia.owner@canopy.demo" });
      expect((await refusal(() => retryProvisioning(db, p.arjun, { requestId: r.id }, NOW))).message).toBe("Provisioning is already running again");
    });

    it("refuses to retry what did not fail, or a grant whose end has passed", async () => {
      const db = testDb().prisma;
      const r = await active(10);
      expect((await refusal(() => retryProvisioning(db, p.olivia, { requestId: r.id }, NOW))).message).toBe(
        "Only a grant whose provisioning failed can be retried; this request is active",
      );
      await db.accessRequest.update({ where: { id: r.id }, data: { status: "failed" } });
      expect((await refusal(() => retryProvisioning(db, p.arjun, { requestId: r.id }, new Date(NOW.getTime() + 11 * DAY_MS)))).message).toBe(
        "This grant's end date (2026-12-11) has passed; the requester can ask for access again",
      );
    });
  });
});
