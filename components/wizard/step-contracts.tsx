"use client";

import { ColumnsEditor } from "@/components/wizard/columns-editor";
import { describedBy, FieldErrorText, ListErrors, TextArea } from "@/components/wizard/fields";
import { emptyQualityRule, emptySla, fieldId, type FieldErrors, type PortForm, type QualityForm, type SlaForm } from "@/components/wizard/form-state";
import { updatePortIn, type StepProps } from "@/components/wizard/types";
import { QUALITY_METRICS, QUALITY_OPERATORS, SLA_PROPERTIES, SLA_UNITS } from "@/lib/products/spec";

const METRIC_LABELS: Record<(typeof QUALITY_METRICS)[number], string> = {
  nullValues: "Null values",
  duplicateValues: "Duplicate values",
  rowCount: "Row count",
  sql: "Result of an SQL query",
};
const OPERATOR_LABELS: Record<(typeof QUALITY_OPERATORS)[number], string> = {
  mustBe: "must be",
  mustNotBe: "must not be",
  mustBeGreaterThan: "must be greater than",
  mustBeGreaterOrEqualTo: "must be at least",
  mustBeLessThan: "must be less than",
  mustBeLessOrEqualTo: "must be at most",
};
const SLA_LABELS: Record<keyof typeof SLA_PROPERTIES, string> = {
  freshness: "Freshness — data is at most this old",
  latency: "Latency — delay from source to port",
  frequency: "Frequency — refreshed at least this often",
  availability: "Availability — share of time it can be read",
  retention: "Retention — history kept for",
};
const UNIT_LABELS: Record<(typeof SLA_UNITS)[number], string> = { m: "minutes", h: "hours", d: "days", w: "weeks", y: "years", "%": "percent" };

const bad = (errors: FieldErrors, key: string) => Boolean(errors[key]?.length);
const cls = (errors: FieldErrors, key: string) => `input mt-1${bad(errors, key) ? " border-rose-600 ring-1 ring-rose-600" : ""}`;

/** A labelled control inside a rule row, with its errors. */
function Cell({ k, label, errors, children, className }: { k: string; label: string; errors: FieldErrors; children: React.ReactNode; className?: string }) {
  return (
    <div className={className}>
      <label htmlFor={fieldId(k)} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      <FieldErrorText name={k} errors={errors} />
    </div>
  );
}

export function StepContracts({ form, update, errors }: StepProps) {
  if (!form.outputPorts.length) {
    return <p className="text-sm text-slate-600">Add an output port first: each port has its own contract.</p>;
  }
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        A contract tells consumers what they can rely on: what each column means and how sensitive it is, the quality checks that run, service levels, and the
        terms of use. It is stored as an ODCS document per port.
      </p>
      {form.outputPorts.map((port, i) => (
        <PortContract key={port.key} index={i} port={port} errors={errors} set={(fn) => update((f) => updatePortIn(f, i, fn))} />
      ))}
    </div>
  );
}

function PortContract({ index, port, errors, set }: { index: number; port: PortForm; errors: FieldErrors; set: (fn: (p: PortForm) => PortForm) => void }) {
  const base = `outputPorts.${index}`;
  const title = port.name || `Port ${index + 1}`;
  const setRule = (j: number, patch: Partial<QualityForm>) =>
    set((p) => ({ ...p, contract: { ...p.contract, quality: p.contract.quality.map((q, k) => (k === j ? { ...q, ...patch } : q)) } }));
  const setSla = (j: number, patch: Partial<SlaForm>) =>
    set((p) => ({ ...p, contract: { ...p.contract, sla: p.contract.sla.map((s, k) => (k === j ? { ...s, ...patch } : s)) } }));
  const columnOptions = port.columns.filter((c) => c.name).map((c) => c.name);

  return (
    <section aria-label={`Contract of ${title}`} className="card space-y-5 p-4" id={`${fieldId(`${base}.contract`)}-section`} tabIndex={-1}>
      <h3 className="text-base font-semibold">
        Contract of <span className="font-mono">{title}</span>
      </h3>

      <div>
        <h4 className="mb-2 text-sm font-semibold text-slate-800">Columns</h4>
        <ColumnsEditor base={base} port={port} errors={errors} set={set} />
      </div>

      <div id={`${fieldId(`${base}.contract.quality`)}-section`} tabIndex={-1}>
        <h4 className="mb-2 text-sm font-semibold text-slate-800">Quality checks</h4>
        <ListErrors name={`${base}.contract.quality`} errors={errors} />
        {port.contract.quality.length === 0 ? <p className="text-sm text-slate-500">No quality checks yet.</p> : null}
        <ol className="space-y-3">
          {port.contract.quality.map((q, j) => {
            const k = (f: string) => `${base}.contract.quality.${j}.${f}`;
            return (
              <li key={q.key} className="rounded-md border border-slate-200 p-3" aria-label={`Quality check ${j + 1}`}>
                <div className="grid gap-3 md:grid-cols-4">
                  <Cell k={k("metric")} label="Check" errors={errors}>
                    <select id={fieldId(k("metric"))} className={cls(errors, k("metric"))} value={q.metric} aria-describedby={describedBy(k("metric"), errors)} onChange={(e) => setRule(j, { metric: e.target.value, ...(e.target.value !== "sql" ? { query: "" } : { column: "" }) })}>
                      {QUALITY_METRICS.map((m) => (
                        <option key={m} value={m}>
                          {METRIC_LABELS[m]}
                        </option>
                      ))}
                    </select>
                  </Cell>
                  <Cell k={k("column")} label="Column" errors={errors}>
                    <select
                      id={fieldId(k("column"))}
                      className={cls(errors, k("column"))}
                      value={q.column}
                      disabled={q.metric === "sql" || q.metric === "rowCount"}
                      aria-invalid={bad(errors, k("column")) || undefined}
                      aria-describedby={describedBy(k("column"), errors)}
                      onChange={(e) => setRule(j, { column: e.target.value })}
                    >
                      <option value="">Whole table</option>
                      {q.column && !columnOptions.includes(q.column) ? <option value={q.column}>{q.column} (not a column)</option> : null}
                      {columnOptions.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </Cell>
                  <Cell k={k("operator")} label="Comparison" errors={errors}>
                    <select id={fieldId(k("operator"))} className={cls(errors, k("operator"))} value={q.operator} aria-describedby={describedBy(k("operator"), errors)} onChange={(e) => setRule(j, { operator: e.target.value })}>
                      {QUALITY_OPERATORS.map((o) => (
                        <option key={o} value={o}>
                          {OPERATOR_LABELS[o]}
                        </option>
                      ))}
                    </select>
                  </Cell>
                  <Cell k={k("threshold")} label="Threshold" errors={errors}>
                    <input
                      id={fieldId(k("threshold"))}
                      className={cls(errors, k("threshold"))}
                      inputMode="decimal"
                      value={q.threshold}
                      aria-invalid={bad(errors, k("threshold")) || undefined}
                      aria-describedby={describedBy(k("threshold"), errors)}
                      onChange={(e) => setRule(j, { threshold: e.target.value })}
                    />
                  </Cell>
                </div>
                {q.metric === "sql" ? (
                  <Cell k={k("query")} label="SQL query returning one number ({object} stands for the table)" errors={errors} className="mt-3">
                    <textarea
                      id={fieldId(k("query"))}
                      rows={2}
                      className={`${cls(errors, k("query"))} font-mono`}
                      value={q.query}
                      aria-invalid={bad(errors, k("query")) || undefined}
                      aria-describedby={describedBy(k("query"), errors)}
                      onChange={(e) => setRule(j, { query: e.target.value })}
                    />
                  </Cell>
                ) : null}
                <div className="mt-3 flex flex-wrap items-end gap-3">
                  <Cell k={k("description")} label="Description (optional)" errors={errors} className="min-w-64 flex-1">
                    <input id={fieldId(k("description"))} className={cls(errors, k("description"))} value={q.description} onChange={(e) => setRule(j, { description: e.target.value })} />
                  </Cell>
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Remove quality check ${j + 1}`}
                    onClick={() => set((p) => ({ ...p, contract: { ...p.contract, quality: p.contract.quality.filter((_q, n) => n !== j) } }))}
                  >
                    Remove
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <button type="button" className="btn-secondary mt-2" onClick={() => set((p) => ({ ...p, contract: { ...p.contract, quality: [...p.contract.quality, emptyQualityRule()] } }))}>
          Add quality check
        </button>
      </div>

      <div id={`${fieldId(`${base}.contract.sla`)}-section`} tabIndex={-1}>
        <h4 className="mb-2 text-sm font-semibold text-slate-800">Service levels</h4>
        <ListErrors name={`${base}.contract.sla`} errors={errors} />
        {port.contract.sla.length === 0 ? <p className="text-sm text-slate-500">No service levels yet.</p> : null}
        <ol className="space-y-3">
          {port.contract.sla.map((s, j) => {
            const k = (f: string) => `${base}.contract.sla.${j}.${f}`;
            return (
              <li key={s.key} className="rounded-md border border-slate-200 p-3" aria-label={`Service level ${j + 1}`}>
                <div className="grid items-end gap-3 md:grid-cols-[2fr_1fr_1fr_1.5fr_auto]">
                  <Cell k={k("property")} label="Property" errors={errors}>
                    <select id={fieldId(k("property"))} className={cls(errors, k("property"))} value={s.property} onChange={(e) => setSla(j, { property: e.target.value, ...(e.target.value === "availability" ? { unit: "%" } : {}) })}>
                      {(Object.keys(SLA_PROPERTIES) as (keyof typeof SLA_PROPERTIES)[]).map((p) => (
                        <option key={p} value={p}>
                          {SLA_LABELS[p]}
                        </option>
                      ))}
                    </select>
                  </Cell>
                  <Cell k={k("value")} label="Value" errors={errors}>
                    <input
                      id={fieldId(k("value"))}
                      className={cls(errors, k("value"))}
                      inputMode="decimal"
                      value={s.value}
                      aria-invalid={bad(errors, k("value")) || undefined}
                      aria-describedby={describedBy(k("value"), errors)}
                      onChange={(e) => setSla(j, { value: e.target.value })}
                    />
                  </Cell>
                  <Cell k={k("unit")} label="Unit" errors={errors}>
                    <select id={fieldId(k("unit"))} className={cls(errors, k("unit"))} value={s.unit} onChange={(e) => setSla(j, { unit: e.target.value })}>
                      {SLA_UNITS.map((u) => (
                        <option key={u} value={u}>
                          {UNIT_LABELS[u]}
                        </option>
                      ))}
                    </select>
                  </Cell>
                  <Cell k={k("element")} label="Measured on (optional)" errors={errors}>
                    <select id={fieldId(k("element"))} className={cls(errors, k("element"))} value={s.element} onChange={(e) => setSla(j, { element: e.target.value })}>
                      <option value="">The whole port</option>
                      {s.element && !columnOptions.includes(s.element) ? <option value={s.element}>{s.element}</option> : null}
                      {columnOptions.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  </Cell>
                  <button
                    type="button"
                    className="btn-secondary"
                    aria-label={`Remove service level ${j + 1}`}
                    onClick={() => set((p) => ({ ...p, contract: { ...p.contract, sla: p.contract.sla.filter((_s, n) => n !== j) } }))}
                  >
                    Remove
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
        <button type="button" className="btn-secondary mt-2" onClick={() => set((p) => ({ ...p, contract: { ...p.contract, sla: [...p.contract.sla, emptySla()] } }))}>
          Add service level
        </button>
      </div>

      <div className="space-y-3">
        <h4 className="text-sm font-semibold text-slate-800">Terms of use</h4>
        <TextArea
          name={`${base}.contract.terms.purpose`}
          label="Purpose"
          hint="What the data may be used for. Approvers compare access requests against it."
          rows={2}
          value={port.contract.terms.purpose}
          errors={errors}
          onChange={(v) => set((p) => ({ ...p, contract: { ...p.contract, terms: { ...p.contract.terms, purpose: v } } }))}
        />
        <TextArea
          name={`${base}.contract.terms.limitations`}
          label="Limitations"
          hint="What it must not be used for, known gaps."
          rows={2}
          value={port.contract.terms.limitations}
          errors={errors}
          onChange={(v) => set((p) => ({ ...p, contract: { ...p.contract, terms: { ...p.contract.terms, limitations: v } } }))}
        />
        <TextArea
          name={`${base}.contract.terms.usage`}
          label="Usage"
          hint="How to read it well: partitions, filters, joins."
          rows={2}
          value={port.contract.terms.usage}
          errors={errors}
          onChange={(v) => set((p) => ({ ...p, contract: { ...p.contract, terms: { ...p.contract.terms, usage: v } } }))}
        />
      </div>

      <TextArea
        name={`${base}.contract.approvers`}
        label="Approvers (optional)"
        hint="E-mail addresses of people who approve access requests besides the owners and the domain's stewards."
        rows={2}
        value={port.contract.approvers}
        errors={errors}
        onChange={(v) => set((p) => ({ ...p, contract: { ...p.contract, approvers: v } }))}
      />
    </section>
  );
}
