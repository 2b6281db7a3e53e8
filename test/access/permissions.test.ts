import { beforeAll, expect, it } from "vitest";
import {
  accessRequestRefSelect,
  decidableRequestsWhere,
  ownRequestsWhere,
  retryableRequestsWhere,
  revocableRequestsWhere,
  toAccessRequestRef,
  viewableRequestsWhere,
} from "@/lib/access/queries";
import { decideAccess, listAccessInbox, requestAccess } from "@/lib/access/service";
import { can, type Action, type Principal } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db/generated/client";
import { DEMO_PERSONA_KEYS } from "@/lib/demo/personas";
import { seedDemoMesh } from "@/lib/demo/seed";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal, principalByEmail } from "@/test/support/seeded";
import { ask, loadPeople, NOW } from "@/test/access/helpers";

/** Each access permission and its `where` twin. */
const TWINS: [Action, (u: Principal) => Prisma.AccessRequestWhereInput][] = [
  ["access.view", viewableRequestsWhere],
  ["access.decide", decidableRequestsWhere],
  ["access.cancel", ownRequestsWhere],
  ["access.extend", ownRequestsWhere],
  ["access.revoke", revocableRequestsWhere],
  ["access.retry", retryableRequestsWhere],
];

/** The personas, and people in the other roles the rules name: a teammate owner, a named approver, another domain's steward… */
const OTHERS = [
  "priya.nair@canopy.demo",
  "jonas.eriksson@canopy.demo",
  "marcus.lindqvist@canopy.demo",
  "tom.becker@canopy.demo",
  "mei.chen@canopy.demo",
  "hannah.okafor@canopy.demo",
  "aisha.rahman@canopy.demo",
];

describeEachDatabase("access permissions and their where clauses", (testDb) => {
  let people: Principal[];

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    const p = await loadPeople(db);
    // Requests in the states and shapes the rules distinguish, on top of the demo's.
    await db.outputPort.updateMany({ where: { product: { slug: "returns" }, name: "returns" }, data: { contract: { approvers: ["mei.chen@canopy.demo"], secondLevelApprovers: ["aisha.rahman@canopy.demo"] } } });
    const named = await requestAccess(db, p.carlos, ask("returns", "returns"), NOW);
    const step2 = await requestAccess(db, p.elena, ask("customer-master", "customers"), NOW);
    await decideAccess(db, p.jonas, { requestId: step2.id, decision: "approve" }, NOW);
    const byAdmin = await requestAccess(db, p.arjun, ask("sales-pipeline", "opportunities"), NOW);
    const byOwner = await requestAccess(db, p.olivia, ask("shipments", "shipments"), NOW);
    const decided = await requestAccess(db, p.noah, ask("sales-pipeline", "stage-history"), NOW);
    await decideAccess(db, p.marcus, { requestId: decided.id, decision: "reject" }, NOW);
    expect([named, step2, byAdmin, byOwner, decided].every(Boolean)).toBe(true);

    people = [...(await Promise.all(DEMO_PERSONA_KEYS.map((k) => personaPrincipal(db, k)))), ...(await Promise.all(OTHERS.map((e) => principalByEmail(db, e))))];
  });

  it("selects exactly the requests can() allows, for every person and every access permission", async () => {
    const db = testDb().prisma;
    const all = await db.accessRequest.findMany({ select: { id: true, ...accessRequestRefSelect } });
    expect(all.length).toBeGreaterThan(10);
    for (const user of people) {
      for (const [action, twin] of TWINS) {
        const expected = all.filter((r) => can(user, action, toAccessRequestRef(r))).map((r) => r.id).sort();
        const selected = (await db.accessRequest.findMany({ where: twin(user), select: { id: true } })).map((r) => r.id).sort();
        expect(selected, `${action} for ${user.email}`).toEqual(expected);
      }
    }
  });

  it("covers both answers for each permission, so the comparison above means something", async () => {
    const db = testDb().prisma;
    const all = await db.accessRequest.findMany({ select: { id: true, ...accessRequestRefSelect } });
    for (const [action] of TWINS) {
      const answers = new Set(people.flatMap((u) => all.map((r) => can(u, action, toAccessRequestRef(r)))));
      expect([...answers].sort(), action).toEqual([false, true]);
    }
  });

  it("lists in every inbox tab only requests the user may see", async () => {
    const db = testDb().prisma;
    for (const user of people) {
      for (const tab of ["waiting", "mine", "decided"] as const) {
        const items = await listAccessInbox(db, user, { tab }, NOW);
        const rows = await db.accessRequest.findMany({ where: { id: { in: items.map((i) => i.id) } }, select: accessRequestRefSelect });
        for (const r of rows) expect(can(user, "access.view", toAccessRequestRef(r)), `${tab} for ${user.email}`).toBe(true);
        if (tab === "waiting") for (const r of rows) expect(can(user, "access.decide", toAccessRequestRef(r)), `${tab} for ${user.email}`).toBe(true);
        if (tab === "mine") expect(items.every((i) => i.requester.email === user.email)).toBe(true);
      }
    }
  });
});
