"use client";

import { useState } from "react";
import { FieldErrorText, ListErrors, SelectField, TextArea, TextField } from "@/components/wizard/fields";
import { emptyPort, fieldId, importColumns, type PortForm, type PortType } from "@/components/wizard/form-state";
import { CLASSIFICATION_HINTS } from "@/components/wizard/step-basics";
import { TrinoBrowser } from "@/components/wizard/trino-browser";
import { updatePortIn, type StepProps } from "@/components/wizard/types";
import { CLASSIFICATIONS } from "@/lib/products/spec";

const TYPE_LABELS: Record<PortType, { label: string; hint: string }> = {
  trino_table: { label: "Trino table", hint: "An Iceberg table read through Trino" },
  s3_bucket: { label: "S3 bucket", hint: "Files in an object bucket (an ObjectBucketClaim on Ceph)" },
  api: { label: "API", hint: "An HTTP API served by your team" },
};

export function StepPorts({ form, update, errors }: StepProps) {
  const [announce, setAnnounce] = useState("");
  const add = () => {
    update((f) => ({ ...f, outputPorts: [...f.outputPorts, emptyPort("trino_table")] }));
    setAnnounce(`Output port ${form.outputPorts.length + 1} added.`);
    // Focus the new port's name once it is rendered.
    setTimeout(() => document.getElementById(fieldId(`outputPorts.${form.outputPorts.length}.name`))?.focus(), 0);
  };
  const remove = (i: number) => {
    const name = form.outputPorts[i]?.name || `port ${i + 1}`;
    update((f) => ({ ...f, outputPorts: f.outputPorts.filter((_p, j) => j !== i) }));
    setAnnounce(`Output port ${name} removed.`);
    setTimeout(() => document.getElementById("wizard-add-port")?.focus(), 0);
  };
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        An output port is one way consumers read the product: a table, a bucket of files or an API. Each port gets its own contract in the next step.
      </p>
      <ListErrors name="outputPorts" errors={errors} />
      {form.outputPorts.length === 0 ? (
        <div className="card p-6 text-center text-sm text-slate-600" id={`${fieldId("outputPorts")}-section`} tabIndex={-1}>
          No output ports yet. Add the first one: most products start with one table.
        </div>
      ) : null}
      {form.outputPorts.map((port, i) => (
        <PortEditor key={port.key} index={i} port={port} errors={errors} productClassification={form.classification} update={update} onRemove={() => remove(i)} />
      ))}
      <div className="flex items-center gap-3">
        <button id="wizard-add-port" type="button" className="btn-secondary" onClick={add}>
          Add output port
        </button>
        <span role="status" className="sr-only">
          {announce}
        </span>
      </div>
    </div>
  );
}

function PortEditor({
  index,
  port,
  errors,
  productClassification,
  update,
  onRemove,
}: {
  index: number;
  port: PortForm;
  errors: StepProps["errors"];
  productClassification: string;
  update: StepProps["update"];
  onRemove: () => void;
}) {
  const base = `outputPorts.${index}`;
  const set = (fn: (p: PortForm) => PortForm) => update((f) => updatePortIn(f, index, fn));
  const title = port.name || `Port ${index + 1}`;
  const typeKey = `${base}.type`;
  return (
    <section aria-label={`Output port ${title}`} className="card p-4" id={`${fieldId(base)}-section`} tabIndex={-1}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-base font-semibold">{title}</h3>
        <button type="button" className="btn-secondary" onClick={onRemove} aria-label={`Remove output port ${title}`}>
          Remove
        </button>
      </div>
      <div className="space-y-4">
        <div className="grid gap-4 md:grid-cols-2">
          <TextField
            name={`${base}.name`}
            label="Port name"
            hint="Lower-case letters, digits, _ and -, e.g. returns."
            required
            mono
            value={port.name}
            errors={errors}
            onChange={(v) => set((p) => ({ ...p, name: v }))}
          />
          <SelectField
            name={`${base}.classification`}
            label="Classification"
            value={port.classification}
            errors={errors}
            options={[
              { value: "", label: `Same as the product (${productClassification || "not chosen"})` },
              ...CLASSIFICATIONS.map((c) => ({ value: c, label: CLASSIFICATION_HINTS[c] })),
            ]}
            onChange={(v) => set((p) => ({ ...p, classification: v }))}
          />
        </div>
        <fieldset id={fieldId(typeKey)} tabIndex={-1} aria-describedby={errors[typeKey]?.length ? `${fieldId(typeKey)}-error` : undefined}>
          <legend className="text-sm font-medium text-slate-800">Type</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {(Object.keys(TYPE_LABELS) as PortType[]).map((t) => (
              <label key={t} className="flex items-start gap-2 text-sm">
                <input
                  type="radio"
                  name={`${port.key}-type`}
                  value={t}
                  checked={port.type === t}
                  className="mt-0.5 accent-canopy-700"
                  onChange={() => set((p) => ({ ...p, type: t }))}
                />
                <span>
                  {TYPE_LABELS[t].label}
                  <span className="block text-xs text-slate-500">{TYPE_LABELS[t].hint}</span>
                </span>
              </label>
            ))}
          </div>
          <FieldErrorText name={typeKey} errors={errors} />
        </fieldset>
        <TextArea
          name={`${base}.description`}
          label="Description (optional)"
          rows={2}
          value={port.description}
          errors={errors}
          onChange={(v) => set((p) => ({ ...p, description: v }))}
        />
        {port.type === "trino_table" ? (
          <>
            <TextField
              name={`${base}.location`}
              label="Served table"
              hint="catalog.schema.table in lower case — filled in when you import from Trino below."
              required
              mono
              value={port.location}
              errors={errors}
              onChange={(v) => set((p) => ({ ...p, location: v }))}
            />
            <TrinoBrowser
              portName={port.name}
              initial={port.source}
              onImport={(source, columns) =>
                set((p) => ({
                  ...p,
                  location: `${source.catalog}.${source.schema}.${source.table}`.toLowerCase(),
                  source,
                  columns: importColumns(p.columns, columns),
                }))
              }
            />
            <ColumnSummary port={port} name={`${base}.columns`} errors={errors} />
          </>
        ) : port.type === "s3_bucket" ? (
          <>
            <TextField
              name={`${base}.location`}
              label="Bucket location"
              hint="s3://bucket-name/optional/prefix"
              required
              mono
              placeholder="s3://"
              value={port.location}
              errors={errors}
              onChange={(v) => set((p) => ({ ...p, location: v }))}
            />
            <div className="grid gap-4 md:grid-cols-2">
              <TextField
                name={`${base}.bucket.maxSizeGiB`}
                label="Maximum size (GiB)"
                hint="Becomes the bucket claim's size limit."
                required
                inputMode="numeric"
                value={port.bucket.maxSizeGiB}
                errors={errors}
                onChange={(v) => set((p) => ({ ...p, bucket: { ...p.bucket, maxSizeGiB: v } }))}
              />
              <TextField
                name={`${base}.bucket.maxObjects`}
                label="Maximum number of objects (optional)"
                inputMode="numeric"
                value={port.bucket.maxObjects}
                errors={errors}
                onChange={(v) => set((p) => ({ ...p, bucket: { ...p.bucket, maxObjects: v } }))}
              />
            </div>
          </>
        ) : port.type === "api" ? (
          <TextField
            name={`${base}.location`}
            label="API URL"
            hint="Where consumers call it, e.g. https://api.example.com/sales/returns/v1"
            required
            mono
            type="url"
            value={port.location}
            errors={errors}
            onChange={(v) => set((p) => ({ ...p, location: v }))}
          />
        ) : null}
      </div>
    </section>
  );
}

function ColumnSummary({ port, name, errors }: { port: PortForm; name: string; errors: StepProps["errors"] }) {
  return (
    <div id={`${fieldId(name)}-section`} tabIndex={-1}>
      <ListErrors name={name} errors={errors} />
      {port.columns.length ? (
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-700">
            {port.columns.length} columns{port.source ? ` from ${port.source.catalog}.${port.source.schema}.${port.source.table}` : ""} — describe and classify them in the
            Contracts step
          </summary>
          <ul className="mt-2 grid gap-x-4 font-mono text-xs text-slate-700 md:grid-cols-3">
            {port.columns.map((c) => (
              <li key={c.key}>
                {c.name} <span className="text-slate-500">{c.physicalType}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : (
        <p className="text-sm text-slate-500">No columns yet: import them from Trino, or add them by hand in the Contracts step.</p>
      )}
    </div>
  );
}
