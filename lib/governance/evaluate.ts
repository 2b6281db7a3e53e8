import {
  expandPattern,
  LIMITS,
  unsafePattern,
  type Condition,
  type Literal,
  type NumberArg,
  type ParamRef,
  type ParamValue,
  type PolicyDefinition,
  type Rule,
} from "@/lib/governance/rules";
import type { Finding, PolicyAppliesTo, PolicyOrigin, PolicyOutcome, PolicyResult, Severity } from "@/lib/governance/types";

/**
 * The rule interpreter: evaluates a policy's declarative rules against a document (a product
 * document or an access document, see document.ts). Pure and synchronous for rule policies, so a
 * whole mesh evaluates in memory; OPA policies are asked through the adapter. Every loop is bounded
 * (LIMITS): a rule over too many items is reported as an evaluation error, not computed. Client-safe.
 */

/** A policy ready to evaluate: its definition (the global one for a refinement) and the parameters in force. */
export type EvaluablePolicy = {
  key: string;
  title: string;
  severity: Severity;
  remediation: string;
  origin: PolicyOrigin;
  appliesTo: PolicyAppliesTo;
  version: number;
  definition: PolicyDefinition;
  params: Record<string, ParamValue>;
};

/** The part of the OPA adapter evaluation needs. */
export type OpaEvaluator = { mode: "connected" | "disabled"; evaluate(path: string, input: unknown): Promise<{ defined: boolean; allowed: boolean; result: unknown }> };

class EvaluationLimit extends Error {}

const MAX_FINDINGS = 50;

type Scope = { item: unknown; root: unknown; params: Record<string, ParamValue> };

function get(scope: Scope, path: string): unknown {
  let cur: unknown;
  let segs: string[];
  if (path === "$") return scope.root;
  if (path.startsWith("$.")) {
    cur = scope.root;
    segs = path.slice(2).split(".");
  } else {
    cur = scope.item;
    segs = path.split(".");
  }
  for (const s of segs) {
    if (cur === null || cur === undefined) return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(s)) return undefined;
      cur = cur[Number(s)];
    } else if (typeof cur === "object") {
      cur = Object.prototype.hasOwnProperty.call(cur, s) ? (cur as Record<string, unknown>)[s] : undefined;
    } else return undefined;
  }
  return cur;
}

const isRef = (v: unknown): v is ParamRef => !!v && typeof v === "object" && !Array.isArray(v) && typeof (v as ParamRef).param === "string";

function resolve(v: unknown, scope: Scope): unknown {
  return isRef(v) ? scope.params[v.param] : v;
}

function num(v: NumberArg | undefined, scope: Scope): number | undefined {
  if (v === undefined) return undefined;
  const r = resolve(v, scope);
  return typeof r === "number" ? r : Number.NaN;
}

function lengthOf(v: unknown): number | null {
  if (v === undefined || v === null) return 0;
  if (typeof v === "string") return v.trim().length;
  if (Array.isArray(v)) return v.length;
  return null;
}

function arrayAt(scope: Scope, path: string): unknown[] {
  const v = get(scope, path);
  if (!Array.isArray(v)) return [];
  if (v.length > LIMITS.arrayItems) throw new EvaluationLimit(`${path} has ${v.length} items; rules look at most ${LIMITS.arrayItems}`);
  return v;
}

const patternCache = new Map<string, RegExp | null>();

function compiled(pattern: string, ignoreCase: boolean): RegExp | null {
  const key = `${ignoreCase ? "i" : "-"}${pattern}`;
  let re = patternCache.get(key);
  if (re === undefined) {
    // Parameters are escaped when expanded, so the expanded pattern is as safe as the stored one; checked again regardless.
    re = unsafePattern(pattern) ? null : new RegExp(pattern, ignoreCase ? "iu" : "u");
    if (patternCache.size > 1000) patternCache.clear();
    patternCache.set(key, re);
  }
  return re;
}

function same(a: unknown, b: unknown) {
  return a === b;
}

function test(c: Condition, scope: Scope, depth: number): boolean {
  if (depth > LIMITS.depth) throw new EvaluationLimit("conditions nest too deeply");
  if ("exists" in c) {
    const v = get(scope, c.exists);
    return !(v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0));
  }
  if ("minLength" in c) {
    const len = lengthOf(get(scope, c.minLength.path));
    return len !== null && len >= num(c.minLength.value, scope)!;
  }
  if ("maxLength" in c) {
    const len = lengthOf(get(scope, c.maxLength.path));
    return len !== null && len <= num(c.maxLength.value, scope)!;
  }
  if ("matches" in c) {
    const v = get(scope, c.matches.path);
    if (typeof v !== "string" || v.length > LIMITS.matchInputLength) return false;
    const re = compiled(expandPattern(c.matches.pattern, scope.params), !!c.matches.ignoreCase);
    if (!re) throw new EvaluationLimit(`the pattern ${c.matches.pattern} is not allowed`);
    return re.test(v);
  }
  if ("equals" in c) return same(get(scope, c.equals.path), resolve(c.equals.value, scope));
  if ("notEquals" in c) return !same(get(scope, c.notEquals.path), resolve(c.notEquals.value, scope));
  if ("in" in c || "notIn" in c) {
    const arg = "in" in c ? c.in : c.notIn;
    const values = resolve(arg.values, scope) as Literal[] | undefined;
    const list = Array.isArray(values) ? values : [];
    const v = get(scope, arg.path);
    const inList = Array.isArray(v) ? v.every((x) => list.includes(x as Literal)) : list.includes(v as Literal);
    const noneIn = Array.isArray(v) ? !v.some((x) => list.includes(x as Literal)) : !list.includes(v as Literal);
    return "in" in c ? v !== undefined && inList : noneIn;
  }
  if ("gte" in c) {
    const v = get(scope, c.gte.path);
    return typeof v === "number" && v >= num(c.gte.value, scope)!;
  }
  if ("lte" in c) {
    const v = get(scope, c.lte.path);
    return typeof v === "number" && v <= num(c.lte.value, scope)!;
  }
  if ("count" in c) {
    const items = arrayAt(scope, c.count.path);
    let n = 0;
    for (const item of items) if (!c.count.where || test(c.count.where, { ...scope, item }, depth + 1)) n++;
    const min = num(c.count.min, scope);
    const max = num(c.count.max, scope);
    return (min === undefined || n >= min) && (max === undefined || n <= max);
  }
  if ("all" in c) return c.all.every((s) => test(s, scope, depth + 1));
  if ("any" in c) return c.any.some((s) => test(s, scope, depth + 1));
  if ("not" in c) return !test(c.not, scope, depth + 1);
  throw new EvaluationLimit(`unknown operator ${Object.keys(c)[0]}`);
}

function render(template: string, scope: Scope): string {
  return template.replace(/\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}|\{(\$?[A-Za-z0-9_.$]+)\}/g, (_m, param: string | undefined, path: string | undefined) => {
    const v = param ? scope.params[param] : get(scope, path!);
    if (Array.isArray(v)) return v.join(", ");
    return v === undefined || v === null || typeof v === "object" ? "" : String(v);
  });
}

function joinPath(...parts: (string | undefined)[]) {
  return parts.filter((p) => p !== undefined && p !== "").join(".");
}

type RuleOutcome = { applicable: boolean; findings: Finding[] };

function evaluateRule(rule: Rule, root: unknown, params: Record<string, ParamValue>): RuleOutcome {
  const base: Scope = { item: root, root, params };
  if (!rule.forEach) {
    if (rule.when && !test(rule.when, base, 1)) return { applicable: false, findings: [] };
    return { applicable: true, findings: test(rule.assert, base, 1) ? [] : [{ path: rule.path ?? "", message: render(rule.message, base) }] };
  }
  const items = arrayAt(base, rule.forEach);
  const findings: Finding[] = [];
  let applicable = false;
  items.forEach((item, i) => {
    const scope = { ...base, item };
    if (rule.when && !test(rule.when, scope, 1)) return;
    applicable = true;
    if (test(rule.assert, scope, 1)) return;
    const own = item && typeof item === "object" ? (item as { $path?: unknown }).$path : undefined;
    findings.push({ path: joinPath(typeof own === "string" ? own : `${rule.forEach}.${i}`, rule.path), message: render(rule.message, scope) });
  });
  return { applicable, findings };
}

function result(p: EvaluablePolicy, outcome: PolicyOutcome, findings: Finding[]): PolicyResult {
  const shown = findings.length > MAX_FINDINGS ? [...findings.slice(0, MAX_FINDINGS), { path: "", message: `… and ${findings.length - MAX_FINDINGS} more` }] : findings;
  return { policyKey: p.key, title: p.title, severity: p.severity, origin: p.origin, outcome, findings: shown, remediation: p.remediation, policyVersion: p.version };
}

/** Evaluates a rules policy against a document. Never throws: limits and bad data become an "error" result. */
export function evaluateRulesPolicy(p: EvaluablePolicy, doc: unknown): PolicyResult {
  if (p.definition.engine !== "rules") return result(p, "error", [{ path: "", message: "Not a rules policy" }]);
  try {
    const findings: Finding[] = [];
    let applicable = false;
    for (const rule of p.definition.rules) {
      const r = evaluateRule(rule, doc, p.params);
      applicable ||= r.applicable;
      findings.push(...r.findings);
    }
    return result(p, findings.length ? "fail" : applicable ? "pass" : "not_applicable", findings);
  } catch (err) {
    const message = err instanceof EvaluationLimit ? `Could not be evaluated: ${err.message}` : `Could not be evaluated: ${(err as Error).message}`;
    return result(p, "error", [{ path: "", message }]);
  }
}

/** Findings from an OPA decision: `result.findings` / `result.deny` / `result.violations` when given, otherwise one generic finding. */
function opaFindings(p: EvaluablePolicy, decision: { defined: boolean; result: unknown }): Finding[] {
  const r = decision.result;
  const list = r && typeof r === "object" && !Array.isArray(r) ? ((r as Record<string, unknown>).findings ?? (r as Record<string, unknown>).deny ?? (r as Record<string, unknown>).violations) : undefined;
  const items = Array.isArray(list) ? list.slice(0, MAX_FINDINGS) : [];
  const out: Finding[] = items.map((x) =>
    typeof x === "string"
      ? { path: "", message: x.slice(0, 500) }
      : { path: String((x as { path?: unknown })?.path ?? "").slice(0, 200), message: String((x as { message?: unknown })?.message ?? JSON.stringify(x)).slice(0, 500) },
  );
  if (out.length) return out;
  return [{ path: "", message: decision.defined ? `OPA denied ${p.definition.engine === "opa" ? p.definition.opaPath : p.key}` : "OPA has no decision at this path (treated as a deny)" }];
}

/**
 * Evaluates policies against one document. Rule policies run in memory; OPA policies call `opa`
 * (an error there, including OPA not being configured, is the policy's "error" outcome: it does not
 * block, and is visible as such).
 */
export async function evaluatePolicies(policies: readonly EvaluablePolicy[], doc: unknown, opa?: OpaEvaluator): Promise<PolicyResult[]> {
  const out: PolicyResult[] = [];
  for (const p of policies) {
    if (p.definition.engine === "rules") {
      out.push(evaluateRulesPolicy(p, doc));
      continue;
    }
    if (!opa || opa.mode !== "connected") {
      out.push(result(p, "error", [{ path: "", message: "OPA is not configured (OPA_URL), so this policy cannot be evaluated" }]));
      continue;
    }
    try {
      const decision = await opa.evaluate(p.definition.opaPath, doc);
      out.push(decision.allowed ? result(p, "pass", []) : result(p, "fail", opaFindings(p, decision)));
    } catch (err) {
      out.push(result(p, "error", [{ path: "", message: `OPA could not decide: ${(err as Error).message}`.slice(0, 500) }]));
    }
  }
  return out;
}

/** Synchronous evaluation of rule policies only (the benchmark and the wizard's live checks). */
export function evaluateRulesPolicies(policies: readonly EvaluablePolicy[], doc: unknown): PolicyResult[] {
  return policies.filter((p) => p.definition.engine === "rules").map((p) => evaluateRulesPolicy(p, doc));
}

const WEIGHT: Record<Severity, number> = { blocking: 3, warning: 2, advice: 1 };

/** 0..100: the severity-weighted share of applicable policies that pass (100 when none applies). */
export function scoreOf(results: readonly PolicyResult[]): number {
  let total = 0;
  let passed = 0;
  for (const r of results) {
    if (r.outcome === "not_applicable") continue;
    total += WEIGHT[r.severity];
    if (r.outcome === "pass") passed += WEIGHT[r.severity];
  }
  return total === 0 ? 100 : Math.round((100 * passed) / total);
}

/** Failing blocking policies: what stops a product from being published. */
export const blockingFailures = (results: readonly PolicyResult[]) => results.filter((r) => r.severity === "blocking" && r.outcome === "fail");
