"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";
import type { TableSource, TrinoColumnDto } from "@/components/wizard/form-state";

const enc = encodeURIComponent;
export const trinoKeys = {
  catalogs: () => ["trino", "catalogs"] as const,
  schemas: (c: string) => ["trino", "schemas", c] as const,
  tables: (c: string, s: string) => ["trino", "tables", c, s] as const,
  columns: (c: string, s: string, t: string) => ["trino", "columns", c, s, t] as const,
};

function LevelError({ what, error, onRetry }: { what: string; error: Error; onRetry: () => void }) {
  return (
    <div role="alert" className="mt-1 rounded-md bg-amber-50 p-2 text-sm text-amber-900">
      Could not load the {what}: {error.message}{" "}
      <button type="button" className="font-medium underline" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/**
 * Browses Trino as the signed-in user — catalogs, then schemas, then tables — and imports a
 * table's columns into the port.
 */
export function TrinoBrowser({
  portName,
  initial,
  onImport,
}: {
  portName: string;
  initial: TableSource | null;
  onImport: (source: TableSource, columns: TrinoColumnDto[]) => void;
}) {
  const id = useId();
  const qc = useQueryClient();
  const [catalog, setCatalog] = useState(initial?.catalog ?? "");
  const [schema, setSchema] = useState(initial?.schema ?? "");
  const [table, setTable] = useState(initial?.table ?? "");
  const [importing, setImporting] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const catalogs = useQuery({
    queryKey: trinoKeys.catalogs(),
    queryFn: ({ signal }) => fetchJson<{ catalogs: string[] }>("/api/v1/trino/catalogs", { signal, fallback: "Trino did not answer" }),
    retry: false,
    staleTime: 60_000,
  });
  const schemas = useQuery({
    queryKey: trinoKeys.schemas(catalog),
    enabled: Boolean(catalog),
    queryFn: ({ signal }) => fetchJson<{ schemas: string[] }>(`/api/v1/trino/catalogs/${enc(catalog)}/schemas`, { signal, fallback: "Trino did not answer" }),
    retry: false,
    staleTime: 60_000,
  });
  const tables = useQuery({
    queryKey: trinoKeys.tables(catalog, schema),
    enabled: Boolean(catalog && schema),
    queryFn: ({ signal }) =>
      fetchJson<{ tables: string[] }>(`/api/v1/trino/catalogs/${enc(catalog)}/schemas/${enc(schema)}/tables`, { signal, fallback: "Trino did not answer" }),
    retry: false,
    staleTime: 60_000,
  });

  async function importColumns() {
    if (!catalog || !schema || !table) return;
    setImporting(true);
    setResult(null);
    try {
      const r = await qc.fetchQuery({
        queryKey: trinoKeys.columns(catalog, schema, table),
        queryFn: ({ signal }) =>
          fetchJson<{ columns: TrinoColumnDto[] }>(`/api/v1/trino/catalogs/${enc(catalog)}/schemas/${enc(schema)}/tables/${enc(table)}/columns`, {
            signal,
            fallback: "Trino did not answer",
          }),
        staleTime: 0,
        retry: false,
      });
      onImport({ catalog, schema, table }, r.columns);
      setResult({ ok: true, text: `Imported ${r.columns.length} columns from ${catalog}.${schema}.${table}.` });
    } catch (e) {
      setResult({ ok: false, text: `Could not import the columns: ${e instanceof Error ? e.message : "Trino did not answer"}` });
    } finally {
      setImporting(false);
    }
  }

  const select = "input mt-1";
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
      <p className="mb-2 text-sm text-slate-700">
        Browse Trino as yourself: you see what Trino lets you read. Pick the table this port serves, then import its columns.
      </p>
      <div className="grid gap-3 md:grid-cols-3">
        <div>
          <label htmlFor={`${id}-catalog`} className="block text-sm font-medium">
            Catalog
          </label>
          <select
            id={`${id}-catalog`}
            className={select}
            value={catalog}
            disabled={!catalogs.data}
            aria-busy={catalogs.isFetching}
            onChange={(e) => {
              setCatalog(e.target.value);
              setSchema("");
              setTable("");
              setResult(null);
            }}
          >
            <option value="">{catalogs.isPending ? "Loading catalogs…" : "Choose a catalog…"}</option>
            {catalogs.data?.catalogs.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {catalogs.error ? <LevelError what="catalogs" error={catalogs.error} onRetry={() => void catalogs.refetch()} /> : null}
          {catalogs.data && catalogs.data.catalogs.length === 0 ? <p className="mt-1 text-xs text-slate-600">Trino shows you no catalogs.</p> : null}
        </div>
        <div>
          <label htmlFor={`${id}-schema`} className="block text-sm font-medium">
            Schema
          </label>
          <select
            id={`${id}-schema`}
            className={select}
            value={schema}
            disabled={!catalog || !schemas.data}
            onChange={(e) => {
              setSchema(e.target.value);
              setTable("");
              setResult(null);
            }}
          >
            <option value="">{catalog && schemas.isPending ? "Loading schemas…" : "Choose a schema…"}</option>
            {schemas.data?.schemas.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          {schemas.error ? <LevelError what="schemas" error={schemas.error} onRetry={() => void schemas.refetch()} /> : null}
        </div>
        <div>
          <label htmlFor={`${id}-table`} className="block text-sm font-medium">
            Table
          </label>
          <select
            id={`${id}-table`}
            className={select}
            value={table}
            disabled={!schema || !tables.data}
            onChange={(e) => {
              setTable(e.target.value);
              setResult(null);
            }}
          >
            <option value="">{schema && tables.isPending ? "Loading tables…" : "Choose a table…"}</option>
            {tables.data?.tables.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          {tables.error ? <LevelError what="tables" error={tables.error} onRetry={() => void tables.refetch()} /> : null}
          {tables.data && tables.data.tables.length === 0 ? <p className="mt-1 text-xs text-slate-600">No tables you can see in this schema.</p> : null}
        </div>
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <button type="button" className="btn-secondary" disabled={!table || importing} onClick={() => void importColumns()}>
          {importing ? "Importing…" : `Import columns${portName ? ` into ${portName}` : ""}`}
        </button>
        <div aria-live="polite" className="text-sm">
          {result ? (
            <span role={result.ok ? "status" : "alert"} className={result.ok ? "text-canopy-800" : "text-rose-800"}>
              {result.text}
              {!result.ok ? (
                <>
                  {" "}
                  <button type="button" className="font-medium underline" onClick={() => void importColumns()}>
                    Try again
                  </button>
                </>
              ) : null}
            </span>
          ) : null}
        </div>
      </div>
    </div>
  );
}
