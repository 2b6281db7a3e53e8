import type { Metadata } from "next";
import Link from "next/link";
import { ScoreBadge, SeverityBadge } from "@/components/governance/badges";
import { TrendChart } from "@/components/governance/trend-chart";
import { StatusBadge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterButtons, FilterSelect } from "@/components/ui/filter-fields";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { domainOverview } from "@/lib/catalog/governance";
import { LIFECYCLE_STATUSES } from "@/lib/catalog/queries";
import { getPrisma } from "@/lib/db/client";
import { loadScorecards, policyFilterOptions, scorecardFilterSchema, type ProductScore, type ScorecardFilter } from "@/lib/governance/scorecards";

export const metadata: Metadata = { title: "Governance" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const FIELDS = ["domain", "severity", "policy", "outcome", "status"] as const;
const pct = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);
const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function GovernancePage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = scorecardFilterSchema.safeParse(Object.fromEntries(FIELDS.map((k) => [k, first(raw[k]) || undefined])));
  const filter: ScorecardFilter = parsed.success ? parsed.data : scorecardFilterSchema.parse({});
  const db = await getPrisma();
  const [cards, overview, policies] = await Promise.all([loadScorecards(db, user, filter), domainOverview(db, user), policyFilterOptions(db)]);
  const qs = new URLSearchParams();
  for (const k of FIELDS) if (filter[k]) qs.set(k, filter[k]!);
  const active = qs.size > 0;
  const csvQs = new URLSearchParams(qs);
  csvQs.set("format", "csv");
  const stewardsOf = new Map(overview.map((d) => [d.slug, d]));

  return (
    <>
      <PageHeader
        title="Governance"
        description="How the mesh's data products comply with its global policies and their domains' own, and who stewards each domain."
        actions={
          <>
            <Link href="/governance/policies" className="btn-secondary">
              Policies
            </Link>
            <a href={`/api/v1/governance/results?${csvQs}`} className="btn-secondary" download>
              Export CSV
            </a>
          </>
        }
      />
      <form method="get" action="/governance" role="search" aria-label="Filter the scorecards" className="card mb-6 grid gap-3 p-4 md:grid-cols-6" key={qs.toString()}>
        <FilterSelect name="domain" label="Domain" defaultValue={filter.domain} options={[{ value: "", label: "All domains" }, ...overview.map((d) => ({ value: d.slug, label: d.name }))]} />
        <FilterSelect
          name="severity"
          label="Severity"
          defaultValue={filter.severity}
          options={[
            { value: "", label: "Blocking and warning" },
            { value: "blocking", label: "Blocking" },
            { value: "warning", label: "Warning" },
            { value: "advice", label: "Advice" },
          ]}
        />
        <FilterSelect name="policy" label="Policy" defaultValue={filter.policy} options={[{ value: "", label: "All policies" }, ...policies]} />
        <FilterSelect
          name="outcome"
          label="Products"
          defaultValue={filter.outcome}
          options={[
            { value: "", label: "All" },
            { value: "fail", label: "Not compliant" },
            { value: "pass", label: "Compliant" },
          ]}
        />
        <FilterSelect name="status" label="Lifecycle" defaultValue={filter.status} options={[{ value: "", label: "Any status" }, ...LIFECYCLE_STATUSES.map((s) => ({ value: s, label: s }))]} />
        <FilterButtons active={active} clearHref="/governance" />
      </form>
      {!parsed.success ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {parsed.error.issues.map((i) => i.message).join("; ")}. Showing all products instead.
        </p>
      ) : null}

      {cards.totals.products === 0 ? (
        <EmptyState title={active ? "No evaluated products match" : "No products have been evaluated yet"}>
          {active ? "Clear or widen the filters." : "Products are evaluated against the policies whenever they or a policy change."}
        </EmptyState>
      ) : (
        <>
          <section aria-labelledby="mesh-heading" className="mb-8">
            <h2 id="mesh-heading" className="mb-3 text-lg font-semibold">
              {filter.domain ? "Domain" : "Mesh-wide"} compliance
            </h2>
            <div className="grid gap-4 md:grid-cols-[repeat(3,minmax(0,1fr))_minmax(0,1.5fr)]">
              <Stat label="Compliant products" value={pct(cards.totals.share)} detail={`${cards.totals.compliant} of ${cards.totals.products}`} />
              <Stat label="Average score" value={cards.totals.averageScore === null ? "—" : String(cards.totals.averageScore)} detail="out of 100" />
              <Stat label="Blocked from publishing" value={String(cards.totals.blockingFailures)} detail="products with a failing blocking policy" />
              <div className="card p-4">
                <h3 className="mb-1 text-sm font-medium text-slate-600">Trend, last {cards.days} days</h3>
                <TrendChart points={cards.trend} label="Compliant products, whole mesh" />
              </div>
            </div>
          </section>

          <div className="mb-8 grid gap-6 lg:grid-cols-[2fr_1fr]">
            <section aria-labelledby="worst-heading">
              <h2 id="worst-heading" className="mb-3 text-lg font-semibold">
                Worst offenders
              </h2>
              {cards.worst.length ? (
                <div className="card overflow-x-auto">
                  <DataTable caption="Products failing the most policies, worst first" columns={["Product", "Domain", "Score", "Failing policies", "Evaluated"]}>
                    {cards.worst.map((p) => (
                      <OffenderRow key={p.slug} p={p} />
                    ))}
                  </DataTable>
                </div>
              ) : (
                <p className="card p-4 text-sm text-slate-600">Every product shown complies with the policies in scope.</p>
              )}
            </section>
            <section aria-labelledby="top-failing-heading">
              <h2 id="top-failing-heading" className="mb-3 text-lg font-semibold">
                Most failed policies
              </h2>
              {cards.topFailing.length ? (
                <ol className="card divide-y divide-slate-100 text-sm">
                  {cards.topFailing.map((f) => (
                    <li key={f.policyKey} className="flex flex-wrap items-center gap-2 px-4 py-2">
                      <Link href={`/governance/policies/${encodeURIComponent(f.policyKey)}`} className="font-medium text-canopy-800 hover:underline">
                        {f.title}
                      </Link>
                      <SeverityBadge severity={f.severity} />
                      <span className="ml-auto text-slate-600">
                        {f.products} {f.products === 1 ? "product" : "products"}
                      </span>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="card p-4 text-sm text-slate-600">No policy fails.</p>
              )}
            </section>
          </div>
        </>
      )}

      <section aria-labelledby="domains-heading">
        <h2 id="domains-heading" className="mb-3 text-lg font-semibold">
          Domains
        </h2>
        {cards.domains.length ? (
          <ul className="grid gap-4 md:grid-cols-2">
            {cards.domains.map((d) => {
              const info = stewardsOf.get(d.slug);
              return (
                <li key={d.slug} className="card p-4" aria-labelledby={`domain-${d.slug}`}>
                  <div className="flex flex-wrap items-baseline justify-between gap-2">
                    <h3 id={`domain-${d.slug}`} className="text-base font-semibold">
                      <Link href={`/governance?${new URLSearchParams({ ...Object.fromEntries(qs), domain: d.slug })}`} className="text-canopy-800 hover:underline">
                        {d.name}
                      </Link>
                    </h3>
                    <p className="text-sm">
                      <span className="text-lg font-semibold">{pct(d.share)}</span> compliant{" "}
                      <span className="text-slate-500">
                        ({d.compliant} of {d.products})
                      </span>
                    </p>
                  </div>
                  {info?.description ? <p className="mt-1 text-sm text-slate-600">{info.description}</p> : null}
                  <p className="mt-2 text-sm">
                    <span className="font-medium">Stewards: </span>
                    {info?.stewards.length ? info.stewards.map((s) => s.name).join(", ") : <span className="text-slate-500">none yet</span>}
                  </p>
                  {info ? (
                    <ul className="mt-2 flex flex-wrap gap-3 text-sm" aria-label={`Products in ${d.name} by status`}>
                      {LIFECYCLE_STATUSES.map((s) => (
                        <li key={s} className="flex items-center gap-1">
                          <StatusBadge status={s} /> {info.byStatus[s] ?? 0}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <div className="mt-3">
                    <TrendChart points={d.trend} label={`Compliant products in ${d.name}`} />
                  </div>
                  {d.worst.length ? (
                    <div className="mt-3">
                      <h4 className="text-sm font-medium text-slate-700">Worst offenders</h4>
                      <ul className="mt-1 space-y-1 text-sm">
                        {d.worst.map((p) => (
                          <li key={p.slug} className="flex flex-wrap items-center gap-2">
                            <Link href={`/products/${p.slug}`} className="text-canopy-800 hover:underline">
                              {p.name}
                            </Link>
                            <ScoreBadge score={p.score} />
                            <span className="text-slate-600">
                              {p.failing.length} failing{p.blocking ? `, ${p.blocking} blocking` : ""}
                            </span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ) : d.products ? (
                    <p className="mt-3 text-sm text-slate-600">Every evaluated product complies.</p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : (
          <EmptyState title="No domains yet">A platform admin creates the mesh&apos;s domains.</EmptyState>
        )}
      </section>
    </>
  );
}

function Stat({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <div className="card p-4">
      <p className="text-sm font-medium text-slate-600">{label}</p>
      <p className="mt-1 text-3xl font-semibold tracking-tight">{value}</p>
      <p className="text-xs text-slate-500">{detail}</p>
    </div>
  );
}

function OffenderRow({ p }: { p: ProductScore }) {
  return (
    <tr className="border-b border-slate-100 align-top">
      <th scope="row" className="px-3 py-2 font-medium">
        <Link href={`/products/${p.slug}`} className="text-canopy-800 hover:underline">
          {p.name}
        </Link>
        {p.status !== "published" ? (
          <span className="ml-2">
            <StatusBadge status={p.status} />
          </span>
        ) : null}
      </th>
      <td className="px-3 py-2">{p.domain.name}</td>
      <td className="px-3 py-2">
        <ScoreBadge score={p.score} />
      </td>
      <td className="px-3 py-2">
        <ul className="space-y-0.5">
          {p.failing.slice(0, 4).map((f) => (
            <li key={f.policyKey} className="flex flex-wrap items-center gap-1">
              <SeverityBadge severity={f.severity} /> {f.title}
            </li>
          ))}
          {p.failing.length > 4 ? <li className="text-slate-500">and {p.failing.length - 4} more</li> : null}
        </ul>
      </td>
      <td className="px-3 py-2 whitespace-nowrap text-slate-600">
        <time dateTime={p.evaluatedAt}>{when(p.evaluatedAt)}</time>
      </td>
    </tr>
  );
}
