"use client";

import { ColumnsEditor } from "@/components/wizard/columns-editor";
import { ListErrors, SelectField, TextArea, TextField } from "@/components/wizard/fields";
import { emptyQualityRule, emptySla, fieldId, type FieldErrors, type PortForm, type QualityForm, type SlaForm } from "@/components/wizard/form-state";
import { updatePortIn, type StepProps } from "@/components/wizard/types";
import { PURPOSE_CATEGORIES, QUALITY_METRICS, QUALITY_OPERATORS, SLA_PROPERTIES, SLA_UNITS, type PurposeCategory } from "@/lib/products/spec";

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
  /** The port's columns, plus the current value when it names no column (so it is not silently lost). */
  const columnChoices = (current: string, unknownSuffix: string) => [
    ...(current && !columnOptions.includes(current) ? [{ value: current, label: `${current}${unknownSuffix}` }] : []),
    ...columnOptions.map((c) => ({ value: c, label: c })),
  ];

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
            const field = { errors, compact: true } as const;
            return (
              <li key={q.key} className="rounded-md border border-slate-200 p-3" aria-label={`Quality check ${j + 1}`}>
                <div className="grid gap-3 md:grid-cols-4">
                  <SelectField
                    {...field}
                    name={k("metric")}
                    label="Check"
                    value={q.metric}
                    options={QUALITY_METRICS.map((m) => ({ value: m, label: METRIC_LABELS[m] }))}
                    onChange={(v) => setRule(j, { metric: v, ...(v !== "sql" ? { query: "" } : { column: "" }) })}
                  />
                  <SelectField
                    {...field}
                    name={k("column")}
                    label="Column"
                    placeholder="Whole table"
                    value={q.column}
                    disabled={q.metric === "sql" || q.metric === "rowCount"}
                    options={columnChoices(q.column, " (not a column)")}
                    onChange={(v) => setRule(j, { column: v })}
                  />
                  <SelectField
                    {...field}
                    name={k("operator")}
                    label="Comparison"
                    value={q.operator}
                    options={QUALITY_OPERATORS.map((o) => ({ value: o, label: OPERATOR_LABELS[o] }))}
                    onChange={(v) => setRule(j, { operator: v })}
                  />
                  <TextField {...field} name={k("threshold")} label="Threshold" inputMode="decimal" value={q.threshold} onChange={(v) => setRule(j, { threshold: v })} />
                </div>
                {q.metric === "sql" ? (
                  <TextArea
                    {...field}
                    name={k("query")}
                    label="SQL query returning one number ({object} stands for the table)"
                    className="mt-3"
                    rows={2}
                    mono
                    value={q.query}
                    onChange={(v) => setRule(j, { query: v })}
                  />
                ) : null}
                <div className="mt-3 flex flex-wrap items-end gap-3">
                  <TextField
                    {...field}
                    name={k("description")}
                    label="Description (optional)"
                    className="min-w-64 flex-1"
                    value={q.description}
                    onChange={(v) => setRule(j, { description: v })}
                  />
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
            const field = { errors, compact: true } as const;
            return (
              <li key={s.key} className="rounded-md border border-slate-200 p-3" aria-label={`Service level ${j + 1}`}>
                <div className="grid items-end gap-3 md:grid-cols-[2fr_1fr_1fr_1.5fr_auto]">
                  <SelectField
                    {...field}
                    name={k("property")}
                    label="Property"
                    value={s.property}
                    options={(Object.keys(SLA_PROPERTIES) as (keyof typeof SLA_PROPERTIES)[]).map((p) => ({ value: p, label: SLA_LABELS[p] }))}
                    onChange={(v) => setSla(j, { property: v, ...(v === "availability" ? { unit: "%" } : {}) })}
                  />
                  <TextField {...field} name={k("value")} label="Value" inputMode="decimal" value={s.value} onChange={(v) => setSla(j, { value: v })} />
                  <SelectField
                    {...field}
                    name={k("unit")}
                    label="Unit"
                    value={s.unit}
                    options={SLA_UNITS.map((u) => ({ value: u, label: UNIT_LABELS[u] }))}
                    onChange={(v) => setSla(j, { unit: v })}
                  />
                  <SelectField
                    {...field}
                    name={k("element")}
                    label="Measured on (optional)"
                    placeholder="The whole port"
                    value={s.element}
                    options={columnChoices(s.element, "")}
                    onChange={(v) => setSla(j, { element: v })}
                  />
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

      <div className="space-y-3">
        <h4 className="text-sm font-semibold text-slate-800">Access approval</h4>
        <TextArea
          name={`${base}.contract.approvers`}
          label="Approvers (optional)"
          hint="E-mail addresses of the people who approve access requests. Without any, the product's owners approve. The domain's stewards can always decide."
          rows={2}
          value={port.contract.approvers}
          errors={errors}
          onChange={(v) => set((p) => ({ ...p, contract: { ...p.contract, approvers: v } }))}
        />
        <TextArea
          name={`${base}.contract.secondLevelApprovers`}
          label="Second approval step (optional)"
          hint="E-mail addresses of people who approve after the first step, e.g. a data protection officer for personal data."
          rows={2}
          value={port.contract.secondLevelApprovers}
          errors={errors}
          onChange={(v) => set((p) => ({ ...p, contract: { ...p.contract, secondLevelApprovers: v } }))}
        />
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Purposes that may see personal data unmasked</legend>
          <p className="text-xs text-slate-500">For any other purpose, PII columns stay masked in Trino even after approval.</p>
          <div className="mt-2 grid gap-1 sm:grid-cols-2">
            {(Object.entries(PURPOSE_CATEGORIES) as [PurposeCategory, string][]).map(([value, label]) => {
              const id = fieldId(`${base}.contract.piiPurposes.${value}`);
              const checked = port.contract.piiPurposes.includes(value);
              return (
                <label key={value} htmlFor={id} className="flex items-center gap-2 text-sm text-slate-800">
                  <input
                    id={id}
                    type="checkbox"
                    className="h-4 w-4 rounded border-slate-300 accent-canopy-700"
                    checked={checked}
                    onChange={(e) =>
                      set((p) => ({
                        ...p,
                        contract: {
                          ...p.contract,
                          piiPurposes: e.target.checked ? [...p.contract.piiPurposes, value] : p.contract.piiPurposes.filter((x) => x !== value),
                        },
                      }))
                    }
                  />
                  {label}
                </label>
              );
            })}
          </div>
        </fieldset>
      </div>
    </section>
  );
}
