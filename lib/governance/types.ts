/**
 * Governance types shared by the policy engine, its pages and the REST API.
 * Client-safe: no server imports in this file.
 */

export type Severity = "blocking" | "warning" | "advice";
export const SEVERITIES = ["advice", "warning", "blocking"] as const satisfies readonly Severity[];
/** Higher rank = stricter; a domain refinement may only move a severity upwards. */
export const SEVERITY_RANK: Record<Severity, number> = { advice: 0, warning: 1, blocking: 2 };

export type PolicyScope = "global" | "domain";
export type PolicyAppliesTo = "product" | "access";
export type PolicyEngine = "rules" | "opa";
export type PolicyOutcome = "pass" | "fail" | "error" | "not_applicable";
export type EvaluationTrigger = "product_change" | "policy_change" | "manual";

export type PolicyOrigin = { kind: "global" } | { kind: "domain"; domainSlug: string; domainName: string };

export type PolicySummary = {
  key: string;
  title: string;
  rationale: string;
  remediation: string;
  severity: Severity;
  appliesTo: PolicyAppliesTo;
  origin: PolicyOrigin;
  /** The key of the global policy this domain policy tightens, if it is a refinement. */
  refines: string | null;
  version: number;
  enabled: boolean;
  engine: PolicyEngine;
  updatedAt: string;
  updatedBy: string | null;
  /** Database id of the policy row (for links and API calls). */
  id: string;
};

export type Finding = { path: string; message: string };

export type PolicyResult = {
  policyKey: string;
  title: string;
  severity: Severity;
  origin: PolicyOrigin;
  outcome: PolicyOutcome;
  findings: Finding[];
  remediation: string;
  /** The policy version evaluated. */
  policyVersion?: number;
};

export type ProductEvaluation = {
  productSlug: string;
  evaluatedAt: string;
  /** 0..100: share of applicable policies passed, weighted by severity. */
  score: number;
  /** Number of failing blocking policies. */
  blocking: number;
  results: PolicyResult[];
  trigger?: EvaluationTrigger;
};

/** One version of a policy as stored, with who changed it and why. */
export type PolicyVersionEntry = {
  version: number;
  changedBy: string | null;
  reason: string;
  createdAt: string;
  /** Line diff against the previous version's definition (empty for version 1). */
  diff: ({ kind: "same" | "added" | "removed"; text: string } | { kind: "fold"; count: number })[];
  definition: unknown;
};

export type PolicyDetail = PolicySummary & {
  scope: PolicyScope;
  domainId: string | null;
  definition: unknown;
  versions: PolicyVersionEntry[];
};
