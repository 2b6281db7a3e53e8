"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { fetchJson } from "@/components/ui/fetch-json";
import { JobStatusBadge, jobKindLabel } from "@/components/ui/job-status";
import { requestProductProvisioning } from "@/lib/provisioning/actions";

type Status = {
  resources: { kind: string; namespace: string; name: string; state: string; details: unknown; driftReason: string | null }[];
  jobs: { id: string; kind: string; status: string; attempts: number; maxAttempts: number; lastError: string | null; createdAt: string }[];
};

export const provisioningKeys = { detail: (slug: string) => ["provisioning", slug] as const };

const stateTone = { planned: "blue", applied: "green", drifted: "amber", missing: "red" } as const;

/** The product's infrastructure; refreshes itself while a job is queued or running. */
export function ProvisioningPanel({ slug, canProvision, connected }: { slug: string; canProvision: boolean; connected: boolean }) {
  const qc = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const { data, error, isPending } = useQuery({
    queryKey: provisioningKeys.detail(slug),
    queryFn: ({ signal }) => fetchJson<Status>(`/api/v1/products/${encodeURIComponent(slug)}/provisioning`, { signal }),
    refetchInterval: (q) => (q.state.data?.jobs.some((j) => j.status === "pending" || j.status === "running") ? 2_000 : false),
  });
  const provision = useMutation({
    mutationFn: async () => {
      const result = await requestProductProvisioning({ slug });
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    onSuccess: () => {
      setMessage("Provisioning queued.");
      void qc.invalidateQueries({ queryKey: provisioningKeys.detail(slug) });
    },
    onError: (e) => setMessage(e.message),
  });

  return (
    <section aria-labelledby="infrastructure" className="card p-4">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="infrastructure" className="text-lg font-semibold">
          Infrastructure
        </h2>
        {canProvision ? (
          <button type="button" className="btn-secondary" disabled={provision.isPending} onClick={() => provision.mutate()}>
            {provision.isPending ? "Queueing…" : "Provision now"}
          </button>
        ) : null}
      </div>
      {!connected ? (
        <p className="mb-2 text-xs text-slate-500">Kubernetes is not connected: provisioning records the plan without applying it.</p>
      ) : null}
      {message ? (
        <p role="status" className="mb-2 text-sm text-slate-700">
          {message}
        </p>
      ) : null}
      {isPending ? (
        <p role="status" className="text-sm text-slate-500">Loading…</p>
      ) : error ? (
        <p role="alert" className="text-sm text-rose-700">Could not load the infrastructure: {error.message}</p>
      ) : (
        <>
          {data.resources.length ? (
            <table className="mb-3 w-full text-left text-sm">
              <caption className="sr-only">Kubernetes resources of this product</caption>
              <thead>
                <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
                  <th scope="col" className="py-1 pr-2">Kind</th>
                  <th scope="col" className="py-1 pr-2">Name</th>
                  <th scope="col" className="py-1 pr-2">State</th>
                </tr>
              </thead>
              <tbody>
                {data.resources.map((r) => {
                  const details = (r.details ?? {}) as { bucketName?: string; endpoint?: string };
                  return (
                    <tr key={`${r.kind}/${r.namespace}/${r.name}`} className="border-b border-slate-100 align-top">
                      <td className="py-1 pr-2">{r.kind}</td>
                      <td className="py-1 pr-2 font-mono text-xs">
                        {r.namespace ? `${r.namespace}/` : ""}
                        {r.name}
                        {details.bucketName ? <div className="text-slate-500">bucket {details.bucketName} at {details.endpoint}</div> : null}
                      </td>
                      <td className="py-1 pr-2">
                        <Badge tone={stateTone[r.state as keyof typeof stateTone] ?? "gray"}>{r.state === "planned" ? "planned, not applied" : r.state}</Badge>
                        {r.driftReason ? <div className="text-xs text-amber-800">{r.driftReason}</div> : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p className="mb-3 text-sm text-slate-500">Nothing provisioned yet.</p>
          )}
          {data.jobs.length ? (
            <ul className="space-y-1 text-sm" aria-label="Recent provisioning jobs">
              {data.jobs.map((j) => (
                <li key={j.id} className="flex flex-wrap items-center gap-2">
                  <JobStatusBadge status={j.status} />
                  <span>{jobKindLabel[j.kind] ?? j.kind}</span>
                  <span className="text-xs text-slate-500">
                    attempt {j.attempts}/{j.maxAttempts}
                  </span>
                  {j.lastError ? <span className="w-full text-xs text-rose-700">{j.lastError}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
    </section>
  );
}
