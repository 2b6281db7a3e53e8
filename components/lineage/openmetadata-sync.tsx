"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { fetchJson } from "@/components/ui/fetch-json";
import type { OmSyncStatus } from "@/lib/lineage/openmetadata-jobs";

export const openMetadataSyncKeys = { status: (slug: string) => ["lineage", "openmetadata", slug] as const };

const POLL_MS = 3_000;

const when = (iso: string) => `${new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function lastRunText(status: OmSyncStatus): string {
  const run = status.lastRun;
  if (!run) return "Not synced with OpenMetadata yet.";
  if (run.status === "failed") return `The last sync (${when(run.at)}) failed.`;
  const s = run.summary;
  if (!s) return `Last synced ${when(run.at)} by ${run.actor}.`;
  const parts = [`${plural(s.edges.added, "edge")} added`, `${s.edges.removed} removed`];
  if (s.edges.updated) parts.push(`${s.edges.updated} updated`);
  parts.push(`${s.edges.unchanged} unchanged`);
  const pushed = s.pushed.added.length ? `; ${plural(s.pushed.added.length, "dependency", "dependencies")} pushed` : "";
  return `Last synced ${when(run.at)} by ${run.actor}: ${parts.join(", ")}${pushed}.`;
}

/**
 * The product's lineage sync with OpenMetadata: a status line, the last run's outcome and a "Sync now"
 * button for those who may change the product. Refreshes itself while a sync is queued or running.
 */
export function OpenMetadataSync({ slug, canSync, initialStatus }: { slug: string; canSync: boolean; initialStatus?: OmSyncStatus }) {
  const qc = useQueryClient();
  const key = openMetadataSyncKeys.status(slug);
  const { data: status, error: loadError } = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      fetchJson<OmSyncStatus>(`/api/v1/lineage/openmetadata?product=${encodeURIComponent(slug)}`, {
        signal,
        fallback: "Could not load the OpenMetadata sync status",
      }),
    initialData: initialStatus,
    refetchInterval: (q) => (isActive(q.state.data) ? POLL_MS : false),
  });
  const sync = useMutation({
    mutationFn: () =>
      fetchJson<{ status: OmSyncStatus }>("/api/v1/lineage/openmetadata", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ product: slug }),
        fallback: "Could not start the sync",
      }),
    onSuccess: (res) => qc.setQueryData(key, res.status),
  });

  if (!status) {
    return (
      <section aria-label="OpenMetadata lineage sync" className="text-sm text-slate-600">
        {loadError ? (
          <p role="alert" className="text-rose-800">
            {loadError.message}
          </p>
        ) : (
          <p role="status">Loading the OpenMetadata sync status…</p>
        )}
      </section>
    );
  }

  if (!status.configured) {
    return (
      <section aria-label="OpenMetadata lineage sync" className="text-sm text-slate-600">
        <p>
          <Badge tone="gray">OpenMetadata off</Badge> <span>{status.message}</span>
        </p>
      </section>
    );
  }

  const active = isActive(status);
  const run = status.lastRun;
  const missing = run?.summary?.tables.missing ?? [];
  const pushError = run?.summary?.pushed.error;
  return (
    <section aria-label="OpenMetadata lineage sync" className="flex flex-wrap items-start gap-3 text-sm">
      <div className="min-w-0 flex-1 space-y-1" role="status" aria-live="polite">
        <p className="text-slate-700">
          {active ? (
            <Badge tone="blue">{status.job!.status === "running" ? "Syncing…" : "Sync queued"}</Badge>
          ) : run?.status === "failed" ? (
            <Badge tone="red">Sync failed</Badge>
          ) : run ? (
            <Badge tone="green">Synced</Badge>
          ) : null}{" "}
          <span>{lastRunText(status)}</span>
        </p>
        {active && status.job?.lastError ? (
          <p className="text-amber-900">An attempt failed and will be retried: {status.job.lastError}</p>
        ) : null}
        {!active && run?.status === "failed" && run.error ? <p className="text-rose-800">{run.error}</p> : null}
        {missing.length ? (
          <p className="text-slate-600">Not in OpenMetadata yet: {missing.join(", ")}. Their lineage follows once Canopy has shared them.</p>
        ) : null}
        {pushError ? <p className="text-amber-900">Dependencies could not be pushed: {pushError}</p> : null}
      </div>
      {canSync ? (
        <div className="flex flex-col items-end gap-1">
          <button type="button" className="btn-secondary" disabled={sync.isPending || active} onClick={() => sync.mutate()}>
            {sync.isPending ? "Queuing…" : active ? "Sync in progress" : "Sync now"}
          </button>
          {sync.error ? (
            <p role="alert" className="max-w-xs text-rose-800">
              {sync.error.message}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function isActive(status: OmSyncStatus | undefined): boolean {
  return status?.job?.status === "pending" || status?.job?.status === "running";
}
