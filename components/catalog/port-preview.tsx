"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";

type Preview = { columns: { name: string; type: string }[]; rows: unknown[][]; truncated: boolean; masked: string[] };

export const previewKeys = { port: (slug: string, port: string) => ["preview", slug, port] as const };

function cell(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Loads a few rows on demand, read as the signed-in user (Trino's rules decide what comes back). */
export function PortPreview({ slug, port }: { slug: string; port: string }) {
  const [open, setOpen] = useState(false);
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: previewKeys.port(slug, port),
    enabled: open,
    staleTime: 60_000,
    retry: false,
    queryFn: ({ signal }) =>
      fetchJson<Preview>(`/api/v1/products/${encodeURIComponent(slug)}/ports/${encodeURIComponent(port)}/preview?limit=20`, {
        signal,
        fallback: "The preview failed",
      }),
  });
  if (!open) {
    return (
      <button type="button" className="btn-secondary mt-3" onClick={() => setOpen(true)}>
        Preview data
      </button>
    );
  }
  return (
    <div className="mt-3" aria-live="polite">
      {isFetching && !data ? (
        <p role="status" className="text-sm text-slate-500">Loading rows…</p>
      ) : error ? (
        <div role="alert" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {error.message}{" "}
          <button type="button" className="underline" onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      ) : data ? (
        <div className="overflow-x-auto rounded border border-slate-200">
          <table className="w-full text-left font-mono text-xs">
            <caption className="p-2 text-left font-sans text-xs text-slate-500">
              Preview of {port}: {data.rows.length} rows{data.truncated ? " (more exist)" : ""}
              {data.masked.length ? `; masked: ${data.masked.join(", ")}` : ""}
            </caption>
            <thead>
              <tr className="bg-slate-50">
                {data.columns.map((c) => (
                  <th key={c.name} scope="col" className="px-2 py-1 font-semibold whitespace-nowrap">
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r, i) => (
                <tr key={i} className="border-t border-slate-100">
                  {r.map((v, j) => (
                    <td key={j} className="px-2 py-1 whitespace-nowrap">
                      {cell(v)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
