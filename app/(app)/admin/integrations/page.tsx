import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { JobsTable } from "@/components/admin/jobs-table";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { getIntegrations, integrationHealth } from "@/lib/integrations/registry";
import { listJobs } from "@/lib/jobs/outbox";

export const metadata: Metadata = { title: "Integrations" };

const names: Record<string, string> = {
  trino: "Trino",
  kubernetes: "Kubernetes",
  fybrik: "Fybrik",
  openmetadata: "OpenMetadata",
  opa: "Open Policy Agent",
};

export default async function IntegrationsPage() {
  const user = await requireUser();
  if (!can(user, "integrations.view", null)) notFound();
  const db = await getPrisma();
  const [health, jobs, drift] = await Promise.all([
    getIntegrations().then(integrationHealth),
    listJobs(db, {}, 50),
    db.provisionedResource.findMany({
      where: { state: { in: ["drifted", "missing"] } },
      orderBy: { checkedAt: "desc" },
      select: { id: true, kind: true, namespace: true, name: true, state: true, driftReason: true, checkedAt: true, product: { select: { slug: true, name: true } } },
    }),
  ]);
  const rulesEnabled = Boolean(config().integrations.trinoRulesToken);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/admin" className="hover:underline">Admin</Link> / Integrations
      </nav>
      <PageHeader title="Integrations" description="The systems Canopy drives, whether they answer, and the jobs that carry changes to them." />
      <section aria-labelledby="systems" className="mb-8">
        <h2 id="systems" className="sr-only">Systems</h2>
        <ul className="grid gap-3 md:grid-cols-3 lg:grid-cols-5">
          {health.map((h) => (
            <li key={h.system} className="card p-4 text-sm" aria-label={names[h.system]}>
              <div className="mb-1 font-semibold">{names[h.system]}</div>
              <div className="flex flex-wrap gap-1">
                <Badge tone={h.mode === "connected" ? "violet" : "gray"}>{h.mode}</Badge>
                <Badge tone={h.healthy ? "green" : "red"}>{h.healthy ? "healthy" : "unhealthy"}</Badge>
              </div>
              {h.latencyMs !== null ? <p className="mt-1 text-xs text-slate-500">{h.latencyMs} ms</p> : null}
              {h.error ? <p className="mt-1 text-xs break-words text-rose-700">{h.error}</p> : null}
              {h.details
                ? Object.entries(h.details).map(([k, v]) => (
                    <p key={k} className="text-xs text-slate-500">
                      {k}: {v}
                    </p>
                  ))
                : null}
            </li>
          ))}
        </ul>
        <p className="mt-3 text-sm text-slate-600">
          Trino access rules:{" "}
          {rulesEnabled ? (
            <>
              served at <code className="font-mono text-xs">/api/v1/integrations/trino/access-rules</code> (
              <a className="text-canopy-800 underline" href="/api/v1/integrations/trino/access-rules">view</a>)
            </>
          ) : (
            "set TRINO_RULES_TOKEN to let Trino poll them"
          )}
          .
        </p>
      </section>
      <section aria-labelledby="drift" className="mb-8">
        <h2 id="drift" className="mb-3 text-lg font-semibold">Drift</h2>
        {drift.length ? (
          <ul className="card divide-y divide-slate-100">
            {drift.map((d) => (
              <li key={d.id} className="p-3 text-sm">
                <Badge tone={d.state === "missing" ? "red" : "amber"}>{d.state}</Badge>{" "}
                <span className="font-mono text-xs">{d.kind} {d.namespace}/{d.name}</span> of{" "}
                <Link href={`/products/${d.product.slug}`} className="text-canopy-800 underline">{d.product.name}</Link>
                <div className="text-xs text-slate-600">{d.driftReason}</div>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="No drift">What the cluster reports matches what Canopy applied, as of the last reconciliation.</EmptyState>
        )}
      </section>
      <section aria-labelledby="jobs">
        <h2 id="jobs" className="mb-3 text-lg font-semibold">Recent jobs</h2>
        {jobs.length ? <JobsTable jobs={jobs} /> : <EmptyState title="No jobs yet">Jobs appear when a change needs an external system.</EmptyState>}
      </section>
    </>
  );
}
