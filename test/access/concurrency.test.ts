import { beforeAll, expect, it } from "vitest";
import { ACCESS_GRANT_JOB, ACCESS_REVOKE_JOB } from "@/lib/access/jobs";
import { decideAccess, decideExtension, requestAccess, requestExtension, revokeAccess, type AccessRequestDetail } from "@/lib/access/service";
import { seedDemoMesh } from "@/lib/demo/seed";
import { ConflictError } from "@/lib/errors";
import { describeEachDatabase } from "@/test/support/db";
import { ask, auditActions, jobsFor, later, loadPeople, notificationsFor, NOW, type People, type Person } from "@/test/access/helpers";

const PARALLEL = 20;
/** Everyone who may decide on a Sales Pipeline request: owners Olivia and Priya, steward Marcus, admin Arjun. */
const DECIDERS: Person[] = ["olivia", "priya", "marcus", "arjun"];

describeEachDatabase("two approvers deciding at the same moment", (testDb) => {
  let p: People;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    p = await loadPeople(db);
  });

  async function freshRequest(requester: Person) {
    const db = testDb().prisma;
    await db.accessRequest.updateMany({
      where: { requesterId: p[requester].user.id, status: { in: ["pending", "provisioning", "active"] }, port: { name: "opportunities", product: { slug: "sales-pipeline" } } },
      data: { status: "expired" },
    });
    return requestAccess(db, p[requester], ask("sales-pipeline", "opportunities"), NOW);
  }

  /** Runs the calls together and splits the outcomes; anything but a 409 is a failure of the test. */
  async function race<T>(calls: (() => Promise<T>)[]) {
    const results = await Promise.allSettled(calls.map((c) => c()));
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [{ i, value: r.value }] : []));
    const lost = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
    for (const err of lost) {
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).status).toBe(409);
    }
    return { won, lost };
  }

  it(`${PARALLEL} parallel approve and reject calls: one decision, one audit event, one job at most, and a clear message to the others`, async () => {
    const db = testDb().prisma;
    const r = await freshRequest("carlos");
    const { won, lost } = await race(
      Array.from({ length: PARALLEL }, (_, i) => () =>
        decideAccess(db, p[DECIDERS[i % DECIDERS.length]!], { requestId: r.id, decision: i % 2 ? "reject" : "approve", note: `call ${i}` }, NOW),
      ),
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(PARALLEL - 1);
    const winner = won[0]!;
    const approved = winner.i % 2 === 0;
    const who = p[DECIDERS[winner.i % DECIDERS.length]!].user.name;
    for (const err of lost) expect(err.message).toBe(`Already decided by ${who} a moment ago (${approved ? "approved" : "rejected"})`);

    const row = await db.accessRequest.findUniqueOrThrow({ where: { id: r.id }, include: { approvals: true } });
    expect(row.status).toBe(approved ? "provisioning" : "rejected");
    expect(row.decisionNote).toBe(`call ${winner.i}`);
    expect(row.revision).toBe(r.revision + 1);
    expect(row.approvals).toHaveLength(1);
    const decisions = (await auditActions(db, r.id)).filter((e) => e.action === "access.approved" || e.action === "access.rejected");
    expect(decisions).toHaveLength(1);
    expect((await jobsFor(db, r.id)).filter((j) => j.kind === ACCESS_GRANT_JOB)).toHaveLength(approved ? 1 : 0);
    const toRequester = (await notificationsFor(db, r.id)).filter((n) => n.user.email === "carlos.consumer@canopy.demo");
    expect(toRequester).toHaveLength(1);
  });

  it(`${PARALLEL} parallel approvals: exactly one grant job`, async () => {
    const db = testDb().prisma;
    const r = await freshRequest("elena");
    const { won } = await race(
      Array.from({ length: PARALLEL }, (_, i) => () => decideAccess(db, p[DECIDERS[i % DECIDERS.length]!], { requestId: r.id, decision: "approve" }, NOW)),
    );
    expect(won).toHaveLength(1);
    expect((won[0]!.value as AccessRequestDetail).status).toBe("provisioning");
    expect((await jobsFor(db, r.id)).map((j) => j.kind)).toEqual([ACCESS_GRANT_JOB]);
    expect((await auditActions(db, r.id)).map((e) => e.action)).toEqual(["access.requested", "access.approved"]);
  });

  it("parallel step 1 approvals made on the same page: one step approval, the rest told step 1 is done", async () => {
    const db = testDb().prisma;
    const r = await requestAccess(db, p.noah, ask("customer-master", "customers", { purposeCategory: "fraud-prevention" }), NOW);
    // Step 1 of Customer Master's customers port: Jonas (named), Sofia (steward), Arjun (admin).
    const stepOne: Person[] = ["jonas", "sofia", "arjun"];
    const { won, lost } = await race(
      Array.from({ length: 12 }, (_, i) => () => decideAccess(db, p[stepOne[i % 3]!], { requestId: r.id, decision: "approve", revision: r.revision }, NOW)),
    );
    expect(won).toHaveLength(1);
    const who = p[stepOne[won[0]!.i % 3]!].user.name;
    for (const err of lost) expect(err.message).toBe(`Step 1 was already approved by ${who} a moment ago; the request now waits for step 2`);
    const row = await db.accessRequest.findUniqueOrThrow({ where: { id: r.id }, include: { approvals: true } });
    expect(row).toMatchObject({ status: "pending", level: 2 });
    expect(row.approvals).toHaveLength(1);
    expect(await jobsFor(db, r.id)).toEqual([]);
  });

  it("parallel revocations: one revocation, one revoke job", async () => {
    const db = testDb().prisma;
    const r = await freshRequest("noah");
    await decideAccess(db, p.olivia, { requestId: r.id, decision: "approve" }, NOW);
    const { won, lost } = await race(Array.from({ length: 10 }, (_, i) => () => revokeAccess(db, p[DECIDERS[i % DECIDERS.length]!], { requestId: r.id }, later(1))));
    expect(won).toHaveLength(1);
    for (const err of lost) expect(err.message).toMatch(/^Already revoked by .+ a moment ago$/);
    expect((await jobsFor(db, r.id)).filter((j) => j.kind === ACCESS_REVOKE_JOB)).toHaveLength(1);
    expect((await auditActions(db, r.id)).filter((e) => e.action === "access.revoked")).toHaveLength(1);
  });

  it("parallel extension decisions: the end moves once", async () => {
    const db = testDb().prisma;
    const r = await freshRequest("aisha");
    await decideAccess(db, p.olivia, { requestId: r.id, decision: "approve" }, NOW);
    await db.accessRequest.update({ where: { id: r.id }, data: { status: "active", revision: { increment: 1 } } });
    await requestExtension(db, p.aisha, { requestId: r.id, days: 30 }, later(80));
    const { won } = await race(
      Array.from({ length: 10 }, (_, i) => () =>
        decideExtension(db, p[DECIDERS[i % DECIDERS.length]!], { requestId: r.id, decision: i % 2 ? "reject" : "approve" }, later(81)),
      ),
    );
    expect(won).toHaveLength(1);
    const row = await db.accessRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(row.expiresAt).toEqual(won[0]!.i % 2 ? later(90) : later(120));
    expect(await db.accessApproval.count({ where: { requestId: r.id, level: 0 } })).toBe(1);
  });
});
