import Link from "next/link";
import type { ReactNode } from "react";
import { OriginBadge, OutcomeBadge, SeverityBadge } from "@/components/governance/badges";
import { policyHref } from "@/components/governance/policy-links";
import type { PolicyResult, Severity } from "@/lib/governance/types";

const ORDER: Record<Severity, number> = { blocking: 0, warning: 1, advice: 2 };
const OUTCOME_ORDER = { fail: 0, error: 1, pass: 2, not_applicable: 3 } as const;

/** Failing first, then by severity, then by title. */
export function sortResults(results: PolicyResult[]): PolicyResult[] {
  return [...results].sort(
    (a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || ORDER[a.severity] - ORDER[b.severity] || a.title.localeCompare(b.title),
  );
}

/** One policy's outcome with what was found and what to do about it. */
export function PolicyResultItem({ result, linkPolicies = true, action }: { result: PolicyResult; linkPolicies?: boolean; action?: ReactNode }) {
  const failing = result.outcome === "fail" || result.outcome === "error";
  return (
    <li className="card p-3 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <OutcomeBadge outcome={result.outcome} />
        <SeverityBadge severity={result.severity} />
        <span className="font-medium text-slate-900">
          {linkPolicies ? (
            <Link href={policyHref({ key: result.policyKey, origin: result.origin })} className="text-canopy-800 hover:underline">
              {result.title}
            </Link>
          ) : (
            result.title
          )}
        </span>
        <span className="font-mono text-xs text-slate-500">{result.policyKey}</span>
        <OriginBadge origin={result.origin} />
      </div>
      {failing && result.findings.length ? (
        <ul className="mt-2 list-disc space-y-0.5 pl-5 text-slate-700">
          {result.findings.slice(0, 8).map((f, i) => (
            <li key={`${f.path}-${i}`}>
              {f.message}
              {f.path ? <span className="ml-1 font-mono text-xs text-slate-500">({f.path})</span> : null}
            </li>
          ))}
          {result.findings.length > 8 ? <li>and {result.findings.length - 8} more</li> : null}
        </ul>
      ) : null}
      {failing && result.remediation ? (
        <p className="mt-2 text-slate-700">
          <span className="font-medium">What to fix: </span>
          {result.remediation}
        </p>
      ) : null}
      {action}
    </li>
  );
}
