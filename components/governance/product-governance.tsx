import { ScoreBadge } from "@/components/governance/badges";
import { PolicyResultItem, sortResults } from "@/components/governance/policy-results";
import { RecheckGovernance } from "@/components/governance/recheck-button";
import type { ProductEvaluation } from "@/lib/governance/types";

/**
 * A product's governance section: its score, each policy's outcome with remediation, and why
 * publishing (or a new version) is blocked while a blocking policy fails.
 */
export function ProductGovernance({ evaluation, status, canEdit, slug }: { evaluation: ProductEvaluation | null; status: string; canEdit: boolean; slug: string }) {
  if (!evaluation) {
    return (
      <section aria-labelledby="governance">
        <h2 id="governance" className="mb-2 text-lg font-semibold">
          Governance
        </h2>
        <p className="card mb-3 p-4 text-sm text-slate-600">
          This product has not been evaluated against the mesh&apos;s policies yet. It is evaluated whenever it or a policy changes.
        </p>
        {canEdit ? <RecheckGovernance slug={slug} /> : null}
      </section>
    );
  }
  const results = sortResults(evaluation.results.filter((r) => r.outcome !== "not_applicable"));
  const failing = results.filter((r) => r.outcome === "fail" || r.outcome === "error");
  const blocking = failing.filter((r) => r.severity === "blocking");
  const passed = results.length - failing.length;
  const when = new Date(evaluation.evaluatedAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return (
    <section aria-labelledby="governance">
      <h2 id="governance" className="mb-2 flex flex-wrap items-center gap-2 text-lg font-semibold">
        Governance <ScoreBadge score={evaluation.score} />
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        {passed} of {results.length} policies pass. Last evaluated <time dateTime={evaluation.evaluatedAt}>{when} UTC</time>.
      </p>
      {canEdit ? <RecheckGovernance slug={slug} /> : null}
      {blocking.length ? (
        <div role="note" aria-label="Publishing blocked" className="mb-3 rounded-md border-2 border-rose-600 bg-rose-50 p-3 text-sm text-rose-900">
          <p className="font-semibold">
            {status === "draft" ? "This product cannot be published" : "No new version can be published"} while{" "}
            {blocking.length === 1 ? "a blocking policy fails" : `${blocking.length} blocking policies fail`}:
          </p>
          <ul className="mt-1 list-disc pl-5">
            {blocking.map((r) => (
              <li key={r.policyKey}>
                {r.title}: {r.remediation}
              </li>
            ))}
          </ul>
          {canEdit ? <p className="mt-1">Fix it with “Update from descriptor” or a new draft, then publish again.</p> : null}
        </div>
      ) : null}
      {results.length ? (
        <ul className="space-y-2" aria-label="Policy results">
          {results.map((r) => (
            <PolicyResultItem key={r.policyKey} result={r} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-500">No policy applies to this product.</p>
      )}
    </section>
  );
}
