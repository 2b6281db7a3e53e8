import { beforeAll, expect, it } from "vitest";
import { can } from "@/lib/auth/permissions";
import { toProductRef } from "@/lib/catalog/queries";
import { seedDemoMesh } from "@/lib/demo/seed";
import { DEMO_PERSONA_KEYS } from "@/lib/demo/personas";
import { searchUpstreamProducts, slugAvailability, UPSTREAM_SEARCH_LIMIT } from "@/lib/drafts/catalogue";
import { loadWizardOptions } from "@/lib/drafts/wizard-options";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal } from "@/test/support/seeded";

describeEachDatabase("wizard catalogue reads", (testDb) => {
  beforeAll(async () => {
    await seedDemoMesh(testDb().prisma);
  });

  it("offers as upstream only published or deprecated products, never drafts — not even one's own", async () => {
    const db = testDb().prisma;
    const all = await db.dataProduct.findMany({ select: { slug: true, status: true, name: true, domainId: true, id: true, ownerTeamId: true, owners: { select: { userId: true } } } });
    expect(all.some((p) => p.status === "draft")).toBe(true);
    for (const key of DEMO_PERSONA_KEYS) {
      const user = await personaPrincipal(db, key);
      // Search by each product's own name, so the result limit does not hide anything.
      for (const p of all) {
        const found = (await searchUpstreamProducts(db, user, p.name)).map((r) => r.slug);
        const expected = (p.status === "published" || p.status === "deprecated") && can(user, "product.read", toProductRef(p));
        expect(found.includes(p.slug), `${key} / ${p.slug} (${p.status})`).toBe(expected);
      }
    }
  });

  it("returns each product's output ports and respects the limit", async () => {
    const db = testDb().prisma;
    const carlos = await personaPrincipal(db, "consumer");
    const all = await searchUpstreamProducts(db, carlos, "");
    expect(all.length).toBe(UPSTREAM_SEARCH_LIMIT);
    const orders = (await searchUpstreamProducts(db, carlos, "sales orders")).find((p) => p.slug === "sales-orders");
    expect(orders).toBeDefined();
    expect(orders!.ports.map((p) => p.name)).toContain("orders");
    expect(orders!.domain.slug).toBe("sales");
    expect(await searchUpstreamProducts(db, carlos, "zzzz-nothing-like-this")).toEqual([]);
  });

  it("reports taken and reserved slugs without saying more about the product", async () => {
    const db = testDb().prisma;
    expect(await slugAvailability(db, "sales-orders")).toEqual({ slug: "sales-orders", available: false, message: "This slug is already taken; choose another" });
    // A draft Carlos cannot read still holds its slug.
    const draft = await db.dataProduct.findFirstOrThrow({ where: { status: "draft" }, select: { slug: true } });
    expect((await slugAvailability(db, draft.slug)).available).toBe(false);
    expect(await slugAvailability(db, "sales-returns")).toEqual({ slug: "sales-returns", available: true });
    for (const reserved of ["new", "drafts", "import"]) expect((await slugAvailability(db, reserved)).available).toBe(false);
  });

  it("lists the domains a user may publish in, and whom to ask when there are none", async () => {
    const db = testDb().prisma;
    const olivia = await loadWizardOptions(db, await personaPrincipal(db, "owner"));
    expect(olivia.domains.map((d) => d.slug)).toEqual(["sales"]);
    expect(olivia.publishable).toEqual(["sales"]);
    expect(olivia.teams.map((t) => t.slug)).toEqual(["sales-analytics"]);
    expect(olivia.contacts).toEqual([]);

    const carlos = await loadWizardOptions(db, await personaPrincipal(db, "consumer"));
    expect(carlos.domains).toEqual([]);
    expect(carlos.publishable).toEqual([]);
    expect(carlos.contacts.length).toBeGreaterThan(0);
    expect(carlos.contacts).toContainEqual({ domain: "Sales", name: expect.any(String), email: expect.stringContaining("@") });

    const arjun = await loadWizardOptions(db, await personaPrincipal(db, "admin"));
    expect(arjun.domains.length).toBe(await db.domain.count());
  });
});
