"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type ChangeEvent, type DragEvent, type ReactNode } from "react";
import type { DbtImportReport } from "@/lib/lineage/dbt/report";

/** Same limit as the server's (lib/lineage/dbt/manifest.ts); checked here to spare a 50 MB upload. */
const MAX_MANIFEST_BYTES = 50 * 1024 * 1024;

type Problem = { status: number; error: string; issues?: string[] };
type Phase =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "checked"; report: DbtImportReport }
  | { kind: "importing"; report: DbtImportReport }
  | { kind: "done"; report: DbtImportReport };

async function send(file: File, dryRun: boolean): Promise<{ ok: true; report: DbtImportReport } | { ok: false; problem: Problem }> {
  const form = new FormData();
  form.set("manifest", file, file.name);
  if (dryRun) form.set("dryRun", "true");
  let res: Response;
  try {
    res = await fetch("/api/v1/lineage/dbt", { method: "POST", body: form, cache: "no-store", headers: { Accept: "application/json" } });
  } catch {
    return { ok: false, problem: { status: 0, error: "Canopy could not be reached. Check your connection and try again." } };
  }
  const body = (await res.json().catch(() => null)) as (DbtImportReport & { error?: string; details?: { issues?: string[] } }) | null;
  if (!res.ok || !body)
    return { ok: false, problem: { status: res.status, error: body?.error ?? `The import failed (HTTP ${res.status})`, issues: body?.details?.issues } };
  return { ok: true, report: body };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Upload a dbt manifest.json: pick or drop the file, check what it would change (a dry run on the
 * server, so the preview is exact), then import. The report lists edges, docs and quality rules
 * changed, and the ports left alone with the reason.
 */
export function DbtImport() {
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const reportRef = useRef<HTMLHeadingElement>(null);
  const ids = { file: useId(), hint: useId(), status: useId() };

  // A file chosen before the page finished loading is in the input already: take it.
  useEffect(() => {
    const early = inputRef.current?.files?.[0];
    if (early) setFile(early);
  }, []);
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);
  useEffect(() => {
    if (phase.kind === "checked" || phase.kind === "done") reportRef.current?.focus();
  }, [phase.kind]);

  const busy = phase.kind === "checking" || phase.kind === "importing";

  function choose(next: File | null) {
    setProblem(null);
    setPhase({ kind: "idle" });
    if (!next) {
      setFile(null);
      return;
    }
    if (next.size > MAX_MANIFEST_BYTES) {
      setFile(null);
      setProblem({ status: 413, error: `${next.name} is ${(next.size / 1024 / 1024).toFixed(1)} MB; Canopy imports manifests of at most 50 MB.` });
      if (inputRef.current) inputRef.current.value = "";
      return;
    }
    setFile(next);
  }

  function onPick(e: ChangeEvent<HTMLInputElement>) {
    choose(e.target.files?.[0] ?? null);
  }

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const dropped = e.dataTransfer.files?.[0];
    if (dropped) choose(dropped);
  }

  async function check() {
    if (!file) {
      setProblem({ status: 0, error: "Choose your project's target/manifest.json first." });
      return;
    }
    setProblem(null);
    setPhase({ kind: "checking" });
    const answer = await send(file, true);
    if (!answer.ok) {
      setPhase({ kind: "idle" });
      setProblem(answer.problem);
      return;
    }
    setPhase({ kind: "checked", report: answer.report });
  }

  async function apply() {
    if (!file || phase.kind !== "checked") return;
    const preview = phase.report;
    setProblem(null);
    setPhase({ kind: "importing", report: preview });
    const answer = await send(file, false);
    if (!answer.ok) {
      setPhase({ kind: "checked", report: preview });
      setProblem(answer.problem);
      return;
    }
    setPhase({ kind: "done", report: answer.report });
    router.refresh();
  }

  function reset() {
    setFile(null);
    setProblem(null);
    setPhase({ kind: "idle" });
    if (inputRef.current) inputRef.current.value = "";
    requestAnimationFrame(() => inputRef.current?.focus());
  }

  const report = phase.kind === "checked" || phase.kind === "importing" || phase.kind === "done" ? phase.report : null;

  return (
    <div className="space-y-6">
      <form
        className="card space-y-4 p-6"
        aria-labelledby="dbt-source"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <h2 id="dbt-source" className="text-lg font-semibold text-slate-900">
          Manifest
        </h2>
        <div
          onDragOver={(e) => {
            e.preventDefault();
            if (!busy) setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="dbt-drop-zone"
          className={`rounded-lg border-2 border-dashed p-6 text-center transition-colors ${dragging ? "border-canopy-600 bg-canopy-50" : "border-slate-300 bg-slate-50"}`}
        >
          <label htmlFor={ids.file} className="block text-sm font-medium text-slate-800">
            manifest.json
          </label>
          <input
            ref={inputRef}
            id={ids.file}
            type="file"
            accept=".json,application/json"
            aria-describedby={ids.hint}
            onChange={onPick}
            disabled={busy}
            className="mx-auto mt-2 block text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
          />
          <p id={ids.hint} className="mt-2 text-xs text-slate-600">
            Choose or drop the <code className="font-mono">target/manifest.json</code> that <code className="font-mono">dbt compile</code>,{" "}
            <code className="font-mono">dbt build</code> or <code className="font-mono">dbt docs generate</code> writes (dbt 1.3 or later, at most 50 MB).
          </p>
          {file ? (
            <p className="mt-2 text-sm text-slate-800">
              Selected: <span className="font-medium">{file.name}</span> ({Math.max(1, Math.round(file.size / 1024))} KB)
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className="btn-primary" disabled={busy || !file}>
            {phase.kind === "checking" ? "Checking…" : "Check what would change"}
          </button>
          <span id={ids.status} role="status" aria-live="polite" className="text-sm text-slate-600">
            {phase.kind === "checking" ? "Reading the manifest…" : phase.kind === "importing" ? "Importing…" : ""}
          </span>
        </div>
      </form>

      {problem ? (
        <div ref={problemRef} tabIndex={-1} role="alert" aria-labelledby="dbt-problem" className="rounded-md border-2 border-rose-600 bg-white p-4">
          <h2 id="dbt-problem" className="text-base font-semibold text-rose-800">
            {problem.status === 403 ? "You cannot import this manifest" : "The manifest cannot be imported"}
          </h2>
          <p className="mt-1 text-sm text-slate-800">{problem.error}</p>
          {problem.issues && problem.issues.length > 1 ? (
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800">
              {problem.issues.map((i) => (
                <li key={i}>
                  <code className="font-mono text-xs">{i}</code>
                </li>
              ))}
            </ul>
          ) : null}
          <p className="mt-2 text-xs text-slate-600">Nothing was changed.</p>
        </div>
      ) : null}

      {report ? (
        <section aria-labelledby="dbt-report" aria-busy={phase.kind === "importing"} className="card space-y-5 p-6">
          <div>
            <h2 id="dbt-report" ref={reportRef} tabIndex={-1} className="text-lg font-semibold text-slate-900">
              {phase.kind === "done" ? `Imported dbt project ${report.project}` : `What importing ${report.project} would change`}
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              Manifest schema v{report.schemaVersion}
              {report.dbtVersion ? `, dbt ${report.dbtVersion}` : ""}
              {report.generatedAt ? `, generated ${new Date(report.generatedAt).toLocaleString()}` : ""}: {plural(report.counts.models, "model")},{" "}
              {plural(report.counts.seeds, "seed")}, {plural(report.counts.snapshots, "snapshot")}, {plural(report.counts.sources, "source")},{" "}
              {plural(report.counts.tests, "test")}. {plural(report.tables.served, "table")} of {report.tables.total} served by output ports.
            </p>
          </div>
          <ReportSummary report={report} />
          <ReportDetails report={report} />
          <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4">
            {phase.kind === "done" ? (
              <>
                <Link href="/lineage" className="btn-primary">
                  Open the lineage graph
                </Link>
                <button type="button" className="btn-secondary" onClick={reset}>
                  Import another manifest
                </button>
              </>
            ) : (
              <>
                <button type="button" className="btn-primary" onClick={() => void apply()} disabled={busy}>
                  {phase.kind === "importing" ? "Importing…" : "Import"}
                </button>
                <button type="button" className="btn-secondary" onClick={reset} disabled={busy}>
                  Cancel
                </button>
              </>
            )}
          </div>
        </section>
      ) : null}
    </div>
  );
}

function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-sm text-slate-900">{value}</dd>
      {hint ? <dd className="mt-1 text-xs text-slate-600">{hint}</dd> : null}
    </div>
  );
}

function ReportSummary({ report: r }: { report: DbtImportReport }) {
  return (
    <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <Stat
        label="Table lineage"
        value={`${r.edges.added} added, ${r.edges.removed} removed, ${r.edges.unchanged + r.edges.updated} unchanged`}
        hint={r.edges.otherProjects ? `${plural(r.edges.otherProjects, "edge")} recorded by another dbt project, left to it` : undefined}
      />
      <Stat label="Column docs" value={`${r.docs.updated.length} updated`} hint={r.docs.kept ? `${plural(r.docs.kept, "owner's description")} kept as written` : undefined} />
      <Stat
        label="Quality rules"
        value={`${r.rules.added.length} added, ${r.rules.removed.length} removed, ${r.rules.unchanged} unchanged`}
        hint={r.rules.covered ? `${plural(r.rules.covered, "test")} already checked by the owner's rules` : undefined}
      />
      <Stat
        label="Output ports"
        value={`${r.ports.changed.length} changed, ${r.ports.skipped.length + r.ports.restricted} skipped`}
        hint={r.ports.restricted ? `${plural(r.ports.restricted, "port")} of products you cannot see` : undefined}
      />
    </dl>
  );
}

function Details({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  if (count === 0) return null;
  return (
    <details className="rounded-md border border-slate-200 p-3">
      <summary className="cursor-pointer text-sm font-medium text-slate-900">
        {title} ({count})
      </summary>
      <div className="mt-2 text-sm text-slate-800">{children}</div>
    </details>
  );
}

const portName = (p: { product: string; port: string }) => `${p.product} / ${p.port}`;

function ReportDetails({ report: r }: { report: DbtImportReport }) {
  return (
    <div className="space-y-2">
      {r.ports.skipped.length ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <h3 className="font-semibold text-amber-900">Ports left as they are</h3>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-800">
            {r.ports.skipped.map((s) => (
              <li key={portName(s)}>
                <span className="font-medium">{portName(s)}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Details title="Edges added" count={r.edges.added}>
        <EdgeList edges={r.edges.addedList} />
      </Details>
      <Details title="Edges removed" count={r.edges.removed}>
        <EdgeList edges={r.edges.removedList} />
      </Details>
      <Details title="Column docs updated" count={r.docs.updated.length}>
        <ul className="list-disc space-y-1 pl-5">
          {r.docs.updated.map((d) => (
            <li key={`${portName(d)}.${d.column}`}>
              {portName(d)}: <code className="font-mono text-xs">{d.column}</code>
            </li>
          ))}
        </ul>
      </Details>
      <Details title="Quality rules added" count={r.rules.added.length}>
        <RuleList rules={r.rules.added} />
      </Details>
      <Details title="Quality rules removed" count={r.rules.removed.length}>
        <RuleList rules={r.rules.removed} />
      </Details>
      <Details title="Tests not turned into rules" count={r.rules.notApplied.length + r.rules.unsupported.length + (r.rules.withoutPort ? 1 : 0)}>
        <ul className="list-disc space-y-1 pl-5">
          {r.rules.notApplied.map((n) => (
            <li key={`${n.test}-${n.product ?? ""}-${n.port ?? ""}`}>
              <code className="font-mono text-xs">{n.test}</code>
              {n.product ? ` on ${n.product} / ${n.port}` : ""}: {n.reason}
            </li>
          ))}
          {r.rules.unsupported.map((u) => (
            <li key={u.test}>
              <code className="font-mono text-xs">{u.test}</code>: {u.reason}
            </li>
          ))}
          {r.rules.withoutPort ? <li>{plural(r.rules.withoutPort, "test")} on tables no output port serves</li> : null}
        </ul>
      </Details>
      <Details title="Nodes without a table" count={r.skippedNodes.length}>
        <ul className="list-disc space-y-1 pl-5">
          {r.skippedNodes.map((n) => (
            <li key={n.uniqueId}>
              <code className="font-mono text-xs">{n.uniqueId}</code>: {n.reason}
            </li>
          ))}
        </ul>
      </Details>
      {r.truncated ? <p className="text-xs text-slate-600">Long lists are cut at 200 entries; the counts are complete.</p> : null}
    </div>
  );
}

function EdgeList({ edges }: { edges: DbtImportReport["edges"]["addedList"] }) {
  return (
    <ul className="list-disc space-y-1 pl-5">
      {edges.map((e) => (
        <li key={`${e.from}>${e.to}`}>
          <code className="font-mono text-xs">{e.from}</code> → <code className="font-mono text-xs">{e.to}</code>
        </li>
      ))}
    </ul>
  );
}

function RuleList({ rules }: { rules: DbtImportReport["rules"]["added"] }) {
  const label: Record<string, string> = { nullValues: "no nulls", duplicateValues: "no duplicates", sql: "SQL check" };
  return (
    <ul className="list-disc space-y-1 pl-5">
      {rules.map((r) => (
        <li key={`${portName(r)}-${r.test}`}>
          {portName(r)}: <code className="font-mono text-xs">{r.column}</code> — {label[r.check] ?? r.check} <span className="text-xs text-slate-600">({r.test})</span>
        </li>
      ))}
    </ul>
  );
}
