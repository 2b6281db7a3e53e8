"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { JobStatusBadge, jobKindLabel } from "@/components/ui/job-status";
import { retryFailedJob } from "@/lib/provisioning/actions";
import { DataTable } from "@/components/ui/data-table";

export type JobRow = {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  targetType: string | null;
  targetId: string | null;
  createdAt: string;
};

export function JobsTable({ jobs }: { jobs: JobRow[] }) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const retry = useMutation({
    mutationFn: async (jobId: string) => {
      const r = await retryFailedJob({ jobId });
      if (!r.ok) throw new Error(r.error);
    },
    onSuccess: () => {
      setMessage("Job queued again.");
      router.refresh();
    },
    onError: (e) => setMessage(e.message),
  });
  return (
    <div>
      {message ? (
        <p role="status" className="mb-2 text-sm">
          {message}
        </p>
      ) : null}
      <div className="card overflow-x-auto">
        <DataTable caption="Recent jobs" columns={["Job", "State", "Attempts", "Last error", "Queued", <><span className="sr-only">Actions</span></>]} cellClassName="px-4 py-2">
          {jobs.map((j) => (
            <tr key={j.id} className="border-b border-slate-100 align-top">
              <td className="px-4 py-2">
                {jobKindLabel[j.kind] ?? j.kind}
                <div className="font-mono text-xs text-slate-500">{j.targetType ? `${j.targetType} ${j.targetId?.slice(0, 8)}` : j.id.slice(0, 8)}</div>
              </td>
              <td className="px-4 py-2"><JobStatusBadge status={j.status} /></td>
              <td className="px-4 py-2">{j.attempts}/{j.maxAttempts}</td>
              <td className="max-w-md px-4 py-2 text-xs text-rose-800">{j.lastError ?? ""}</td>
              <td className="px-4 py-2 whitespace-nowrap">{new Date(j.createdAt).toLocaleString("en-GB", { dateStyle: "short", timeStyle: "short" })}</td>
              <td className="px-4 py-2">
                {j.status === "failed" ? (
                  <button
                    type="button"
                    className="btn-secondary"
                    disabled={retry.isPending}
                    onClick={() => retry.mutate(j.id)}
                    aria-label={`Retry ${jobKindLabel[j.kind] ?? j.kind}`}
                  >
                    Retry
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
    </div>
  );
}
