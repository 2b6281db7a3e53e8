"use client";

import { Badge } from "@/components/ui/badge";
import { PolicyResultItem, sortResults } from "@/components/governance/policy-results";
import type { PolicyEvaluationState } from "@/components/governance/use-policy-evaluation";
import type { PolicyResult } from "@/lib/governance/types";

const failing = (r: PolicyResult) => r.outcome === "fail" || r.outcome === "error";

/** The domain's and the mesh's policies, evaluated by the server on the product as it stands in the wizard. */
export function WizardPolicyChecks({
  state,
  onRetry,
  onJump,
}: {
  state: PolicyEvaluationState;
  onRetry: () => void;
  /** Moves to the field a finding points at (a spec path such as "description" or "outputPorts.0.contract.sla"). */
  onJump?: (path: string) => void;
}) {
  const results = state.status === "ready" ? state.results : state.status === "loading" ? state.previous : null;
  const applicable = results?.filter((r) => r.outcome !== "not_applicable") ?? [];
  const fails = sortResults(applicable.filter(failing));
  const blocking = fails.filter((r) => r.severity === "blocking");
  const passed = applicable.length - fails.length;
  return (
    <section aria-labelledby="wizard-policies-heading" aria-busy={state.status === "loading"}>
      <h3 id="wizard-policies-heading" className="mb-1 flex items-center gap-2 text-base font-semibold">
        Governance policies {results ? <Badge tone={blocking.length ? "red" : fails.length ? "amber" : "green"}>{fails.length} failing</Badge> : null}
      </h3>
      <p className="mb-2 text-sm text-slate-600">
        The mesh&apos;s global policies and the ones the domain&apos;s stewards set. Blocking policies must pass before the product can be published.
      </p>
      <p role="status" className="mb-2 text-sm font-medium">
        {state.status === "loading"
          ? "Checking the policies…"
          : state.status === "error"
            ? ""
            : state.status === "ready"
              ? fails.length
                ? `${fails.length} ${fails.length === 1 ? "policy fails" : "policies fail"} (${blocking.length} blocking), ${passed} pass.`
                : `All ${passed} policies pass.`
              : ""}
      </p>
      {state.status === "error" ? (
        <div role="alert" className="mb-2 rounded-md bg-rose-50 p-3 text-sm text-rose-800">
          <p>{state.message}</p>
          <button type="button" className="mt-1 underline" onClick={onRetry}>
            Check the policies again
          </button>
        </div>
      ) : null}
      {fails.length ? (
        <ul className="space-y-2" aria-label="Failing policies">
          {fails.map((r) => (
            <PolicyResultItem
              key={r.policyKey}
              result={r}
              linkPolicies={false}
              action={
                onJump && r.findings[0]?.path ? (
                  <button type="button" className="mt-2 text-canopy-800 underline" onClick={() => onJump(r.findings[0]!.path)}>
                    Go to the field<span className="sr-only"> to fix: {r.title}</span>
                  </button>
                ) : null
              }
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
