"use client";

import type { ReactNode } from "react";
import { fieldId, type FieldErrors } from "@/components/wizard/form-state";

/**
 * Form fields of the wizard: a label, an optional hint, the control, and the field's errors next
 * to it, tied together with aria-describedby / aria-invalid.
 */

export type FieldProps = {
  /** Form field key (a dotted spec path); gives the control its id and finds its errors. */
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  errors: FieldErrors;
  className?: string;
  /** A small label, for controls laid out in rows (rules, service levels, columns). */
  compact?: boolean;
  disabled?: boolean;
};

export function describedBy(name: string, errors: FieldErrors, hint?: unknown): string | undefined {
  const id = fieldId(name);
  const ids = [hint ? `${id}-hint` : null, errors[name]?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function FieldErrorText({ name, errors }: { name: string; errors: FieldErrors }) {
  const list = errors[name];
  if (!list?.length) return null;
  return (
    <p id={`${fieldId(name)}-error`} className="mt-1 text-sm text-rose-700">
      <span className="sr-only">Error: </span>
      {list.join(" ")}
    </p>
  );
}

function Frame({ name, label, hint, errors, className, compact, children }: FieldProps & { children: ReactNode }) {
  const id = fieldId(name);
  return (
    <div className={className}>
      <label htmlFor={id} className={compact ? "block text-xs font-medium text-slate-700" : "block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <div className="mt-1">{children}</div>
      <FieldErrorText name={name} errors={errors} />
    </div>
  );
}

const invalidCls = (bad: boolean) => (bad ? " border-rose-600 ring-1 ring-rose-600" : "");

export function TextField(
  props: FieldProps & {
    value: string;
    onChange: (value: string) => void;
    onBlur?: () => void;
    type?: "text" | "email" | "url" | "number";
    placeholder?: string;
    inputMode?: "numeric" | "decimal" | "text" | "email" | "url";
    autoComplete?: string;
    required?: boolean;
    mono?: boolean;
  },
) {
  const { name, errors, hint } = props;
  const bad = Boolean(errors[name]?.length);
  return (
    <Frame {...props}>
      <input
        id={fieldId(name)}
        type={props.type ?? "text"}
        className={`input${props.mono ? " font-mono" : ""}${invalidCls(bad)}`}
        value={props.value}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        autoComplete={props.autoComplete ?? "off"}
        disabled={props.disabled}
        aria-required={props.required || undefined}
        aria-invalid={bad || undefined}
        aria-describedby={describedBy(name, errors, hint)}
        onChange={(e) => props.onChange(e.target.value)}
        onBlur={props.onBlur}
      />
    </Frame>
  );
}

export function TextArea(
  props: FieldProps & { value: string; onChange: (value: string) => void; rows?: number; placeholder?: string; required?: boolean; mono?: boolean },
) {
  const { name, errors, hint } = props;
  const bad = Boolean(errors[name]?.length);
  return (
    <Frame {...props}>
      <textarea
        id={fieldId(name)}
        rows={props.rows ?? 3}
        disabled={props.disabled}
        className={`input${props.mono ? " font-mono" : ""}${invalidCls(bad)}`}
        value={props.value}
        placeholder={props.placeholder}
        aria-required={props.required || undefined}
        aria-invalid={bad || undefined}
        aria-describedby={describedBy(name, errors, hint)}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Frame>
  );
}

export type Option = { value: string; label: string; disabled?: boolean };

export function SelectField(props: FieldProps & { value: string; onChange: (value: string) => void; options: Option[]; placeholder?: string; required?: boolean }) {
  const { name, errors, hint } = props;
  const bad = Boolean(errors[name]?.length);
  const known = props.options.some((o) => o.value === props.value);
  return (
    <Frame {...props}>
      <select
        id={fieldId(name)}
        className={`input${invalidCls(bad)}`}
        value={known ? props.value : ""}
        disabled={props.disabled}
        aria-required={props.required || undefined}
        aria-invalid={bad || undefined}
        aria-describedby={describedBy(name, errors, hint)}
        onChange={(e) => props.onChange(e.target.value)}
      >
        {props.placeholder !== undefined || !known ? (
          <option value="" disabled={props.required && known}>
            {props.placeholder ?? "Choose…"}
          </option>
        ) : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export function Checkbox({ name, label, checked, onChange, hint }: { name: string; label: ReactNode; checked: boolean; onChange: (v: boolean) => void; hint?: string }) {
  const id = fieldId(name);
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-canopy-700"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div>
        <label htmlFor={id} className="text-sm text-slate-800">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-slate-500">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** Errors of a list as a whole (e.g. "Add at least one output port"), focusable as a jump target. */
export function ListErrors({ name, errors }: { name: string; errors: FieldErrors }) {
  const list = errors[name];
  if (!list?.length) return null;
  return (
    <p id={fieldId(name)} tabIndex={-1} className="rounded-md bg-rose-50 p-2 text-sm text-rose-800">
      <span className="sr-only">Error: </span>
      {list.join(" ")}
    </p>
  );
}
