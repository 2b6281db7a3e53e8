import type { Metadata } from "next";
import Link from "next/link";
import { OriginBadge, SeverityBadge } from "@/components/governance/badges";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterButtons, FilterSelect } from "@/components/ui/filter-fields";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { listPolicies } from "@/lib/governance/policies";
import { policyHref } from "@/components/governance/policy-links";

export const metadata: Metadata = { title: "Policies" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PoliciesPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const db = await getPrisma();
  const domains = await db.domain.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } });
  const domainParam = first(raw.domain) ?? "";
  const domain = domains.find((d) => d.slug === domainParam) ?? null;
  const appliesTo = first(raw.appliesTo) === "access" ? "access" : first(raw.appliesTo) === "product" ? "product" : undefined;
  const policies = await listPolicies(db, user, { domain: domain?.slug ?? null, appliesTo, includeDisabled: !domain });
  const manageable = domains.filter((d) => can(user, "policy.manage", { domainId: d.id }));
  const mayAdd = can(user, "policy.manage", { domainId: null }) || manageable.length > 0;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/governance" className="hover:underline">
          Governance
        </Link>{" "}
        / Policies
      </nav>
      <PageHeader
        title="Policies"
        description="The rules every data product is checked against: global policies set by the governance admins, and each domain's own or tightened ones set by its stewards."
        actions={
          mayAdd ? (
            <Link href="/governance/policies/new" className="btn-primary">
              Add a policy
            </Link>
          ) : null
        }
      />
      <form method="get" action="/governance/policies" role="search" aria-label="Filter the policies" className="card mb-6 grid gap-3 p-4 md:grid-cols-4" key={`${domainParam}|${appliesTo ?? ""}`}>
        <FilterSelect
          name="domain"
          label="In force in"
          defaultValue={domain?.slug}
          options={[{ value: "", label: "All policies" }, ...domains.map((d) => ({ value: d.slug, label: d.name }))]}
        />
        <FilterSelect
          name="appliesTo"
          label="Applies to"
          defaultValue={appliesTo}
          options={[
            { value: "", label: "Products and access" },
            { value: "product", label: "Products" },
            { value: "access", label: "Access requests" },
          ]}
        />
        <FilterButtons active={Boolean(domain || appliesTo)} clearHref="/governance/policies" />
      </form>
      {domainParam && !domain ? (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          There is no domain “{domainParam}”; showing all policies.
        </p>
      ) : null}
      {domain ? (
        <p className="mb-3 text-sm text-slate-600">
          What a product in {domain.name} is checked against: the global policies (or {domain.name}&apos;s tightening of them) and {domain.name}&apos;s own.
        </p>
      ) : null}
      {policies.length ? (
        <div className="card overflow-x-auto">
          <DataTable caption="Policies" columns={["Policy", "Key", "Severity", "Origin", "Applies to", "Version", "Engine"]}>
            {policies.map((p) => (
              <tr key={p.id} className="border-b border-slate-100 align-top">
                <th scope="row" className="px-3 py-2 font-medium">
                  <Link href={policyHref(p)} className="text-canopy-800 hover:underline">
                    {p.title}
                  </Link>
                  {!p.enabled ? (
                    <span className="ml-2">
                      <Badge>disabled</Badge>
                    </span>
                  ) : null}
                </th>
                <td className="px-3 py-2 font-mono text-xs">{p.key}</td>
                <td className="px-3 py-2">
                  <SeverityBadge severity={p.severity} />
                </td>
                <td className="px-3 py-2">
                  <OriginBadge origin={p.origin} refines={p.refines} />
                </td>
                <td className="px-3 py-2">{p.appliesTo === "product" ? "products" : "access requests"}</td>
                <td className="px-3 py-2">v{p.version}</td>
                <td className="px-3 py-2">{p.engine === "opa" ? "OPA" : "rules"}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      ) : (
        <EmptyState title="No policies yet" action={mayAdd ? <Link href="/governance/policies/new" className="btn-primary">Add a policy</Link> : undefined}>
          Policies describe what a good data product looks like; products are checked against them before they are published.
        </EmptyState>
      )}
    </>
  );
}
