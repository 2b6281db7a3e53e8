"use client";

import { forwardRef } from "react";
import type { FieldErrors } from "@/components/wizard/form-state";

export type SummaryItem = { key: string; label: string; messages: string[] };

/**
 * The list of problems shown at the top of a step when it cannot be left, focused so screen
 * readers announce it; each entry moves focus to its field.
 */
export const ErrorSummary = forwardRef<HTMLDivElement, { title?: string; items: SummaryItem[]; onJump: (key: string) => void; intro?: string }>(
  function ErrorSummary({ title = "There is a problem", items, onJump, intro }, ref) {
    if (!items.length && !intro) return null;
    return (
      <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="wizard-error-summary-title" className="mb-4 rounded-md border-2 border-rose-600 bg-white p-4">
        <h3 id="wizard-error-summary-title" className="text-base font-semibold text-rose-800">
          {title}
        </h3>
        {intro ? <p className="mt-1 text-sm text-slate-700">{intro}</p> : null}
        {items.length ? (
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
            {items.map((item) => (
              <li key={item.key}>
                <button type="button" className="text-left text-rose-800 underline hover:text-rose-900" onClick={() => onJump(item.key)}>
                  {item.label}: {item.messages.join(" ")}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  },
);

/** Readable names of form fields for the error summary. */
export function labelOfField(key: string, portName: (i: number) => string, columnName: (p: number, c: number) => string): string {
  const basics: Record<string, string> = {
    name: "Name",
    slug: "Slug",
    domain: "Domain",
    team: "Team",
    owners: "Additional owners",
    summary: "Summary",
    description: "Description",
    tags: "Tags",
    classification: "Classification",
    outputPorts: "Output ports",
    inputs: "Inputs",
    _: "Form",
  };
  if (basics[key]) return basics[key]!;
  let m = /^outputPorts\.(\d+)\.columns\.(\d+)\.(\w+)$/.exec(key);
  if (m) return `Port ${portName(Number(m[1]))}, column ${columnName(Number(m[1]), Number(m[2]))}: ${humanize(m[3]!)}`;
  m = /^outputPorts\.(\d+)\.contract\.(quality|sla)\.(\d+)\.(\w+)$/.exec(key);
  if (m) return `Port ${portName(Number(m[1]))}, ${m[2] === "sla" ? "SLA" : "quality rule"} ${Number(m[3]) + 1}: ${humanize(m[4]!)}`;
  m = /^outputPorts\.(\d+)\.(.+)$/.exec(key);
  if (m) return `Port ${portName(Number(m[1]))}: ${humanize(m[2]!.replace(/^contract\./, "").replace(/^terms\./, "terms of use, "))}`;
  m = /^inputs\.(\d+)(?:\.(\w+))?$/.exec(key);
  if (m) return `Input ${Number(m[1]) + 1}${m[2] ? `: ${humanize(m[2])}` : ""}`;
  return humanize(key);
}

function humanize(key: string): string {
  const words: Record<string, string> = {
    maxSizeGiB: "maximum size",
    maxObjects: "maximum objects",
    physicalType: "type",
    logicalType: "logical type",
    primaryKey: "primary key",
    "bucket.maxSizeGiB": "maximum size",
    "bucket.maxObjects": "maximum objects",
  };
  if (words[key]) return words[key]!;
  return key
    .replace(/\.(\d+)/g, (_m, n: string) => ` ${Number(n) + 1}`)
    .replace(/\./g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
}

export function summaryItems(errors: FieldErrors, portName: (i: number) => string, columnName: (p: number, c: number) => string): SummaryItem[] {
  return Object.entries(errors).map(([key, messages]) => ({ key, label: labelOfField(key, portName, columnName), messages }));
}
