import { z } from "zod";
import type { Principal } from "@/lib/auth/permissions";
import { visibleProductsWhere } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import { LIFECYCLE_STATUSES } from "@/lib/catalog/queries";
import type { PolicyResult, Severity } from "@/lib/governance/types";
import { optionalText } from "@/lib/http/schemas";

/**
 * Scorecards: compliance read from the stored policy evaluations — per product (latest evaluation),
 * per domain (share compliant, trend, worst offenders) and for the whole mesh — only over products
 * the user may see. A product is compliant when none of the results in scope fails: by default
 * blocking and warning policies count (advice never makes a product non-compliant); a severity
 * filter narrows the scope to that severity, a policy filter to that policy.
 */

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

export const scorecardFilterSchema = z.object({
  domain: optionalText,
  severity: z.preprocess(blankToUndefined, z.enum(["blocking", "warning", "advice"], { error: "severity must be blocking, warning or advice" }).optional()),
  policy: optionalText,
  /** Products that comply (pass) or not (fail) with the policies in scope. */
  outcome: z.preprocess(blankToUndefined, z.enum(["pass", "fail"], { error: "outcome must be pass or fail" }).optional()),
  /** The products' lifecycle status. */
  status: z.preprocess(
    blankToUndefined,
    z.enum(LIFECYCLE_STATUSES as unknown as [string, ...string[]], { error: `status must be one of ${LIFECYCLE_STATUSES.join(", ")}` }).optional(),
  ),
});
export type ScorecardFilter = z.infer<typeof scorecardFilterSchema>;

/** One stored evaluation of one product, as the scorecards read it. */
export type EvaluationRow = {
  productId: string;
  slug: string;
  name: string;
  status: string;
  domain: { slug: string; name: string };
  evaluatedAt: Date;
  score: number;
  results: PolicyResult[];
};

export type ProductScore = {
  slug: string;
  name: string;
  status: string;
  domain: { slug: string; name: string };
  evaluatedAt: string;
  score: number;
  compliant: boolean;
  /** Failing results in scope, strictest first. */
  failing: { policyKey: string; title: string; severity: Severity }[];
  /** Failing blocking policies (whatever the scope). */
  blocking: number;
  /** Results in scope (all applicable ones when nothing narrows it). */
  results: PolicyResult[];
};

export type TrendPoint = { day: string; share: number | null; products: number };

export type DomainScorecard = {
  slug: string;
  name: string;
  products: number;
  compliant: number;
  /** compliant / products, 0..1 (null without evaluated products). */
  share: number | null;
  averageScore: number | null;
  trend: TrendPoint[];
  worst: ProductScore[];
};

export type Scorecards = {
  filter: ScorecardFilter;
  totals: { products: number; compliant: number; share: number | null; averageScore: number | null; blockingFailures: number };
  domains: DomainScorecard[];
  worst: ProductScore[];
  /** Policies that fail most often in scope, for the dashboard. */
  topFailing: { policyKey: string; title: string; severity: Severity; products: number }[];
  trend: TrendPoint[];
  days: number;
};

const SEVERITY_ORDER: Record<Severity, number> = { blocking: 0, warning: 1, advice: 2 };
const isFailing = (r: PolicyResult) => r.outcome === "fail" || r.outcome === "error";

/** The results a filter looks at: the chosen policy and severity, without those that do not apply. */
type Scope = { severity?: Severity; policy?: string };

export function resultsInScope(results: PolicyResult[], filter: Scope): PolicyResult[] {
  return results.filter((r) => r.outcome !== "not_applicable" && (!filter.policy || r.policyKey === filter.policy) && (!filter.severity || r.severity === filter.severity));
}

/** Compliant: no result in scope fails; without a severity filter advice does not count. */
export function isCompliant(results: PolicyResult[], filter: Scope): boolean {
  return !resultsInScope(results, filter).some((r) => isFailing(r) && (filter.severity ? true : r.severity !== "advice"));
}

export function productScore(row: EvaluationRow, filter: ScorecardFilter): ProductScore {
  const scoped = resultsInScope(row.results, filter);
  const failing = scoped
    .filter(isFailing)
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.title.localeCompare(b.title))
    .map((r) => ({ policyKey: r.policyKey, title: r.title, severity: r.severity }));
  return {
    slug: row.slug,
    name: row.name,
    status: row.status,
    domain: row.domain,
    evaluatedAt: row.evaluatedAt.toISOString(),
    score: row.score,
    compliant: isCompliant(row.results, filter),
    failing,
    blocking: row.results.filter((r) => r.severity === "blocking" && isFailing(r)).length,
    results: scoped,
  };
}

/** Rows the filter keeps (domain, status, and — for the product list — outcome). */
function matches(row: EvaluationRow, filter: ScorecardFilter, withOutcome: boolean): boolean {
  if (filter.domain && row.domain.slug !== filter.domain) return false;
  if (filter.status && row.status !== filter.status) return false;
  if (filter.policy && !row.results.some((r) => r.policyKey === filter.policy && r.outcome !== "not_applicable")) return false;
  if (withOutcome && filter.outcome) return isCompliant(row.results, filter) === (filter.outcome === "pass");
  return true;
}

/** Worst first: more failing blocking policies, more failures in scope, lower score, then by name. */
export function compareOffenders(a: ProductScore, b: ProductScore): number {
  return b.blocking - a.blocking || b.failing.length - a.failing.length || a.score - b.score || a.name.localeCompare(b.name);
}

/** The `days` UTC days ending with `now`'s, oldest first. */
export function trendDays(now: Date, days: number): string[] {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/**
 * Daily compliance: for each day, each product's latest evaluation up to the end of that day, and
 * the share of those that were compliant. `history` may hold any number of evaluations per product.
 */
export function dailyTrend(history: EvaluationRow[], filter: ScorecardFilter, days: string[]): TrendPoint[] {
  const sorted = [...history].sort((a, b) => a.evaluatedAt.getTime() - b.evaluatedAt.getTime());
  const current = new Map<string, boolean>();
  const points: TrendPoint[] = [];
  let i = 0;
  for (const day of days) {
    const end = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
    while (i < sorted.length && sorted[i]!.evaluatedAt.getTime() < end) {
      const row = sorted[i]!;
      if (matches(row, filter, false)) current.set(row.productId, isCompliant(row.results, filter));
      else current.delete(row.productId);
      i++;
    }
    let compliant = 0;
    for (const ok of current.values()) if (ok) compliant++;
    points.push({ day, share: current.size ? compliant / current.size : null, products: current.size });
  }
  return points;
}

const average = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10 : null);

/**
 * Builds the scorecards from each product's latest evaluation and the evaluation history of the
 * trend window. `domains` lists every domain to show (also those without evaluated products).
 */
export function buildScorecards(input: {
  latest: EvaluationRow[];
  history: EvaluationRow[];
  domains: { slug: string; name: string }[];
  filter: ScorecardFilter;
  now: Date;
  days?: number;
  worstPerDomain?: number;
  worstOverall?: number;
}): Scorecards {
  const { filter, now } = input;
  const days = input.days ?? 30;
  const dayList = trendDays(now, days);
  const kept = input.latest.filter((r) => matches(r, filter, false));
  const scores = kept.map((r) => productScore(r, filter));
  const listed = filter.outcome ? scores.filter((s) => s.compliant === (filter.outcome === "pass")) : scores;
  const offenders = listed.filter((s) => !s.compliant || s.blocking > 0).sort(compareOffenders);

  const domainList = filter.domain ? input.domains.filter((d) => d.slug === filter.domain) : input.domains;
  const domains: DomainScorecard[] = domainList.map((d) => {
    const mine = scores.filter((s) => s.domain.slug === d.slug);
    const compliant = mine.filter((s) => s.compliant).length;
    return {
      slug: d.slug,
      name: d.name,
      products: mine.length,
      compliant,
      share: mine.length ? compliant / mine.length : null,
      averageScore: average(mine.map((s) => s.score)),
      trend: dailyTrend(
        input.history.filter((h) => h.domain.slug === d.slug),
        filter,
        dayList,
      ),
      worst: offenders.filter((s) => s.domain.slug === d.slug).slice(0, input.worstPerDomain ?? 3),
    };
  });

  const failingCount = new Map<string, { policyKey: string; title: string; severity: Severity; products: number }>();
  for (const s of scores)
    for (const f of s.failing) {
      const entry = failingCount.get(f.policyKey) ?? { ...f, products: 0 };
      entry.products++;
      failingCount.set(f.policyKey, entry);
    }

  const compliant = scores.filter((s) => s.compliant).length;
  return {
    filter,
    totals: {
      products: scores.length,
      compliant,
      share: scores.length ? compliant / scores.length : null,
      averageScore: average(scores.map((s) => s.score)),
      blockingFailures: scores.filter((s) => s.blocking > 0).length,
    },
    domains,
    worst: offenders.slice(0, input.worstOverall ?? 10),
    topFailing: [...failingCount.values()].sort((a, b) => b.products - a.products || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]).slice(0, 10),
    trend: dailyTrend(input.history, filter, dayList),
    days,
  };
}

/** The per-product list (API and CSV): latest evaluations the filter keeps, worst first. */
export function productScores(latest: EvaluationRow[], filter: ScorecardFilter): ProductScore[] {
  return latest
    .filter((r) => matches(r, filter, true))
    .map((r) => productScore(r, filter))
    .sort(compareOffenders);
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : typeof v === "string" ? v : String(v);
  // Quote everything; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** One line per product and policy result in scope. */
export function scorecardCsv(products: ProductScore[]): string {
  const header = [
    "product_slug",
    "product_name",
    "domain",
    "status",
    "evaluated_at",
    "score",
    "compliant",
    "policy_key",
    "policy_title",
    "severity",
    "origin",
    "outcome",
    "findings",
    "remediation",
  ];
  const lines: string[] = [];
  for (const p of products) {
    const base = [p.slug, p.name, p.domain.slug, p.status, p.evaluatedAt, p.score, p.compliant ? "yes" : "no"];
    if (!p.results.length) lines.push([...base, "", "", "", "", "", "", ""].map(csvCell).join(","));
    for (const r of p.results)
      lines.push(
        [
          ...base,
          r.policyKey,
          r.title,
          r.severity,
          r.origin.kind === "global" ? "global" : `domain:${r.origin.domainSlug}`,
          r.outcome,
          r.findings.map((f) => f.message).join("; "),
          r.outcome === "pass" ? "" : r.remediation,
        ]
          .map(csvCell)
          .join(","),
      );
  }
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}

// ---------------------------------------------------------------------------------------------
// Reading the stored evaluations

type ProductInfo = { id: string; slug: string; name: string; status: string; domain: { slug: string; name: string } };

/** Products the user may see, narrowed by the filter's domain and status. */
async function visibleProducts(db: Tx, user: Principal, filter: ScorecardFilter): Promise<Map<string, ProductInfo>> {
  const rows = await db.dataProduct.findMany({
    where: {
      AND: [visibleProductsWhere(user), ...(filter.domain ? [{ domain: { slug: filter.domain } }] : []), ...(filter.status ? [{ status: filter.status as never }] : [])],
    },
    select: { id: true, slug: true, name: true, status: true, domain: { select: { slug: true, name: true } } },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

type ResultRow = {
  evaluation_id: string;
  product_id: string;
  evaluated_at: Date;
  score: number;
  policy_key: string | null;
  title: string | null;
  severity: string | null;
  origin: unknown;
  outcome: string | null;
  findings: unknown;
  remediation: string | null;
  policy_version: number | null;
};

function toRows(raw: ResultRow[], products: Map<string, ProductInfo>): EvaluationRow[] {
  const byEvaluation = new Map<string, EvaluationRow>();
  for (const r of raw) {
    const product = products.get(r.product_id);
    if (!product) continue;
    let row = byEvaluation.get(r.evaluation_id);
    if (!row) {
      row = {
        productId: product.id,
        slug: product.slug,
        name: product.name,
        status: product.status,
        domain: product.domain,
        evaluatedAt: new Date(r.evaluated_at),
        score: Number(r.score),
        results: [],
      };
      byEvaluation.set(r.evaluation_id, row);
    }
    if (r.policy_key === null) continue;
    row.results.push({
      policyKey: r.policy_key,
      title: r.title ?? r.policy_key,
      severity: (r.severity ?? "advice") as Severity,
      origin: (typeof r.origin === "string" ? JSON.parse(r.origin) : r.origin) as PolicyResult["origin"],
      outcome: (r.outcome ?? "error") as PolicyResult["outcome"],
      findings: (typeof r.findings === "string" ? JSON.parse(r.findings) : (r.findings ?? [])) as PolicyResult["findings"],
      remediation: r.remediation ?? "",
      ...(r.policy_version !== null ? { policyVersion: Number(r.policy_version) } : {}),
    });
  }
  return [...byEvaluation.values()];
}

/** Each visible product's latest stored evaluation with its results. */
async function latestRows(db: Tx, products: Map<string, ProductInfo>): Promise<EvaluationRow[]> {
  if (!products.size) return [];
  const raw = await db.$queryRaw<ResultRow[]>`
    WITH latest AS (
      SELECT DISTINCT ON (product_id) id, product_id, evaluated_at, score
      FROM policy_evaluations
      ORDER BY product_id, evaluated_at DESC, id DESC
    )
    SELECT l.id::text AS evaluation_id, l.product_id::text AS product_id, l.evaluated_at, l.score,
           r.policy_key, r.title, r.severity, r.origin, r.outcome, r.findings, r.remediation, r.policy_version
    FROM latest l LEFT JOIN policy_results r ON r.evaluation_id = l.id`;
  return toRows(raw, products);
}

export async function latestEvaluationRows(db: Tx, user: Principal, filter: ScorecardFilter): Promise<EvaluationRow[]> {
  return latestRows(db, await visibleProducts(db, user, filter));
}

/**
 * The evaluations that make the trend of the `days` days ending `now`: those inside the window,
 * plus each product's latest one before it (the state the window starts from).
 */
async function historyRows(db: Tx, products: Map<string, ProductInfo>, start: Date): Promise<EvaluationRow[]> {
  if (!products.size) return [];
  const raw = await db.$queryRaw<ResultRow[]>`
    WITH hist AS (
      SELECT id, product_id, evaluated_at, score FROM policy_evaluations WHERE evaluated_at >= ${start}
      UNION ALL
      SELECT id, product_id, evaluated_at, score FROM (
        SELECT DISTINCT ON (product_id) id, product_id, evaluated_at, score
        FROM policy_evaluations WHERE evaluated_at < ${start}
        ORDER BY product_id, evaluated_at DESC, id DESC
      ) before_window
    )
    SELECT h.id::text AS evaluation_id, h.product_id::text AS product_id, h.evaluated_at, h.score,
           r.policy_key, NULL::text AS title, r.severity, NULL::jsonb AS origin, r.outcome, NULL::jsonb AS findings,
           NULL::text AS remediation, NULL::int AS policy_version
    FROM hist h LEFT JOIN policy_results r ON r.evaluation_id = h.id`;
  return toRows(raw, products);
}

/** The dashboard's scorecards for the user and filter. */
export async function loadScorecards(db: Tx, user: Principal, filter: ScorecardFilter, opts: { now?: Date; days?: number } = {}): Promise<Scorecards> {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 30;
  const start = new Date(Date.parse(`${trendDays(now, days)[0]}T00:00:00Z`));
  const products = await visibleProducts(db, user, filter);
  const [latest, history, domains] = await Promise.all([
    latestRows(db, products),
    historyRows(db, products, start),
    db.domain.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } }),
  ]);
  return buildScorecards({ latest, history, domains, filter, now, days });
}

/** GET /api/v1/governance/results and its CSV: the latest result per product, filtered, worst first. */
export async function latestResults(db: Tx, user: Principal, filter: ScorecardFilter): Promise<ProductScore[]> {
  return productScores(await latestEvaluationRows(db, user, filter), filter);
}

/** Options of the dashboard's policy filter: every policy key with its title (global and domain). */
export async function policyFilterOptions(db: Tx): Promise<{ value: string; label: string }[]> {
  const rows = await db.policy.findMany({
    where: { refinesId: null, appliesTo: "product" },
    orderBy: { key: "asc" },
    select: { key: true, versions: { orderBy: { version: "desc" }, take: 1, select: { definition: true } } },
  });
  const out = new Map<string, string>();
  for (const r of rows) {
    const title = (r.versions[0]?.definition as { title?: unknown } | undefined)?.title;
    if (!out.has(r.key)) out.set(r.key, typeof title === "string" ? title : r.key);
  }
  return [...out].map(([value, label]) => ({ value, label: label === value ? value : `${label} (${value})` }));
}
