import { Badge, type Tone } from "@/components/ui/badge";
import type { PolicyOrigin, PolicyOutcome, Severity } from "@/lib/governance/types";

const severityTone: Record<Severity, Tone> = { blocking: "red", warning: "amber", advice: "blue" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge tone={severityTone[severity]} title={`Severity: ${severity}`}>
      {severity}
    </Badge>
  );
}

const outcomeTone: Record<PolicyOutcome, Tone> = { pass: "green", fail: "red", error: "amber", not_applicable: "gray" };
const outcomeLabel: Record<PolicyOutcome, string> = { pass: "pass", fail: "fail", error: "error", not_applicable: "n/a" };

export function OutcomeBadge({ outcome }: { outcome: PolicyOutcome }) {
  return (
    <Badge tone={outcomeTone[outcome]} title={outcome === "not_applicable" ? "Does not apply to this product" : `Outcome: ${outcome}`}>
      {outcomeLabel[outcome]}
    </Badge>
  );
}

/** Where a rule came from: the mesh-wide set or a domain's own. */
export function originText(origin: PolicyOrigin): string {
  return origin.kind === "global" ? "Global" : `Domain ${origin.domainName}`;
}

export function OriginBadge({ origin, refines }: { origin: PolicyOrigin; refines?: string | null }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <Badge tone={origin.kind === "global" ? "violet" : "gray"} title={origin.kind === "global" ? "Set for the whole mesh" : `Set by the stewards of ${origin.domainName}`}>
        {originText(origin)}
      </Badge>
      {refines ? <span className="text-xs text-slate-600">refines {refines}</span> : null}
    </span>
  );
}

/** A 0–100 compliance score with a colour that does not carry the meaning alone. */
export function ScoreBadge({ score }: { score: number }) {
  const tone: Tone = score >= 90 ? "green" : score >= 60 ? "amber" : "red";
  return (
    <Badge tone={tone} title="Compliance score, 0 to 100">
      {Math.round(score)}/100
    </Badge>
  );
}
