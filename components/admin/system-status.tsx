"use client";

import { useQuery } from "@tanstack/react-query";

type Ready = { status: string; database?: string; migrations?: string; pendingMigrations?: string[] };

export const systemKeys = { ready: ["system", "ready"] as const };

/** Polls the readiness endpoint so an admin sees the database go away (or come back) without reloading. */
export function SystemStatus() {
  const { data, error, isPending, dataUpdatedAt } = useQuery({
    queryKey: systemKeys.ready,
    queryFn: async (): Promise<Ready> => {
      const res = await fetch("/api/ready", { cache: "no-store" });
      return (await res.json()) as Ready;
    },
    refetchInterval: 15_000,
  });
  if (isPending) return <p role="status" className="text-sm text-slate-500">Checking…</p>;
  if (error) return <p role="alert" className="text-sm text-rose-700">The portal did not answer the readiness check.</p>;
  const ok = data.status === "ready";
  return (
    <div role="status" aria-live="polite" className="text-sm">
      <p className={ok ? "font-medium text-emerald-700" : "font-medium text-rose-700"}>
        {ok ? "Ready" : "Not ready"} — database {data.database}
        {data.pendingMigrations?.length ? `, pending migrations: ${data.pendingMigrations.join(", ")}` : ""}
      </p>
      <p className="text-xs text-slate-500">Checked {new Date(dataUpdatedAt).toLocaleTimeString("en-GB")}</p>
    </div>
  );
}
