import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OriginBadge, ScoreBadge, SeverityBadge } from "@/components/governance/badges";
import { policyHref } from "@/components/governance/policy-links";
import { LineDiff } from "@/components/products/line-diff";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { FilterButtons, FilterSelect } from "@/components/ui/filter-fields";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { getPolicy } from "@/lib/governance/policies";
import { latestResults } from "@/lib/governance/scorecards";
import { exampleAccessDocument, policyInputDocument } from "@/lib/governance/service";
import { visibleProductsWhere } from "@/lib/catalog/queries";
import { UserError } from "@/lib/errors";
import { policyByKey } from "../lookup";

type Params = Promise<{ key: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Policy ${(await params).key}` };
}

const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function PolicyPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const user = await requireUser();
  const { key } = await params;
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const domainSlug = first(raw.domain) || undefined;
  const db = await getPrisma();
  const { policy: found, related } = await policyByKey(db, user, key, domainSlug);
  if (!found) {
    if (!related.length) notFound();
    return (
      <>
        <h1 className="mb-3 text-2xl font-semibold">Policies with the key {key}</h1>
        <ul className="card divide-y divide-slate-100 text-sm">
          {related.map((p) => (
            <li key={p.id} className="px-4 py-2">
              <Link href={policyHref(p)} className="text-canopy-800 hover:underline">
                {p.title}
              </Link>{" "}
              <OriginBadge origin={p.origin} />
            </li>
          ))}
        </ul>
      </>
    );
  }
  const policy = await getPolicy(db, user, found.id);
  const domainOfPolicy = policy.origin.kind === "domain" ? policy.origin.domainSlug : undefined;
  const mayEdit = can(user, "policy.manage", { domainId: policy.domainId });
  const manageable = (await db.domain.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } })).filter((d) =>
    can(user, "policy.manage", { domainId: d.id }),
  );
  const tightenable = policy.origin.kind === "global" && policy.appliesTo === "product" ? manageable.filter((d) => !related.some((r) => r.origin.kind === "domain" && r.origin.domainSlug === d.slug)) : [];
  const failing =
    policy.appliesTo === "product"
      ? (await latestResults(db, user, { policy: policy.key, domain: domainOfPolicy })).filter((p) =>
          p.results.some((r) => r.policyKey === policy.key && (r.outcome === "fail" || r.outcome === "error")),
        )
      : [];
  const global = policy.refines ? related.find((r) => r.origin.kind === "global") : null;
  const refinements = related.filter((r) => r.refines === policy.key && r.origin.kind === "domain");

  // The input document for a chosen product (what rules read and OPA receives as input).
  const productSlug = first(raw.product) || undefined;
  const productOptions =
    policy.appliesTo === "product"
      ? await db.dataProduct.findMany({
          where: { AND: [visibleProductsWhere(user), domainOfPolicy ? { domain: { slug: domainOfPolicy } } : {}] },
          orderBy: { name: "asc" },
          take: 200,
          select: { slug: true, name: true },
        })
      : [];
  let inputDoc: unknown = null;
  let inputError: string | null = null;
  if (policy.appliesTo === "access") inputDoc = exampleAccessDocument();
  else if (productSlug) {
    try {
      inputDoc = await policyInputDocument(db, user, productSlug);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      inputError = err.message;
    }
  }
  const selfHref = policyHref(policy);

  return (
    <article aria-labelledby="policy-title">
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/governance" className="hover:underline">
          Governance
        </Link>{" "}
        /{" "}
        <Link href="/governance/policies" className="hover:underline">
          Policies
        </Link>{" "}
        / {policy.key}
      </nav>
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 id="policy-title" className="text-2xl font-semibold tracking-tight">
            {policy.title}
          </h1>
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            <span className="font-mono text-xs text-slate-600">{policy.key}</span>
            <SeverityBadge severity={policy.severity} />
            <OriginBadge origin={policy.origin} refines={policy.refines} />
            <Badge>v{policy.version}</Badge>
            <Badge tone={policy.engine === "opa" ? "violet" : "gray"}>{policy.engine === "opa" ? "OPA" : "rules"}</Badge>
            <span className="text-slate-600">applies to {policy.appliesTo === "product" ? "data products" : "access requests"}</span>
            {!policy.enabled ? <Badge tone="amber">disabled</Badge> : null}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          {mayEdit ? (
            <Link href={`/governance/policies/${encodeURIComponent(policy.key)}/edit${domainOfPolicy ? `?domain=${encodeURIComponent(domainOfPolicy)}` : ""}`} className="btn-primary">
              Edit policy
            </Link>
          ) : null}
          {tightenable.map((d) => (
            <Link key={d.slug} href={`/governance/policies/new?refines=${encodeURIComponent(policy.key)}&domain=${encodeURIComponent(d.slug)}`} className="btn-secondary">
              Tighten for {d.name}
            </Link>
          ))}
        </div>
      </header>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="why" className="card p-4 text-sm">
          <h2 id="why" className="mb-1 text-base font-semibold">
            Why
          </h2>
          <p className="whitespace-pre-line text-slate-700">{policy.rationale}</p>
        </section>
        <section aria-labelledby="fix" className="card p-4 text-sm">
          <h2 id="fix" className="mb-1 text-base font-semibold">
            How to fix a failure
          </h2>
          <p className="whitespace-pre-line text-slate-700">{policy.remediation}</p>
        </section>
      </div>

      <section aria-labelledby="origin" className="mt-6">
        <h2 id="origin" className="mb-2 text-lg font-semibold">
          Where it comes from
        </h2>
        <div className="card p-4 text-sm text-slate-700">
          {policy.origin.kind === "global" ? (
            <p>A global policy: set by the platform&apos;s governance admins, in force in every domain{refinements.length ? " except where a domain tightened it" : ""}.</p>
          ) : policy.refines ? (
            <p>
              {policy.origin.domainName}&apos;s tightening of the global policy{" "}
              {global ? (
                <Link href={policyHref(global)} className="text-canopy-800 hover:underline">
                  {global.title}
                </Link>
              ) : (
                policy.refines
              )}
              : in {policy.origin.domainName} it replaces the global policy, with a stricter severity or parameters. Stewards may only tighten, never loosen.
            </p>
          ) : (
            <p>{policy.origin.domainName}&apos;s own policy, set by its stewards; it applies to products of {policy.origin.domainName} only.</p>
          )}
          {refinements.length ? (
            <p className="mt-2">
              Tightened by:{" "}
              {refinements.map((r, i) => (
                <span key={r.id}>
                  {i ? ", " : ""}
                  <Link href={policyHref(r)} className="text-canopy-800 hover:underline">
                    {r.origin.kind === "domain" ? r.origin.domainName : r.key}
                  </Link>{" "}
                  ({r.severity})
                </span>
              ))}
            </p>
          ) : null}
          <p className="mt-2">
            Last changed {when(policy.updatedAt)} UTC{policy.updatedBy ? ` by ${policy.updatedBy}` : ""}.
          </p>
        </div>
      </section>

      <section aria-labelledby="definition" className="mt-6">
        <h2 id="definition" className="mb-2 text-lg font-semibold">
          {policy.refines ? "The tightening" : "Rule definition"}
        </h2>
        <pre tabIndex={0} aria-label="Policy definition" className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">
          {JSON.stringify(policy.definition, null, 2)}
        </pre>
      </section>

      {policy.appliesTo === "product" ? (
        <section aria-labelledby="failing" className="mt-6">
          <h2 id="failing" className="mb-2 text-lg font-semibold">
            Products failing it ({failing.length})
          </h2>
          {failing.length ? (
            <div className="card overflow-x-auto">
              <DataTable caption="Products whose latest evaluation fails this policy" columns={["Product", "Domain", "Score", "Findings", "Evaluated"]}>
                {failing.map((p) => {
                  const r = p.results.find((x) => x.policyKey === policy.key);
                  return (
                    <tr key={p.slug} className="border-b border-slate-100 align-top">
                      <th scope="row" className="px-3 py-2 font-medium">
                        <Link href={`/products/${p.slug}`} className="text-canopy-800 hover:underline">
                          {p.name}
                        </Link>
                      </th>
                      <td className="px-3 py-2">{p.domain.name}</td>
                      <td className="px-3 py-2">
                        <ScoreBadge score={p.score} />
                      </td>
                      <td className="px-3 py-2 text-slate-700">{r?.findings.map((f) => f.message).slice(0, 3).join("; ") || r?.outcome}</td>
                      <td className="px-3 py-2 whitespace-nowrap text-slate-600">{when(p.evaluatedAt)}</td>
                    </tr>
                  );
                })}
              </DataTable>
            </div>
          ) : (
            <p className="card p-4 text-sm text-slate-600">No product you can see fails this policy.</p>
          )}
        </section>
      ) : null}

      <section aria-labelledby="input-doc" className="mt-6">
        <h2 id="input-doc" className="mb-2 text-lg font-semibold">
          Input document
        </h2>
        <p className="mb-2 text-sm text-slate-600">
          {policy.appliesTo === "access"
            ? "What an access policy sees, for an example request."
            : `What the policy reads${policy.engine === "opa" ? " (and OPA receives as input)" : ""} for a product: choose one.`}
        </p>
        {policy.appliesTo === "product" ? (
          <form method="get" action={`/governance/policies/${encodeURIComponent(policy.key)}`} className="card mb-3 flex flex-wrap items-end gap-3 p-4" key={productSlug ?? ""}>
            {domainOfPolicy ? <input type="hidden" name="domain" value={domainOfPolicy} /> : null}
            <div className="min-w-64">
              <FilterSelect name="product" label="Product" defaultValue={productSlug} options={[{ value: "", label: "Choose a product…" }, ...productOptions.map((p) => ({ value: p.slug, label: p.name }))]} />
            </div>
            <FilterButtons active={Boolean(productSlug)} clearHref={selfHref} />
          </form>
        ) : null}
        {inputError ? (
          <p role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            {inputError}
          </p>
        ) : inputDoc ? (
          <pre tabIndex={0} aria-label="Input document" className="max-h-[32rem] overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">
            {JSON.stringify(inputDoc, null, 2)}
          </pre>
        ) : null}
      </section>

      <section aria-labelledby="history" className="mt-6">
        <h2 id="history" className="mb-2 text-lg font-semibold">
          Version history
        </h2>
        <ol className="space-y-3">
          {policy.versions.map((v) => (
            <li key={v.version} className="space-y-2">
              <p className="text-sm">
                <span className="font-mono font-semibold">v{v.version}</span> <time dateTime={v.createdAt}>{when(v.createdAt)} UTC</time>
                {v.changedBy ? <> by {v.changedBy}</> : null}
                {v.reason ? <span className="text-slate-700"> — {v.reason}</span> : null}
              </p>
              {v.diff.length ? <LineDiff title={`Changes in v${v.version}`} lines={v.diff} /> : null}
            </li>
          ))}
        </ol>
        <p className="mt-3 text-sm">
          {can(user, "audit.read", null) ? (
            <Link href={`/admin/audit?targetType=policy&targetId=${policy.id}`} className="text-canopy-800 hover:underline">
              This policy in the audit trail
            </Link>
          ) : null}
        </p>
      </section>
    </article>
  );
}
