"use client";

import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { summaryItems } from "@/components/wizard/error-summary";
import { stepIndex, stepOfPath, type FieldErrors } from "@/components/wizard/form-state";
import { WIZARD_STEPS } from "@/lib/drafts/schemas";
import type { CheckResult } from "@/lib/products/checks";

type Props = {
  /** Problems that keep the product from being valid at all (from the shared schema). */
  invalid: FieldErrors | null;
  checks: CheckResult[];
  portName: (i: number) => string;
  columnName: (p: number, c: number) => string;
  onJump: (path: string, step?: number) => void;
  /** The server's evaluation of the domain's and the mesh's policies (shown below the built-in checks). */
  policies?: ReactNode;
};

const CHECK_STEP: Record<CheckResult["step"], number> = { basics: 0, ports: 1, contract: 2, inputs: 3 };

/** The governance checks of the product as it stands, grouped by severity, each with what to fix and where. */
export function StepChecks({ invalid, checks, portName, columnName, onJump, policies }: Props) {
  if (invalid) {
    const items = summaryItems(invalid, portName, columnName);
    return (
      <div id="wizard-incomplete" tabIndex={-1} role="alert" className="rounded-md border-2 border-rose-600 bg-white p-4">
        <h3 className="text-base font-semibold text-rose-800">The product is not complete yet</h3>
        <p className="mt-1 text-sm text-slate-700">The checks run once every step is valid. Fix these first:</p>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          {items.map((item) => (
            <li key={item.key}>
              {item.label}: {item.messages.join(" ")}{" "}
              <button type="button" className="text-canopy-800 underline" onClick={() => onJump(item.key)}>
                Fix in {WIZARD_STEPS[stepIndex(stepOfPath(item.key))]!.label}
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const errors = checks.filter((c) => c.severity === "error");
  const warnings = checks.filter((c) => c.severity === "warning");
  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600">
        The mesh&apos;s publishing checks. Errors must be fixed before the product can be published (you can still create it as a draft); warnings are advice
        consumers will thank you for.
      </p>
      <p role="status" className="text-sm font-medium">
        {errors.length === 0 && warnings.length === 0
          ? "All checks pass."
          : `${errors.length} ${errors.length === 1 ? "error" : "errors"}, ${warnings.length} ${warnings.length === 1 ? "warning" : "warnings"}.`}
      </p>
      <CheckGroup title="Errors" tone="red" items={errors} onJump={onJump} empty="No errors." />
      <CheckGroup title="Warnings" tone="amber" items={warnings} onJump={onJump} empty="No warnings." />
      {policies}
    </div>
  );
}

function CheckGroup({ title, tone, items, onJump, empty }: { title: string; tone: "red" | "amber"; items: CheckResult[]; onJump: (path: string, step?: number) => void; empty: string }) {
  return (
    <section aria-label={title}>
      <h3 className="mb-2 flex items-center gap-2 text-base font-semibold">
        {title} <Badge tone={tone}>{items.length}</Badge>
      </h3>
      {items.length ? (
        <ul className="space-y-2">
          {items.map((c, i) => (
            <li key={`${c.id}-${c.path}-${i}`} className="card p-3 text-sm">
              <p className="font-medium text-slate-900">{c.message}</p>
              <p className="mt-1 text-slate-700">
                <span className="font-medium">What to fix: </span>
                {c.fix}
              </p>
              <button type="button" className="mt-2 text-canopy-800 underline" onClick={() => onJump(c.path, CHECK_STEP[c.step])}>
                Go to {WIZARD_STEPS[CHECK_STEP[c.step]]!.label}
                <span className="sr-only"> to fix: {c.message}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">{empty}</p>
      )}
    </section>
  );
}
