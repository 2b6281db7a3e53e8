"use client";

import { Badge } from "@/components/ui/badge";
import type { SummaryItem } from "@/components/wizard/error-summary";
import type { SubmissionPreview } from "@/lib/products/preview";
import { DataTable } from "@/components/ui/data-table";

export type ReviewState =
  | { status: "loading" }
  | { status: "error"; message: string; items: SummaryItem[] }
  | { status: "ready"; preview: SubmissionPreview };

type Props = {
  state: ReviewState;
  onRetry: () => void;
  onJump: (path: string) => void;
  publish: boolean;
  onPublishChange: (publish: boolean) => void;
  /** Why publishing is not offered, if it is not. */
  publishBlocked: string | null;
  slug: string;
};

function Yaml({ label, text }: { label: string; text: string }) {
  return (
    <pre tabIndex={0} aria-label={label} className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100">
      {text}
    </pre>
  );
}

const actionTone = { create: "green", update: "blue", unchanged: "gray", delete: "red" } as const;

/** What will be stored (ODPS and ODCS) and provisioned (Kubernetes dry run), and how the product starts. */
export function StepReview({ state, onRetry, onJump, publish, onPublishChange, publishBlocked, slug }: Props) {
  if (state.status === "loading") {
    return (
      <p role="status" className="text-sm text-slate-600">
        Preparing the descriptors and the provisioning plan…
      </p>
    );
  }
  if (state.status === "error") {
    return (
      <div role="alert" className="rounded-md border-2 border-rose-600 bg-white p-4 text-sm">
        <p className="font-semibold text-rose-800">{state.message}</p>
        {state.items.length ? (
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {state.items.map((item) => (
              <li key={item.key}>
                <button type="button" className="text-left text-rose-800 underline" onClick={() => onJump(item.key)}>
                  {item.label}: {item.messages.join(" ")}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <button type="button" className="btn-secondary mt-3" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  const { preview } = state;
  const errors = preview.checks.filter((c) => c.severity === "error").length;
  const warnings = preview.checks.length - errors;
  return (
    <div className="space-y-6">
      <section aria-label="Summary" className="card p-4 text-sm">
        <p>
          Submitting creates <span className="font-mono font-medium">{slug}</span> at version <span className="font-medium">{preview.changePlan.suggestedVersion}</span>,
          stores the descriptors below and asks for its infrastructure to be provisioned.
        </p>
        <p className="mt-1 text-slate-600">
          Checks: {errors} {errors === 1 ? "error" : "errors"}, {warnings} {warnings === 1 ? "warning" : "warnings"}.
        </p>
      </section>

      <section aria-labelledby="review-odps">
        <h3 id="review-odps" className="mb-2 text-base font-semibold">
          Data product descriptor (ODPS)
        </h3>
        <Yaml label="ODPS descriptor" text={preview.odpsYaml} />
      </section>

      <section aria-labelledby="review-odcs">
        <h3 id="review-odcs" className="mb-2 text-base font-semibold">
          Data contracts (ODCS)
        </h3>
        <div className="space-y-2">
          {preview.contracts.map((c) => (
            <details key={c.port} className="card p-3">
              <summary className="cursor-pointer text-sm font-medium">
                Contract of port <span className="font-mono">{c.port}</span>
              </summary>
              <div className="mt-2">
                <Yaml label={`ODCS contract of ${c.port}`} text={c.yaml} />
              </div>
            </details>
          ))}
        </div>
      </section>

      <section aria-labelledby="review-plan">
        <h3 id="review-plan" className="mb-2 text-base font-semibold">
          Provisioning plan
        </h3>
        <p className="mb-2 text-sm text-slate-600">The Kubernetes resources a dry run says submitting will create or change. Progress shows on the product page.</p>
        {preview.planError ? (
          <p role="note" className="mb-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900">
            The dry run failed: {preview.planError}. The product can still be created; provisioning will retry.
          </p>
        ) : null}
        {preview.plan.length ? (
          <div className="card overflow-x-auto">
            <DataTable caption="Kubernetes resources to provision" columns={["Kind", "Namespace", "Name", "Action"]} cellClassName="px-3 py-2">
              {preview.plan.map((r) => (
                <tr key={`${r.kind}/${r.namespace}/${r.name}`} className="border-b border-slate-100">
                  <td className="px-3 py-2">{r.kind}</td>
                  <td className="px-3 py-2 font-mono text-xs">{r.namespace || "—"}</td>
                  <td className="px-3 py-2 font-mono text-xs">{r.name}</td>
                  <td className="px-3 py-2">
                    <Badge tone={actionTone[r.action as keyof typeof actionTone] ?? "gray"}>{r.action}</Badge>
                  </td>
                </tr>
              ))}
            </DataTable>
          </div>
        ) : !preview.planError ? (
          <p className="text-sm text-slate-500">Nothing to provision.</p>
        ) : null}
      </section>

      <fieldset className="card p-4">
        <legend className="px-1 text-base font-semibold">How should the product start?</legend>
        <div className="mt-2 space-y-3">
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="wizard-publish" className="mt-0.5 accent-canopy-700" checked={publish} disabled={Boolean(publishBlocked)} onChange={() => onPublishChange(true)} />
            <span>
              <span className="font-medium">Publish now</span>
              <span className="block text-slate-600">Version 1.0.0 appears in the catalogue; consumers can request access.</span>
              {publishBlocked ? <span className="block text-amber-800">{publishBlocked}</span> : null}
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="wizard-publish" className="mt-0.5 accent-canopy-700" checked={!publish} onChange={() => onPublishChange(false)} />
            <span>
              <span className="font-medium">Create as a draft</span>
              <span className="block text-slate-600">Only its owners and the domain&apos;s stewards see it until it is published.</span>
            </span>
          </label>
        </div>
      </fieldset>
    </div>
  );
}
