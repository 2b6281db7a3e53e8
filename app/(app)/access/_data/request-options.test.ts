import { beforeAll, expect, it } from "vitest";
import { seedDemoMesh } from "@/lib/demo/seed";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal } from "@/test/support/seeded";
import { portTerms, principalOptions } from "./request-options";

describeEachDatabase("the request form's choices", (testDb) => {
  beforeAll(async () => {
    await seedDemoMesh(testDb().prisma);
  });

  it("offers a consumer their teams and identity-provider groups, and no products they do not own", async () => {
    const db = testDb().prisma;
    const carlos = await personaPrincipal(db, "consumer");
    await db.user.update({ where: { id: carlos.id }, data: { groups: ["finance-analysts", "bi-readers"] } });
    const options = await principalOptions(db, carlos);
    // The team is listed once, as a team, even when the identity provider names the same group.
    expect(options.groups).toEqual([
      { ref: "finance-analysts", label: "Finance Analysts", kind: "team" },
      { ref: "bi-readers", label: "bi-readers", kind: "group" },
    ]);
    expect(options.products).toEqual([]);
  });

  it("offers an owner the products she owns, except the one she requests access to and retired ones", async () => {
    const db = testDb().prisma;
    const olivia = await personaPrincipal(db, "owner");
    const pipeline = await db.dataProduct.findUniqueOrThrow({ where: { slug: "sales-pipeline" }, select: { id: true } });
    const slugs = (await principalOptions(db, olivia, pipeline.id)).products.map((p) => p.slug);
    expect(slugs).toContain("daily-sales-kpis");
    expect(slugs).toContain("sales-forecast-v2");
    expect(slugs).not.toContain("sales-pipeline");
    const owned = await db.dataProduct.findMany({
      where: { OR: [{ owners: { some: { userId: olivia.id } } }, { ownerTeamId: { in: [...olivia.teamIds] } }] },
      select: { slug: true, status: true },
    });
    for (const p of owned.filter((o) => o.status === "retired")) expect(slugs).not.toContain(p.slug);
    // Nobody else's products.
    expect(slugs).not.toContain("shipments");
  });

  it("reads each port's terms of use and whether it needs two approvals", async () => {
    const db = testDb().prisma;
    const master = await db.dataProduct.findUniqueOrThrow({ where: { slug: "customer-master" }, select: { id: true } });
    const terms = await portTerms(db, master.id);
    expect(terms.customers).toMatchObject({ twoSteps: true, piiPurposes: ["customer-service", "fraud-prevention"] });
    expect(terms.customers!.limitations).toContain("DPIA");
    expect(terms["customers-pseudonymised"]).toMatchObject({ twoSteps: false });
  });
});
