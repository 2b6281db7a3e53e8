"use client";

import { describedBy, FieldErrorText, ListErrors } from "@/components/wizard/fields";
import { emptyColumn, fieldId, type ColumnForm, type FieldErrors, type PortForm } from "@/components/wizard/form-state";
import { CLASSIFICATIONS, LOGICAL_TYPES } from "@/lib/products/spec";

const bad = (errors: FieldErrors, key: string) => Boolean(errors[key]?.length);
const cls = (errors: FieldErrors, key: string) => `input px-2 py-1${bad(errors, key) ? " border-rose-600 ring-1 ring-rose-600" : ""}`;

/** The port's columns: meaning, types, classification and keys, one row per column. */
export function ColumnsEditor({ base, port, errors, set }: { base: string; port: PortForm; errors: FieldErrors; set: (fn: (p: PortForm) => PortForm) => void }) {
  const setColumn = (j: number, patch: Partial<ColumnForm>) => set((p) => ({ ...p, columns: p.columns.map((c, k) => (k === j ? { ...c, ...patch } : c)) }));
  const add = () => {
    set((p) => ({ ...p, columns: [...p.columns, emptyColumn()] }));
    setTimeout(() => document.getElementById(fieldId(`${base}.columns.${port.columns.length}.name`))?.focus(), 0);
  };
  const remove = (j: number) => set((p) => ({ ...p, columns: p.columns.filter((_c, k) => k !== j) }));
  const portTitle = port.name || "this port";

  return (
    <div id={`${fieldId(`${base}.columns`)}-section`} tabIndex={-1}>
      <ListErrors name={`${base}.columns`} errors={errors} />
      {port.columns.length ? (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[64rem] text-left text-sm">
            <caption className="sr-only">Columns of {portTitle}</caption>
            <thead>
              <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
                <th scope="col" className="py-1 pr-2">Column</th>
                <th scope="col" className="py-1 pr-2">Type</th>
                <th scope="col" className="py-1 pr-2">Logical type</th>
                <th scope="col" className="py-1 pr-2">Description</th>
                <th scope="col" className="py-1 pr-2">Classification</th>
                <th scope="col" className="py-1 pr-2">PII</th>
                <th scope="col" className="py-1 pr-2">Required</th>
                <th scope="col" className="py-1 pr-2">Key</th>
                <th scope="col" className="py-1">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {port.columns.map((c, j) => {
                const k = (f: string) => `${base}.columns.${j}.${f}`;
                const who = c.name || `column ${j + 1}`;
                return (
                  <tr key={c.key} className="border-b border-slate-100 align-top">
                    <td className="py-1 pr-2">
                      <input
                        id={fieldId(k("name"))}
                        className={`${cls(errors, k("name"))} font-mono`}
                        aria-label={`Name of column ${j + 1}`}
                        aria-invalid={bad(errors, k("name")) || undefined}
                        aria-describedby={describedBy(k("name"), errors)}
                        value={c.name}
                        onChange={(e) => setColumn(j, { name: e.target.value })}
                      />
                      <FieldErrorText name={k("name")} errors={errors} />
                    </td>
                    <td className="py-1 pr-2">
                      <input
                        id={fieldId(k("physicalType"))}
                        className={`${cls(errors, k("physicalType"))} font-mono`}
                        aria-label={`Physical type of ${who}`}
                        aria-invalid={bad(errors, k("physicalType")) || undefined}
                        aria-describedby={describedBy(k("physicalType"), errors)}
                        value={c.physicalType}
                        placeholder="varchar"
                        onChange={(e) => setColumn(j, { physicalType: e.target.value })}
                      />
                      <FieldErrorText name={k("physicalType")} errors={errors} />
                    </td>
                    <td className="py-1 pr-2">
                      <select
                        id={fieldId(k("logicalType"))}
                        className={cls(errors, k("logicalType"))}
                        aria-label={`Logical type of ${who}`}
                        aria-invalid={bad(errors, k("logicalType")) || undefined}
                        aria-describedby={describedBy(k("logicalType"), errors)}
                        value={c.logicalType}
                        onChange={(e) => setColumn(j, { logicalType: e.target.value })}
                      >
                        {LOGICAL_TYPES.map((t) => (
                          <option key={t} value={t}>
                            {t}
                          </option>
                        ))}
                      </select>
                      <FieldErrorText name={k("logicalType")} errors={errors} />
                    </td>
                    <td className="py-1 pr-2">
                      <textarea
                        id={fieldId(k("description"))}
                        rows={1}
                        className={cls(errors, k("description"))}
                        aria-label={`Description of ${who}`}
                        aria-invalid={bad(errors, k("description")) || undefined}
                        aria-describedby={describedBy(k("description"), errors)}
                        value={c.description}
                        onChange={(e) => setColumn(j, { description: e.target.value })}
                      />
                      <FieldErrorText name={k("description")} errors={errors} />
                    </td>
                    <td className="py-1 pr-2">
                      <select
                        id={fieldId(k("classification"))}
                        className={cls(errors, k("classification"))}
                        aria-label={`Classification of ${who}`}
                        aria-invalid={bad(errors, k("classification")) || undefined}
                        aria-describedby={describedBy(k("classification"), errors)}
                        value={c.classification}
                        onChange={(e) => setColumn(j, { classification: e.target.value })}
                      >
                        {CLASSIFICATIONS.map((v) => (
                          <option key={v} value={v}>
                            {v}
                          </option>
                        ))}
                      </select>
                      <FieldErrorText name={k("classification")} errors={errors} />
                    </td>
                    <td className="py-1 pr-2 text-center">
                      <input
                        id={fieldId(k("pii"))}
                        type="checkbox"
                        className="mt-2 h-4 w-4 accent-canopy-700"
                        aria-label={`${who} is personal data (PII)`}
                        checked={c.pii}
                        onChange={(e) => setColumn(j, e.target.checked && c.classification !== "restricted" ? { pii: true, classification: "confidential" } : { pii: e.target.checked })}
                      />
                    </td>
                    <td className="py-1 pr-2 text-center">
                      <input
                        id={fieldId(k("required"))}
                        type="checkbox"
                        className="mt-2 h-4 w-4 accent-canopy-700"
                        aria-label={`${who} is required (never null)`}
                        checked={c.required}
                        onChange={(e) => setColumn(j, { required: e.target.checked })}
                      />
                    </td>
                    <td className="py-1 pr-2 text-center">
                      <input
                        id={fieldId(k("primaryKey"))}
                        type="checkbox"
                        className="mt-2 h-4 w-4 accent-canopy-700"
                        aria-label={`${who} is part of the primary key`}
                        checked={c.primaryKey}
                        onChange={(e) => setColumn(j, e.target.checked ? { primaryKey: true, required: true } : { primaryKey: false })}
                      />
                    </td>
                    <td className="py-1">
                      <button type="button" className="btn-secondary px-2 py-1" aria-label={`Remove column ${who}`} onClick={() => remove(j)}>
                        ✕
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-slate-500">
          No columns. {port.type === "trino_table" ? "Import them from Trino in the Output ports step, or add them here." : "Add the fields consumers can rely on, if any."}
        </p>
      )}
      <button type="button" className="btn-secondary mt-2" onClick={add}>
        Add column
      </button>
    </div>
  );
}
