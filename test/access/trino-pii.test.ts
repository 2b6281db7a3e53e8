import { beforeAll, expect, it } from "vitest";
import { buildTrinoRules, evaluateTableAccess, needsMask } from "@/lib/access/trino-rules";
import { decideAccess, requestAccess } from "@/lib/access/service";
import { seedDemoMesh } from "@/lib/demo/seed";
import { describeEachDatabase } from "@/test/support/db";
import { ask, loadPeople, NOW, type People } from "@/test/access/helpers";

const CUSTOMERS = { catalog: "iceberg", schema: "customer", table: "customers" };

it("masks PII unless the grant's purpose allows it, and restricted non-PII columns always", () => {
  expect(needsMask({ pii: true, classification: "restricted" })).toBe(true);
  expect(needsMask({ pii: true, classification: "restricted" }, true)).toBe(false);
  expect(needsMask({ pii: true, classification: "confidential" }, true)).toBe(false);
  expect(needsMask({ pii: false, classification: "restricted" }, true)).toBe(true);
  expect(needsMask({ pii: false, classification: "confidential" })).toBe(false);
});

describeEachDatabase("Trino rules for a grant whose purpose allows personal data", (testDb) => {
  let p: People;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db, { now: NOW });
    p = await loadPeople(db);
    // A restricted column that is not personal data, to show it stays masked.
    await db.schemaField.updateMany({ where: { name: "gdpr_erasure_requested", port: { name: "customers", product: { slug: "customer-master" } } }, data: { classification: "restricted" } });
  });

  /** Two approvals and what the grant job does (status active). */
  async function grant(who: "carlos" | "elena", purposeCategory: string) {
    const db = testDb().prisma;
    const r = await requestAccess(db, p[who], ask("customer-master", "customers", { purposeCategory }), NOW);
    await decideAccess(db, p.jonas, { requestId: r.id, decision: "approve" }, NOW);
    await decideAccess(db, p.sofia, { requestId: r.id, decision: "approve" }, NOW);
    await db.accessRequest.update({ where: { id: r.id }, data: { status: "active" } });
    return (await db.accessRequest.findUniqueOrThrow({ where: { id: r.id } })).piiUnmasked;
  }

  it("shows PII columns unmasked to a customer-service grant and masked to an analytics one; other restricted columns masked to both", async () => {
    const db = testDb().prisma;
    expect(await grant("carlos", "customer-service")).toBe(true);
    expect(await grant("elena", "analytics")).toBe(false);
    const rules = await buildTrinoRules(db, { now: NOW });
    const pii = (await db.schemaField.findMany({ where: { pii: true, port: { name: "customers", product: { slug: "customer-master" } } }, select: { name: true } })).map((f) => f.name).sort();
    expect(pii.length).toBeGreaterThan(3);

    const carlos = evaluateTableAccess(rules, { user: "carlos.consumer@canopy.demo" }, CUSTOMERS);
    expect(carlos.allowed).toBe(true);
    expect(carlos.masked).toEqual(["gdpr_erasure_requested"]);
    expect(carlos.rule?.description).toMatch(/personal data unmasked for its purpose/);

    const elena = evaluateTableAccess(rules, { user: "elena.rossi@canopy.demo" }, CUSTOMERS);
    expect(elena.allowed).toBe(true);
    expect([...elena.masked].sort()).toEqual([...pii, "gdpr_erasure_requested"].sort());
  });
});
