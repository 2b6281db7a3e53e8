import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { createPolicy } from "@/lib/governance/policies";
import { reevaluateProducts } from "@/lib/governance/service";
import {
  buildScorecards,
  latestResults,
  loadScorecards,
  dailyTrend,
  isCompliant,
  productScores,
  scorecardCsv,
  scorecardFilterSchema,
  trendDays,
  type EvaluationRow,
} from "@/lib/governance/scorecards";
import type { PolicyResult, Severity } from "@/lib/governance/types";
import { describeEachDatabase } from "@/test/support/db";
import { actorOf } from "@/test/support/outcomes";
import { personaPrincipal } from "@/test/support/seeded";

const result = (policyKey: string, severity: Severity, outcome: PolicyResult["outcome"], extra: Partial<PolicyResult> = {}): PolicyResult => ({
  policyKey,
  title: `Policy ${policyKey}`,
  severity,
  origin: { kind: "global" },
  outcome,
  findings: outcome === "fail" ? [{ path: "description", message: `${policyKey} failed` }] : [],
  remediation: `Fix ${policyKey}`,
  ...extra,
});

const sales = { slug: "sales", name: "Sales" };
const finance = { slug: "finance", name: "Finance" };

function row(productId: string, at: string, results: PolicyResult[], extra: Partial<EvaluationRow> = {}): EvaluationRow {
  return {
    productId,
    slug: productId,
    name: productId.toUpperCase(),
    status: "published",
    domain: sales,
    evaluatedAt: new Date(at),
    score: Math.round((100 * results.filter((r) => r.outcome === "pass").length) / Math.max(1, results.length)),
    results,
    ...extra,
  };
}

const noFilter = scorecardFilterSchema.parse({});

describe("compliance of one evaluation", () => {
  it("counts blocking and warning failures but not advice, unless the filter asks for advice", () => {
    const adviceOnly = [result("owner", "blocking", "pass"), result("tags", "advice", "fail")];
    expect(isCompliant(adviceOnly, noFilter)).toBe(true);
    expect(isCompliant(adviceOnly, { severity: "advice" })).toBe(false);
    expect(isCompliant([result("desc", "warning", "fail")], noFilter)).toBe(false);
    expect(isCompliant([result("opa", "blocking", "error")], noFilter)).toBe(false);
    expect(isCompliant([result("pii", "blocking", "not_applicable")], noFilter)).toBe(true);
  });

  it("narrows to one policy", () => {
    const results = [result("owner", "blocking", "pass"), result("desc", "warning", "fail")];
    expect(isCompliant(results, { policy: "owner" })).toBe(true);
    expect(isCompliant(results, { policy: "desc" })).toBe(false);
  });
});

describe("filters", () => {
  it("accept empty form values and refuse unknown severities, outcomes and statuses", () => {
    expect(scorecardFilterSchema.parse({ domain: "", severity: "", outcome: "", status: "", policy: "" })).toEqual({
      domain: undefined,
      severity: undefined,
      outcome: undefined,
      status: undefined,
      policy: undefined,
    });
    expect(scorecardFilterSchema.safeParse({ severity: "fatal" }).success).toBe(false);
    expect(scorecardFilterSchema.safeParse({ outcome: "maybe" }).success).toBe(false);
    expect(scorecardFilterSchema.safeParse({ status: "archived" }).success).toBe(false);
    expect(scorecardFilterSchema.parse({ status: "draft", outcome: "fail" })).toMatchObject({ status: "draft", outcome: "fail" });
  });

  it("keep only the matching products, worst first", () => {
    const latest = [
      row("a", "2026-11-20T10:00:00Z", [result("owner", "blocking", "pass"), result("desc", "warning", "fail")], { score: 70 }),
      row("b", "2026-11-20T10:00:00Z", [result("owner", "blocking", "fail"), result("desc", "warning", "fail")], { score: 20 }),
      row("c", "2026-11-20T10:00:00Z", [result("owner", "blocking", "pass"), result("desc", "warning", "pass")], { score: 100, domain: finance }),
      row("d", "2026-11-20T10:00:00Z", [result("owner", "blocking", "pass")], { score: 100, status: "draft" }),
    ];
    expect(productScores(latest, noFilter).map((p) => p.slug)).toEqual(["b", "a", "c", "d"]);
    expect(productScores(latest, { ...noFilter, outcome: "fail" }).map((p) => p.slug)).toEqual(["b", "a"]);
    expect(productScores(latest, { ...noFilter, outcome: "pass" }).map((p) => p.slug)).toEqual(["c", "d"]);
    expect(productScores(latest, { ...noFilter, domain: "finance" }).map((p) => p.slug)).toEqual(["c"]);
    expect(productScores(latest, { ...noFilter, status: "draft" }).map((p) => p.slug)).toEqual(["d"]);
    // A policy filter keeps only products the policy applies to, with only that policy's result.
    const byDesc = productScores(latest, { ...noFilter, policy: "desc", outcome: "fail" });
    expect(byDesc.map((p) => p.slug)).toEqual(["b", "a"]);
    expect(byDesc[0]!.results.map((r) => r.policyKey)).toEqual(["desc"]);
    expect(byDesc[0]!.blocking).toBe(1);
    expect(productScores(latest, { ...noFilter, severity: "blocking", outcome: "fail" }).map((p) => p.slug)).toEqual(["b"]);
  });
});

describe("trend", () => {
  it("lists the UTC days ending today, oldest first", () => {
    expect(trendDays(new Date("2026-11-28T23:30:00Z"), 3)).toEqual(["2026-11-26", "2026-11-27", "2026-11-28"]);
  });

  it("uses each product's latest evaluation up to the end of each day", () => {
    const days = ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"];
    const history = [
      row("a", "2026-11-26T08:00:00Z", [result("owner", "blocking", "fail")]),
      row("b", "2026-11-26T09:00:00Z", [result("owner", "blocking", "pass")]),
      // a is fixed on the 27th, late in the day; b breaks on the 28th.
      row("a", "2026-11-27T23:59:00Z", [result("owner", "blocking", "pass")]),
      row("b", "2026-11-28T00:00:00Z", [result("owner", "blocking", "fail")]),
    ];
    expect(dailyTrend(history, noFilter, days)).toEqual([
      { day: "2026-11-25", share: null, products: 0 },
      { day: "2026-11-26", share: 0.5, products: 2 },
      { day: "2026-11-27", share: 1, products: 2 },
      { day: "2026-11-28", share: 0.5, products: 2 },
    ]);
    // Evaluations before the window count from its first day.
    expect(dailyTrend(history, noFilter, ["2026-11-30"])).toEqual([{ day: "2026-11-30", share: 0.5, products: 2 }]);
  });
});

describe("scorecards", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  const latest = [
    row("a", "2026-11-28T10:00:00Z", [result("owner", "blocking", "fail"), result("desc", "warning", "fail")], { score: 10 }),
    row("b", "2026-11-28T10:00:00Z", [result("owner", "blocking", "pass"), result("desc", "warning", "fail")], { score: 60 }),
    row("c", "2026-11-28T10:00:00Z", [result("owner", "blocking", "pass"), result("desc", "warning", "pass")], { score: 100 }),
    row("f", "2026-11-28T10:00:00Z", [result("owner", "blocking", "pass"), result("tags", "advice", "fail")], { score: 90, domain: finance }),
  ];
  const history = [row("a", "2026-11-27T10:00:00Z", [result("owner", "blocking", "pass")]), ...latest];

  it("summarise the mesh, each domain (also empty ones), its worst offenders and the most failed policies", () => {
    const s = buildScorecards({ latest, history, domains: [finance, sales, { slug: "hr", name: "HR" }], filter: noFilter, now, days: 2 });
    expect(s.totals).toEqual({ products: 4, compliant: 2, share: 0.5, averageScore: 65, blockingFailures: 1 });
    const bySlug = Object.fromEntries(s.domains.map((d) => [d.slug, d]));
    expect(bySlug.sales).toMatchObject({ products: 3, compliant: 1, averageScore: 56.7 });
    expect(bySlug.sales!.share).toBeCloseTo(1 / 3);
    expect(bySlug.sales!.worst.map((p) => p.slug)).toEqual(["a", "b"]);
    expect(bySlug.sales!.trend).toEqual([
      { day: "2026-11-27", share: 1, products: 1 },
      { day: "2026-11-28", share: 1 / 3, products: 3 },
    ]);
    expect(bySlug.finance).toMatchObject({ products: 1, compliant: 1, share: 1, worst: [] });
    expect(bySlug.hr).toMatchObject({ products: 0, compliant: 0, share: null, averageScore: null });
    expect(s.worst.map((p) => p.slug)).toEqual(["a", "b"]);
    expect(s.worst[0]!.failing).toEqual([
      { policyKey: "owner", title: "Policy owner", severity: "blocking" },
      { policyKey: "desc", title: "Policy desc", severity: "warning" },
    ]);
    expect(s.topFailing).toEqual([
      { policyKey: "desc", title: "Policy desc", severity: "warning", products: 2 },
      { policyKey: "owner", title: "Policy owner", severity: "blocking", products: 1 },
      // Advice is listed (it is still worth fixing) but does not make a product non-compliant.
      { policyKey: "tags", title: "Policy tags", severity: "advice", products: 1 },
    ]);
  });

  it("follow the filters: one domain, advice in scope", () => {
    const s = buildScorecards({ latest, history, domains: [finance, sales], filter: { ...noFilter, domain: "finance", severity: "advice" }, now, days: 1 });
    expect(s.domains.map((d) => d.slug)).toEqual(["finance"]);
    expect(s.totals).toMatchObject({ products: 1, compliant: 0, share: 0 });
    expect(s.worst.map((p) => p.slug)).toEqual(["f"]);
  });
});

describe("CSV", () => {
  it("has one quoted line per product and result, with spreadsheet formulas neutralised", () => {
    const latest = [
      row("a", "2026-11-28T10:00:00Z", [result("owner", "blocking", "fail", { remediation: "=HYPERLINK(\"x\")", origin: { kind: "domain", domainSlug: "sales", domainName: "Sales" } }), result("desc", "warning", "pass")], {
        name: 'Orders "EU"',
      }),
    ];
    const csv = scorecardCsv(productScores(latest, noFilter));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("product_slug,product_name,domain,status,evaluated_at,score,compliant,policy_key,policy_title,severity,origin,outcome,findings,remediation");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      '"a","Orders ""EU""","sales","published","2026-11-28T10:00:00.000Z","50","no","owner","Policy owner","blocking","domain:sales","fail","owner failed","\'=HYPERLINK(""x"")"',
    );
    expect(lines[2]).toContain('"desc","Policy desc","warning","global","pass","",""');
  });
});

describeEachDatabase("scorecards over stored evaluations", (testDb) => {
  const db = () => testDb().prisma;
  let consumer: Principal;
  let owner: Principal;
  let steward: Principal;
  const seededAt = new Date("2026-11-20T09:00:00Z");

  beforeAll(async () => {
    await seedDemoMesh(db(), { now: seededAt });
    consumer = await personaPrincipal(db(), "consumer");
    owner = await personaPrincipal(db(), "owner");
    steward = await personaPrincipal(db(), "steward");
  }, 120_000);

  it("cover only the products the user may see, each with its latest evaluation", async () => {
    const drafts = await db().dataProduct.findMany({ where: { status: "draft" }, select: { slug: true, owners: { select: { userId: true } } } });
    expect(drafts.length).toBeGreaterThan(0);
    const all = await db().dataProduct.count();
    const forConsumer = await latestResults(db(), consumer, noFilter);
    expect(forConsumer).toHaveLength(all - drafts.length);
    expect(forConsumer.some((p) => drafts.some((d) => d.slug === p.slug))).toBe(false);
    // Olivia sees her own draft too.
    const hers = drafts.filter((d) => d.owners.some((o) => o.userId === owner.id)).map((d) => d.slug);
    expect(hers.length).toBeGreaterThan(0);
    const forOwner = (await latestResults(db(), owner, noFilter)).map((p) => p.slug);
    for (const slug of hers) expect(forOwner).toContain(slug);
    const cards = await loadScorecards(db(), consumer, noFilter, { now: seededAt, days: 3 });
    expect(cards.totals.products).toBe(all - drafts.length);
    expect(cards.trend.at(-1)).toMatchObject({ day: "2026-11-20", products: all - drafts.length });
    expect(cards.trend[0]).toEqual({ day: "2026-11-18", share: null, products: 0 });
  });

  it("follow a new domain policy: the domain's share drops on the day its products are re-evaluated", async () => {
    const visible = await db().dataProduct.findMany({ where: { domain: { slug: "customer" }, status: { not: "draft" } }, select: { slug: true, status: true } });
    // Retired products are not re-evaluated: they keep their last evaluation.
    const customerSlugs = visible.filter((p) => p.status !== "retired").map((p) => p.slug);
    expect(customerSlugs.length).toBeGreaterThan(1);
    // Compliance with the blocking policies: the seeded mesh has none failing.
    const blockingOnly = { ...noFilter, severity: "blocking" as const };
    const before = await loadScorecards(db(), consumer, blockingOnly, { now: new Date("2026-11-22T12:00:00Z"), days: 3 });
    const customerBefore = before.domains.find((d) => d.slug === "customer")!;
    expect(customerBefore.share).toBe(1);
    await createPolicy(
      db(),
      { user: steward, actor: actorOf(steward) },
      {
        domain: "customer",
        key: "retention-stated",
        definition: {
          title: "Customer products state their retention",
          rationale: "Customer data may only be kept as long as its legal basis allows.",
          remediation: "Say in the description how long the data is retained (e.g. retention: 24 months).",
          severity: "blocking",
          appliesTo: "product",
          engine: "rules",
          params: {},
          rules: [{ assert: { matches: { path: "product.description", pattern: "retention: \\d+ months" } }, message: "The description does not state the retention", path: "description" }],
        },
        reason: "Retention must be visible to consumers",
      },
    );
    await reevaluateProducts(db(), { domainId: (await db().domain.findUniqueOrThrow({ where: { slug: "customer" } })).id }, { now: () => new Date("2026-11-22T08:00:00Z") });

    const after = await loadScorecards(db(), consumer, blockingOnly, { now: new Date("2026-11-22T12:00:00Z"), days: 3 });
    const customer = after.domains.find((d) => d.slug === "customer")!;
    expect(customer.products).toBe(visible.length);
    expect(customer.compliant).toBe(visible.length - customerSlugs.length);
    expect(customer.trend.map((t) => t.day)).toEqual(["2026-11-20", "2026-11-21", "2026-11-22"]);
    expect(customer.trend[2]).toEqual({ day: "2026-11-22", share: customer.share, products: visible.length });
    expect(customer.trend[0]!.share).toBe(1);
    expect(customer.worst.length).toBeGreaterThan(0);
    expect(after.topFailing.find((f) => f.policyKey === "retention-stated")).toEqual({
      policyKey: "retention-stated",
      title: "Customer products state their retention",
      severity: "blocking",
      products: customerSlugs.length,
    });
    // Other domains are untouched.
    const sales = after.domains.find((d) => d.slug === "sales")!;
    expect(sales.compliant).toBe(before.domains.find((d) => d.slug === "sales")!.compliant);

    // Filtered by the policy: only customer products, each failing it, with the remediation in the CSV.
    const failing = await latestResults(db(), consumer, { ...noFilter, policy: "retention-stated", outcome: "fail" });
    expect(failing.map((p) => p.slug).sort()).toEqual([...customerSlugs].sort());
    expect(failing[0]!.results).toEqual([
      expect.objectContaining({ policyKey: "retention-stated", outcome: "fail", origin: { kind: "domain", domainSlug: "customer", domainName: expect.any(String) } }),
    ]);
    const csv = scorecardCsv(failing);
    expect(csv.trimEnd().split("\r\n")).toHaveLength(customerSlugs.length + 1);
    expect(csv).toContain('"retention-stated","Customer products state their retention","blocking","domain:customer","fail"');
    expect(csv).toContain("Say in the description how long the data is retained");
  });
});
