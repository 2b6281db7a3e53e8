import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_GRANT_JOB } from "@/lib/access/jobs";
import { cancelRequest, decideAccess, decideMany, getRequestDetail, requestAccess } from "@/lib/access/service";
import { seedDemoMesh } from "@/lib/demo/seed";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { describeEachDatabase } from "@/test/support/db";
import { ask, auditActions, jobsFor, later, loadPeople, notificationsFor, NOW, refusal, type People, type Person } from "@/test/access/helpers";

describeEachDatabase("deciding on access requests", (testDb) => {
  let p: People;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    p = await loadPeople(db);
  });

  /** A fresh pending request (by Carlos unless said) for a Sales Pipeline port: owners Olivia and Priya, steward Marcus. */
  async function pipelineRequest(requester: Person = "carlos") {
    const db = testDb().prisma;
    // One open request per port and principal: close earlier ones of this fixture behind the workflow's back.
    await db.accessRequest.updateMany({
      where: { requesterId: p[requester].user.id, status: { in: ["pending", "provisioning", "active"] }, port: { name: "opportunities", product: { slug: "sales-pipeline" } } },
      data: { status: "expired" },
    });
    return requestAccess(db, p[requester], ask("sales-pipeline", "opportunities", { purposeCategory: "reporting" }), NOW);
  }

  describe("who may decide", () => {
    const allowed: Person[] = ["olivia", "priya", "marcus", "arjun"];
    const deniedAndHidden: Person[] = ["sofia", "tom", "hannah"];

    for (const who of allowed)
      it(`lets ${who} approve (owner, teammate owner, the domain's steward, admin)`, async () => {
        const r = await pipelineRequest();
        const decided = await decideAccess(testDb().prisma, p[who], { requestId: r.id, decision: "approve" }, NOW);
        expect(decided.status).toBe("provisioning");
      });

    for (const who of deniedAndHidden)
      it(`does not let ${who} decide (a steward of another domain, an owner of another product, another domain's steward)`, async () => {
        const r = await pipelineRequest();
        const err = await refusal(() => decideAccess(testDb().prisma, p[who], { requestId: r.id, decision: "approve" }, NOW));
        // They may not even see it.
        expect(err).toBeInstanceOf(NotFoundError);
        expect((await testDb().prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("pending");
      });

    it("never lets the requester decide their own request, even an admin or an owner", async () => {
      const own = await pipelineRequest();
      const err = await refusal(() => decideAccess(testDb().prisma, p.carlos, { requestId: own.id, decision: "approve" }, NOW));
      expect(err).toBeInstanceOf(ForbiddenError);
      expect(err.message).toMatch(/Nobody decides on their own request/);

      for (const who of ["arjun", "olivia"] as const) {
        const r = await pipelineRequest(who);
        expect(r.status).toBe(who === "olivia" ? "provisioning" : "pending"); // Olivia is in the owning team: the same-team rule
        if (who === "arjun") await expect(decideAccess(testDb().prisma, p.arjun, { requestId: r.id, decision: "approve" }, NOW)).rejects.toBeInstanceOf(ForbiddenError);
      }
    });

    it("lets the approvers a contract names decide instead of the owners; stewards and admins still may", async () => {
      const db = testDb().prisma;
      await db.outputPort.updateMany({ where: { product: { slug: "returns" }, name: "returns" }, data: { contract: { approvers: ["mei.chen@canopy.demo"] } } });
      const mei = await db.user.findUniqueOrThrow({ where: { email: "mei.chen@canopy.demo" } });
      const r = await requestAccess(db, p.carlos, ask("returns", "returns"), NOW);
      // Hannah owns Returns and stewards Logistics: as steward she may still decide; Lukas, an owner only, may not.
      const lukas = await loadPeopleByEmail("lukas.weber@canopy.demo");
      const err = await refusal(() => decideAccess(db, lukas, { requestId: r.id, decision: "approve" }, NOW));
      expect(err).toBeInstanceOf(ForbiddenError);
      expect(err.message).toMatch(/approvers the port's contract names/);
      const meiCtx = await loadPeopleByEmail(mei.email);
      expect((await decideAccess(db, meiCtx, { requestId: r.id, decision: "reject", note: "Use the aggregated view" }, NOW)).status).toBe("rejected");
    });
  });

  async function loadPeopleByEmail(email: string) {
    const { principalByEmail } = await import("@/test/support/seeded");
    const user = await principalByEmail(testDb().prisma, email);
    return { user, actor: { id: user.id, label: user.email } };
  }

  it("approves: provisioning, end date from the decision, a grant job, an approval, one audit event, and the requester told", async () => {
    const db = testDb().prisma;
    const r = await pipelineRequest();
    const at = later(2);
    const d = await decideAccess(db, p.olivia, { requestId: r.id, decision: "approve", note: "Fine for the board pack", revision: r.revision }, at);
    expect(d).toMatchObject({ status: "provisioning", decidedBy: "Olivia Owner", decisionNote: "Fine for the board pack", expiresAt: later(92).toISOString(), piiUnmasked: false });
    expect(d.actions).toMatchObject({ approve: false, reject: false, revoke: true });
    expect(d.approvals).toEqual([expect.objectContaining({ level: 1, decision: "approved", decider: { name: "Olivia Owner", email: "olivia.owner@canopy.demo" }, rule: null, note: "Fine for the board pack" })]);
    expect((await auditActions(db, r.id)).map((e) => e.action)).toEqual(["access.requested", "access.approved"]);
    const jobs = await jobsFor(db, r.id);
    expect(jobs).toEqual([expect.objectContaining({ kind: ACCESS_GRANT_JOB, payload: { requestId: r.id }, status: "pending" })]);
    const toCarlos = (await notificationsFor(db, r.id)).filter((x) => x.user.email === "carlos.consumer@canopy.demo");
    expect(toCarlos).toEqual([expect.objectContaining({ kind: "access.approved", title: "Access to Sales Pipeline / opportunities approved" })]);
    expect(toCarlos[0]!.body).toContain("Fine for the board pack");
  });

  it("rejects with a note: the requester is told why; no job", async () => {
    const db = testDb().prisma;
    const r = await pipelineRequest();
    const d = await decideAccess(db, p.marcus, { requestId: r.id, decision: "reject", note: "Use daily-sales-kpis for the board pack" }, NOW);
    expect(d).toMatchObject({ status: "rejected", decidedBy: "Marcus Lindqvist", decisionNote: "Use daily-sales-kpis for the board pack", expiresAt: null });
    expect(await jobsFor(db, r.id)).toEqual([]);
    const note = (await notificationsFor(db, r.id)).find((x) => x.kind === "access.rejected")!;
    expect(note.user.email).toBe("carlos.consumer@canopy.demo");
    expect(note.body).toContain("Use daily-sales-kpis for the board pack");
  });

  describe("invalid transitions answer 409 with what happened", () => {
    it("approving a cancelled request", async () => {
      const r = await pipelineRequest();
      await cancelRequest(testDb().prisma, p.carlos, { requestId: r.id }, NOW);
      const err = await refusal(() => decideAccess(testDb().prisma, p.olivia, { requestId: r.id, decision: "approve" }, later(0.01)));
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.status).toBe(409);
      expect(err.message).toBe("Carlos Consumer cancelled this request 14 minutes ago; there is nothing to decide");
    });

    it("deciding a request someone decided already", async () => {
      const r = await pipelineRequest();
      await decideAccess(testDb().prisma, p.priya, { requestId: r.id, decision: "reject" }, NOW);
      const err = await refusal(() => decideAccess(testDb().prisma, p.olivia, { requestId: r.id, decision: "approve" }, NOW));
      expect(err.message).toBe("Already decided by Priya Nair a moment ago (rejected)");
      const r2 = await pipelineRequest();
      await decideAccess(testDb().prisma, p.priya, { requestId: r2.id, decision: "approve" }, NOW);
      const err2 = await refusal(() => decideAccess(testDb().prisma, p.marcus, { requestId: r2.id, decision: "reject" }, later(3)));
      expect(err2.message).toBe("Already decided by Priya Nair 3 days ago (approved)");
    });

    it("deciding with a revision that is no longer current", async () => {
      const r = await pipelineRequest();
      const err = await refusal(() => decideAccess(testDb().prisma, p.olivia, { requestId: r.id, decision: "approve", revision: r.revision + 1 }, NOW));
      expect(err.message).toBe("This request changed since you opened it; reload it and decide again");
      expect((await testDb().prisma.accessRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("pending");
    });

    it("approving after the end date asked for has passed", async () => {
      const r = await requestAccess(testDb().prisma, p.elena, ask("sales-pipeline", "opportunities", { durationDays: undefined, until: "2026-12-05" }), NOW);
      const err = await refusal(() => decideAccess(testDb().prisma, p.olivia, { requestId: r.id, decision: "approve" }, later(10)));
      expect(err.message).toBe("The end date asked for (2026-12-05) has passed; reject the request and the requester can ask again");
      const ok = await decideAccess(testDb().prisma, p.olivia, { requestId: r.id, decision: "reject" }, later(10));
      expect(ok.status).toBe("rejected");
    });

    it("an unknown or malformed id is not found", async () => {
      await expect(decideAccess(testDb().prisma, p.olivia, { requestId: "7d1f5a9e-0000-4000-8000-000000000000", decision: "approve" }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      const bad = await refusal(() => decideAccess(testDb().prisma, p.olivia, { requestId: "nope", decision: "approve" }, NOW));
      expect(bad.fieldErrors?.requestId?.[0]).toBe("Not an access request id");
    });
  });

  describe("two steps", () => {
    it("goes through both steps in order: the contract's first approver, then the second; PII unmasked for a covered purpose", async () => {
      const db = testDb().prisma;
      const r = await requestAccess(db, p.carlos, ask("customer-master", "customers", { purposeCategory: "fraud-prevention", purpose: "Chargeback investigation for the fraud review, DPIA-2026-020." }), NOW);
      expect(r).toMatchObject({ status: "pending", level: 1, levels: 2 });
      expect((await notificationsFor(db, r.id)).map((x) => x.user.email)).toEqual(["jonas.eriksson@canopy.demo"]);

      // Olivia owns nothing here; Sofia may (she stewards the domain) but Jonas is the named approver.
      await expect(decideAccess(db, p.olivia, { requestId: r.id, decision: "approve" }, NOW)).rejects.toBeInstanceOf(NotFoundError);
      const step1 = await decideAccess(db, p.jonas, { requestId: r.id, decision: "approve", note: "DPIA checked" }, NOW);
      expect(step1).toMatchObject({ status: "pending", level: 2, levels: 2, decidedBy: null });
      expect(step1.approvers).toMatchObject({ current: [{ email: "sofia.steward@canopy.demo" }], next: [] });
      expect(await jobsFor(db, r.id)).toEqual([]);
      const notes = await notificationsFor(db, r.id);
      expect(notes.filter((x) => x.kind === "access.step_approved").map((x) => x.user.email)).toEqual(["carlos.consumer@canopy.demo"]);
      expect(notes.filter((x) => x.kind === "access.requested" && x.title.startsWith("Step 2 of 2")).map((x) => x.user.email)).toEqual(["sofia.steward@canopy.demo"]);

      // Jonas approved step 1: step 2 needs someone else, and he is not its approver anyway.
      const again = await refusal(() => decideAccess(db, p.jonas, { requestId: r.id, decision: "approve" }, NOW));
      expect(again).toBeInstanceOf(ForbiddenError);
      expect(again.message).toBe("You approved step 1; step 2 needs someone else");

      const done = await decideAccess(db, p.sofia, { requestId: r.id, decision: "approve" }, NOW);
      expect(done).toMatchObject({ status: "provisioning", level: 2, decidedBy: "Sofia Steward", piiUnmasked: true });
      expect(done.approvals.map((a) => [a.level, a.decision, a.decider?.email])).toEqual([
        [1, "approved", "jonas.eriksson@canopy.demo"],
        [2, "approved", "sofia.steward@canopy.demo"],
      ]);
      expect((await auditActions(db, r.id)).map((e) => e.action)).toEqual(["access.requested", "access.step_approved", "access.approved"]);
      expect(done.timeline.map((t) => t.summary)).toEqual(["Requested access", "Approved step 1 of 2", "Approved"]);
      expect((await jobsFor(db, r.id)).map((j) => j.kind)).toEqual([ACCESS_GRANT_JOB]);
      // Jonas still follows the request he decided on.
      expect(await getRequestDetail(db, p.jonas.user, r.id, NOW)).not.toBeNull();
    });

    it("does not unmask PII for a purpose the contract does not list", async () => {
      const db = testDb().prisma;
      const r = await requestAccess(db, p.elena, ask("customer-master", "customers", { purposeCategory: "analytics" }), NOW);
      expect(r.portDetail.columns.filter((c) => c.pii).every((c) => c.masked)).toBe(true);
      await decideAccess(db, p.jonas, { requestId: r.id, decision: "approve" }, NOW);
      const done = await decideAccess(db, p.arjun, { requestId: r.id, decision: "approve" }, NOW);
      expect(done.piiUnmasked).toBe(false);
    });

    it("does not let one admin approve both steps", async () => {
      const db = testDb().prisma;
      const r = await requestAccess(db, p.noah, ask("customer-master", "customers", { purposeCategory: "reporting" }), NOW);
      await decideAccess(db, p.arjun, { requestId: r.id, decision: "approve" }, NOW);
      await expect(decideAccess(db, p.arjun, { requestId: r.id, decision: "approve" }, NOW)).rejects.toThrow("You approved step 1; step 2 needs someone else");
      // A rejection on step 2 ends it.
      const rejected = await decideAccess(db, p.sofia, { requestId: r.id, decision: "reject", note: "No DPIA reference" }, NOW);
      expect(rejected).toMatchObject({ status: "rejected", level: 2 });
    });

    it("refuses a step 1 decision that arrives after step 1 was approved, saying so", async () => {
      const db = testDb().prisma;
      const r = await requestAccess(db, p.aisha, ask("customer-master", "customers-pseudonymised"), NOW);
      await db.accessRequest.update({ where: { id: r.id }, data: { levels: 2, secondApproverIds: [p.sofia.user.id] } });
      const seen = (await getRequestDetail(db, p.sofia.user, r.id, NOW))!;
      await decideAccess(db, p.jonas, { requestId: r.id, decision: "approve" }, NOW);
      const err = await refusal(() => decideAccess(db, p.sofia, { requestId: r.id, decision: "approve", revision: seen.revision }, NOW));
      expect(err.message).toBe("Step 1 was already approved by Jonas Eriksson a moment ago; the request now waits for step 2");
    });
  });

  it("decides in bulk, each request on its own", async () => {
    const db = testDb().prisma;
    const a = await pipelineRequest();
    const b = await pipelineRequest("elena");
    const mine = await requestAccess(db, p.olivia, ask("shipments", "tracking-api"), NOW);
    const result = await decideMany(db, p.olivia, { requestIds: [a.id, b.id, mine.id, a.id], decision: "approve", note: "Bulk" }, NOW);
    expect(result.decided.sort()).toEqual([a.id, b.id].sort());
    expect(result.failed).toEqual([{ id: mine.id, error: expect.stringMatching(/^Nobody decides on their own request/) }]);
    const hidden = await decideMany(db, p.tom, { requestIds: [b.id], decision: "reject" }, NOW);
    expect(hidden.failed).toEqual([{ id: b.id, error: "No such access request" }]);
    const again = await decideMany(db, p.priya, { requestIds: [a.id], decision: "reject" }, NOW);
    expect(again).toEqual({ decided: [], failed: [{ id: a.id, error: "Already decided by Olivia Owner a moment ago (approved)" }] });
    const tooMany = await refusal(() => decideMany(db, p.olivia, { requestIds: Array.from({ length: 101 }, () => a.id), decision: "approve" }, NOW));
    expect(tooMany.fieldErrors?.requestIds?.[0]).toBe("At most 100 requests at once");
  });
});
