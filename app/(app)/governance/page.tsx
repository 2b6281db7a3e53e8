import type { Metadata } from "next";
import Link from "next/link";
import { StatusBadge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { domainOverview } from "@/lib/catalog/governance";
import { LIFECYCLE_STATUSES } from "@/lib/catalog/queries";
import { getPrisma } from "@/lib/db/client";

export const metadata: Metadata = { title: "Governance" };

export default async function GovernancePage() {
  const user = await requireUser();
  const domains = await domainOverview(await getPrisma(), user);
  return (
    <>
      <PageHeader title="Governance" description="The domains of the mesh, who stewards them, and where their products are in their lifecycle." />
      {domains.length ? (
        <ul className="grid gap-4 md:grid-cols-2">
          {domains.map((d) => (
            <li key={d.slug} className="card p-4">
              <h2 className="text-base font-semibold">
                <Link href={`/products?domain=${d.slug}`} className="text-canopy-800 hover:underline">
                  {d.name}
                </Link>
              </h2>
              <p className="mt-1 text-sm text-slate-600">{d.description}</p>
              <p className="mt-2 text-sm">
                <span className="font-medium">Stewards: </span>
                {d.stewards.length ? d.stewards.map((s) => s.name).join(", ") : <span className="text-slate-500">none yet</span>}
              </p>
              <ul className="mt-3 flex flex-wrap gap-3 text-sm" aria-label={`Products in ${d.name} by status`}>
                {LIFECYCLE_STATUSES.map((s) => (
                  <li key={s} className="flex items-center gap-1">
                    <StatusBadge status={s} /> {d.byStatus[s] ?? 0}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="No domains yet">A platform admin creates the mesh&apos;s domains.</EmptyState>
      )}
    </>
  );
}
