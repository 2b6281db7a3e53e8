"use client";

import { WIZARD_STEPS } from "@/lib/drafts/schemas";

/** The steps as an ordered list; steps already reached can be revisited. */
export function WizardProgress({ current, reached, onGo }: { current: number; reached: number; onGo: (step: number) => void }) {
  return (
    <nav aria-label="Wizard progress" className="mb-6">
      <p className="sr-only">
        Step {current + 1} of {WIZARD_STEPS.length}
      </p>
      <ol className="flex flex-wrap gap-2">
        {WIZARD_STEPS.map((s, i) => {
          const isCurrent = i === current;
          const done = i < reached || (i < current);
          const tone = isCurrent
            ? "border-canopy-700 bg-canopy-700 text-white"
            : done
              ? "border-canopy-600 bg-canopy-50 text-canopy-900"
              : "border-slate-300 bg-white text-slate-500";
          const content = (
            <>
              <span aria-hidden="true" className="inline-flex h-5 w-5 items-center justify-center rounded-full border border-current text-xs">
                {i + 1}
              </span>
              <span>{s.label}</span>
            </>
          );
          return (
            <li key={s.key} aria-current={isCurrent ? "step" : undefined}>
              {i <= reached && !isCurrent ? (
                <button type="button" className={`flex items-center gap-2 rounded-full border px-3 py-1 text-sm ${tone} hover:underline`} onClick={() => onGo(i)}>
                  {content}
                  <span className="sr-only">{i < current ? "(completed)" : "(reached)"}</span>
                </button>
              ) : (
                <span className={`flex items-center gap-2 rounded-full border px-3 py-1 text-sm ${tone}`}>
                  {content}
                  {isCurrent ? <span className="sr-only">(current step)</span> : null}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
