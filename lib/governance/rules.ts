import { z } from "zod";
import { SEVERITIES, SEVERITY_RANK, type Severity } from "@/lib/governance/types";

/**
 * The policy rule language: declarative JSON stored as data, validated on save, evaluated by a
 * small interpreter (evaluate.ts) — never code. A rule is
 *
 *   { "forEach"?: <path to an array>, "when"?: <condition>, "assert": <condition>,
 *     "message": "Column {name} is PII but classified {classification}", "path"?: "classification" }
 *
 * and a condition is an object with exactly one operator from a closed set (OPERATORS below) over
 * dotted paths into the evaluated document (inside `forEach`, paths are relative to the item; `$.`
 * starts from the document's root). Values can be literals or `{ "param": "name" }`, a reference to
 * one of the policy's declared parameters. Each parameter declares which direction is stricter, so a
 * domain refinement of a global policy can be checked to only tighten it. Client-safe.
 */

export const LIMITS = {
  /** Nesting of conditions (all/any/not/count.where). */
  depth: 8,
  rulesPerPolicy: 20,
  conditionsPerList: 20,
  params: 10,
  pathSegments: 10,
  patternLength: 200,
  /** Strings longer than this are not matched against patterns (they fail the condition). */
  matchInputLength: 500,
  /** Arrays longer than this make the rule an evaluation error rather than a long computation. */
  arrayItems: 10_000,
  listValues: 50,
  messageLength: 300,
} as const;

export const OPERATORS = [
  "exists",
  "minLength",
  "maxLength",
  "matches",
  "equals",
  "notEquals",
  "in",
  "notIn",
  "gte",
  "lte",
  "count",
  "all",
  "any",
  "not",
] as const;
export type Operator = (typeof OPERATORS)[number];

export type Literal = string | number | boolean | null;
export type ParamRef = { param: string };
export type NumberArg = number | ParamRef;

export type Condition =
  | { exists: string }
  | { minLength: { path: string; value: NumberArg } }
  | { maxLength: { path: string; value: NumberArg } }
  | { matches: { path: string; pattern: string; ignoreCase?: boolean } }
  | { equals: { path: string; value: Literal | ParamRef } }
  | { notEquals: { path: string; value: Literal | ParamRef } }
  | { in: { path: string; values: Literal[] | ParamRef } }
  | { notIn: { path: string; values: Literal[] | ParamRef } }
  | { gte: { path: string; value: NumberArg } }
  | { lte: { path: string; value: NumberArg } }
  | { count: { path: string; where?: Condition; min?: NumberArg; max?: NumberArg } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export type Rule = { forEach?: string; when?: Condition; assert: Condition; message: string; path?: string };

// ---------------------------------------------------------------------------------------------
// Parameters and their strictness

/**
 * How a parameter tightens: `higher`/`lower` (numbers: which way is stricter), `prefix` (a string
 * may only be extended: "sales-" tightens "", "sales-eu-" tightens "sales-"), `subset` (a list of
 * allowed values may only shrink), `superset` (a list of required values may only grow), `true` (a
 * boolean may be switched on, never off), `fixed` (a domain cannot change it).
 */
export type ParamDirection = "higher" | "lower" | "prefix" | "subset" | "superset" | "true" | "fixed";

export type ParamDecl =
  | { type: "number"; direction: "higher" | "lower" | "fixed"; value: number; label?: string }
  | { type: "string"; direction: "prefix" | "fixed"; value: string; label?: string }
  | { type: "boolean"; direction: "true" | "fixed"; value: boolean; label?: string }
  | { type: "list"; direction: "subset" | "superset" | "fixed"; value: string[]; label?: string };

export type ParamValue = number | string | boolean | string[];

const PARAM_NAME = /^[a-zA-Z][a-zA-Z0-9]{0,39}$/;
const PARAM_STRING = /^[A-Za-z0-9_.-]{0,40}$/;
const label = z.string().trim().max(200).optional();

export const paramDeclSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("number"), direction: z.enum(["higher", "lower", "fixed"]), value: z.number().finite(), label }),
  z.strictObject({
    type: z.literal("string"),
    direction: z.enum(["prefix", "fixed"]),
    value: z.string().regex(PARAM_STRING, "Parameter text uses letters, digits, _, . and - (at most 40)"),
    label,
  }),
  z.strictObject({ type: z.literal("boolean"), direction: z.enum(["true", "fixed"]), value: z.boolean(), label }),
  z.strictObject({
    type: z.literal("list"),
    direction: z.enum(["subset", "superset", "fixed"]),
    value: z.array(z.string().max(100)).max(LIMITS.listValues),
    label,
  }),
]);

/** Whether `next` is at least as strict as `base` for this declaration; a reason when not. */
export function tightens(decl: ParamDecl, base: ParamValue, next: ParamValue): string | null {
  switch (decl.type) {
    case "number": {
      if (typeof next !== "number" || !Number.isFinite(next)) return "must be a number";
      const b = base as number;
      if (decl.direction === "higher") return next >= b ? null : `must be at least ${b} (higher is stricter)`;
      if (decl.direction === "lower") return next <= b ? null : `must be at most ${b} (lower is stricter)`;
      return next === b ? null : `cannot be changed by a domain (it is ${b})`;
    }
    case "string": {
      if (typeof next !== "string" || !PARAM_STRING.test(next)) return "must be text of letters, digits, _, . and - (at most 40)";
      const b = base as string;
      if (decl.direction === "prefix") return next.startsWith(b) ? null : `must start with "${b}" (a domain may only extend it)`;
      return next === b ? null : `cannot be changed by a domain (it is "${b}")`;
    }
    case "boolean": {
      if (typeof next !== "boolean") return "must be true or false";
      if (decl.direction === "true") return next || !base ? null : "cannot be switched off by a domain";
      return next === base ? null : `cannot be changed by a domain (it is ${String(base)})`;
    }
    case "list": {
      if (!Array.isArray(next) || next.some((v) => typeof v !== "string") || next.length > LIMITS.listValues) return "must be a list of text values";
      const b = base as string[];
      if (decl.direction === "subset") {
        const extra = next.filter((v) => !b.includes(v));
        return extra.length ? `may only remove values, not add ${extra.map((v) => `"${v}"`).join(", ")}` : null;
      }
      if (decl.direction === "superset") {
        const missing = b.filter((v) => !next.includes(v));
        return missing.length ? `may only add values, not remove ${missing.map((v) => `"${v}"`).join(", ")}` : null;
      }
      return b.length === next.length && b.every((v, i) => v === next[i]) ? null : "cannot be changed by a domain";
    }
  }
}

/** The stricter of two values under a declaration (used when a global policy changes under a refinement). */
export function stricter(decl: ParamDecl, a: ParamValue, b: ParamValue): ParamValue {
  return tightens(decl, a, b) === null ? b : a;
}

// ---------------------------------------------------------------------------------------------
// Regular expressions: bounded and free of catastrophic backtracking

/**
 * Rejects patterns that could take long to match, so a pattern stored in a policy can never stall
 * evaluation: backreferences and lookaround (not regular), a repeated group that itself contains a
 * repetition or an alternation (`(a+)+`, `(a|aa)*`: star height above one, exponential
 * backtracking), and more than MAX_UNBOUNDED unbounded repetitions (`*`, `+`, `{n,}`), which with
 * inputs capped at LIMITS.matchInputLength characters bounds the polynomial worst case. Returns the
 * reason, or null when the pattern is acceptable.
 */
export function unsafePattern(pattern: string): string | null {
  if (pattern.length > LIMITS.patternLength) return `is longer than ${LIMITS.patternLength} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return "uses a backreference";
  if (/\(\?(?:[=!]|<[=!])/.test(pattern)) return "uses lookaround";
  const stack: { risky: boolean }[] = [];
  let inClass = false;
  let unbounded = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      continue;
    }
    if (ch === "(") {
      stack.push({ risky: false });
      // (?: and (?<name> open groups; they are not quantifiers.
      if (pattern[i + 1] === "?") {
        if (pattern[i + 2] === ":") i += 2;
        else if (pattern[i + 2] === "<") {
          const close = pattern.indexOf(">", i);
          if (close < 0) return "has an unclosed group name";
          i = close;
        }
      }
      continue;
    }
    const brace = ch === "{" ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null;
    const isQuant = ch === "*" || ch === "+" || ch === "?" || !!brace;
    if (ch === "*" || ch === "+" || (brace && brace[2] !== undefined && !brace[3])) unbounded++;
    if (ch === "|" || isQuant) {
      if (stack.length) stack[stack.length - 1]!.risky = true;
    }
    if (brace) i += brace[0].length - 1;
    if (ch === ")") {
      const group = stack.pop();
      if (!group) return "has an unbalanced parenthesis";
      const next = pattern[i + 1];
      const quantified = next === "*" || next === "+" || next === "?" || next === "{";
      if (quantified && group.risky) return "repeats a group that itself repeats or alternates (it could take exponential time)";
      if (group.risky && stack.length) stack[stack.length - 1]!.risky = true;
    }
  }
  if (stack.length) return "has an unbalanced parenthesis";
  if (inClass) return "has an unclosed character class";
  if (unbounded > MAX_UNBOUNDED) return `has more than ${MAX_UNBOUNDED} unbounded repetitions (*, + or {n,})`;
  return null;
}

const MAX_UNBOUNDED = 3;

const PLACEHOLDER = /\{\{([a-zA-Z][a-zA-Z0-9]{0,39})\}\}/g;

/** The pattern with `{{param}}` placeholders replaced by the parameter's value, escaped. */
export function expandPattern(pattern: string, params: Record<string, ParamValue>): string {
  return pattern.replace(PLACEHOLDER, (_m, name: string) => String(params[name] ?? "").replace(/[.*+?^${}()|[\]\\/]/g, "\\$&").replace(/-/g, "\\x2d"));
}

// ---------------------------------------------------------------------------------------------
// Validating conditions and rules

const PATH_RE = /^(\$\.)?[A-Za-z_$][A-Za-z0-9_$]*(\.(?:[A-Za-z_$][A-Za-z0-9_$]*|\d{1,4}))*$|^\$$/;

type Issue = { path: (string | number)[]; message: string };

type Ctx = { params: Record<string, ParamDecl>; issues: Issue[] };

function checkPath(v: unknown, at: (string | number)[], ctx: Ctx) {
  if (typeof v !== "string" || !PATH_RE.test(v)) {
    ctx.issues.push({ path: at, message: `Expected a path like "product.description" or "$.product.status"` });
    return;
  }
  if (v.split(".").length > LIMITS.pathSegments) ctx.issues.push({ path: at, message: `A path has at most ${LIMITS.pathSegments} segments` });
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const isLiteral = (v: unknown) => v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";

function checkParamRef(v: unknown, types: ParamDecl["type"][], at: (string | number)[], ctx: Ctx): boolean {
  if (!isObj(v) || !("param" in v)) return false;
  const keys = Object.keys(v);
  const name = v.param;
  if (keys.length !== 1 || typeof name !== "string") {
    ctx.issues.push({ path: at, message: `A parameter reference is { "param": "<name>" }` });
    return true;
  }
  const decl = ctx.params[name];
  if (!decl) ctx.issues.push({ path: at, message: `No parameter "${name}" is declared in "params"` });
  else if (!types.includes(decl.type)) ctx.issues.push({ path: at, message: `Parameter "${name}" is a ${decl.type}; ${types.join(" or ")} expected here` });
  return true;
}

function checkNumber(v: unknown, at: (string | number)[], ctx: Ctx) {
  if (checkParamRef(v, ["number"], at, ctx)) return;
  if (typeof v !== "number" || !Number.isFinite(v)) ctx.issues.push({ path: at, message: "Expected a number or a parameter reference" });
}

function checkArgs(v: unknown, at: (string | number)[], ctx: Ctx, allowed: string[], required: string[]): v is Record<string, unknown> {
  if (!isObj(v)) {
    ctx.issues.push({ path: at, message: `Expected an object with ${required.map((r) => `"${r}"`).join(", ")}` });
    return false;
  }
  for (const k of Object.keys(v)) if (!allowed.includes(k)) ctx.issues.push({ path: [...at, k], message: `Unknown field "${k}"; expected ${allowed.map((a) => `"${a}"`).join(", ")}` });
  for (const r of required) if (!(r in v)) ctx.issues.push({ path: [...at, r], message: `"${r}" is required` });
  return true;
}

function checkCondition(c: unknown, at: (string | number)[], ctx: Ctx, depth: number) {
  if (depth > LIMITS.depth) {
    ctx.issues.push({ path: at, message: `Conditions nest at most ${LIMITS.depth} levels deep` });
    return;
  }
  if (!isObj(c)) {
    ctx.issues.push({ path: at, message: `Expected a condition: an object with one operator (${OPERATORS.join(", ")})` });
    return;
  }
  const keys = Object.keys(c);
  if (keys.length !== 1) {
    ctx.issues.push({ path: at, message: `A condition has exactly one operator; found ${keys.length ? keys.map((k) => `"${k}"`).join(", ") : "none"}` });
    return;
  }
  const op = keys[0]!;
  const arg = c[op];
  const here = [...at, op];
  if (!(OPERATORS as readonly string[]).includes(op)) {
    ctx.issues.push({ path: here, message: `Unknown operator "${op}"; the operators are ${OPERATORS.join(", ")}` });
    return;
  }
  switch (op as Operator) {
    case "exists":
      checkPath(arg, here, ctx);
      return;
    case "minLength":
    case "maxLength":
    case "gte":
    case "lte":
      if (checkArgs(arg, here, ctx, ["path", "value"], ["path", "value"])) {
        checkPath(arg.path, [...here, "path"], ctx);
        if ("value" in arg) checkNumber(arg.value, [...here, "value"], ctx);
      }
      return;
    case "matches":
      if (checkArgs(arg, here, ctx, ["path", "pattern", "ignoreCase"], ["path", "pattern"])) {
        checkPath(arg.path, [...here, "path"], ctx);
        if (arg.ignoreCase !== undefined && typeof arg.ignoreCase !== "boolean") ctx.issues.push({ path: [...here, "ignoreCase"], message: "Expected true or false" });
        const p = arg.pattern;
        if (typeof p !== "string") ctx.issues.push({ path: [...here, "pattern"], message: "Expected a regular expression as text" });
        else {
          for (const m of p.matchAll(PLACEHOLDER)) {
            const decl = ctx.params[m[1]!];
            if (!decl || decl.type !== "string") ctx.issues.push({ path: [...here, "pattern"], message: `{{${m[1]}}} needs a declared text parameter "${m[1]}"` });
          }
          const concrete = p.replace(PLACEHOLDER, "x");
          const unsafe = unsafePattern(concrete);
          if (unsafe) ctx.issues.push({ path: [...here, "pattern"], message: `The pattern ${unsafe}` });
          else {
            try {
              new RegExp(concrete, "u");
            } catch (e) {
              ctx.issues.push({ path: [...here, "pattern"], message: `Not a valid regular expression: ${(e as Error).message}` });
            }
          }
        }
      }
      return;
    case "equals":
    case "notEquals":
      if (checkArgs(arg, here, ctx, ["path", "value"], ["path", "value"])) {
        checkPath(arg.path, [...here, "path"], ctx);
        if ("value" in arg && !checkParamRef(arg.value, ["number", "string", "boolean"], [...here, "value"], ctx) && !isLiteral(arg.value))
          ctx.issues.push({ path: [...here, "value"], message: "Expected text, a number, true/false, null or a parameter reference" });
      }
      return;
    case "in":
    case "notIn":
      if (checkArgs(arg, here, ctx, ["path", "values"], ["path", "values"])) {
        checkPath(arg.path, [...here, "path"], ctx);
        const vs = arg.values;
        if ("values" in arg && !checkParamRef(vs, ["list"], [...here, "values"], ctx)) {
          if (!Array.isArray(vs) || vs.length > LIMITS.listValues || !vs.every(isLiteral))
            ctx.issues.push({ path: [...here, "values"], message: `Expected a list of at most ${LIMITS.listValues} values or a list parameter` });
        }
      }
      return;
    case "count":
      if (checkArgs(arg, here, ctx, ["path", "where", "min", "max"], ["path"])) {
        checkPath(arg.path, [...here, "path"], ctx);
        if (arg.min === undefined && arg.max === undefined) ctx.issues.push({ path: here, message: `"count" needs "min", "max" or both` });
        if (arg.min !== undefined) checkNumber(arg.min, [...here, "min"], ctx);
        if (arg.max !== undefined) checkNumber(arg.max, [...here, "max"], ctx);
        if (arg.where !== undefined) checkCondition(arg.where, [...here, "where"], ctx, depth + 1);
      }
      return;
    case "all":
    case "any":
      if (!Array.isArray(arg) || arg.length === 0 || arg.length > LIMITS.conditionsPerList) {
        ctx.issues.push({ path: here, message: `Expected a list of 1 to ${LIMITS.conditionsPerList} conditions` });
        return;
      }
      arg.forEach((sub, i) => checkCondition(sub, [...here, i], ctx, depth + 1));
      return;
    case "not":
      checkCondition(arg, here, ctx, depth + 1);
      return;
  }
}

const ruleKeys = ["forEach", "when", "assert", "message", "path"];

function checkRule(r: unknown, at: (string | number)[], ctx: Ctx) {
  if (!isObj(r)) {
    ctx.issues.push({ path: at, message: `A rule is { "forEach"?, "when"?, "assert", "message", "path"? }` });
    return;
  }
  for (const k of Object.keys(r)) if (!ruleKeys.includes(k)) ctx.issues.push({ path: [...at, k], message: `Unknown field "${k}"; a rule has ${ruleKeys.join(", ")}` });
  if (r.forEach !== undefined) checkPath(r.forEach, [...at, "forEach"], ctx);
  if (r.when !== undefined) checkCondition(r.when, [...at, "when"], ctx, 1);
  if (r.assert === undefined) ctx.issues.push({ path: [...at, "assert"], message: `"assert" is required` });
  else checkCondition(r.assert, [...at, "assert"], ctx, 1);
  if (typeof r.message !== "string" || !r.message.trim() || r.message.length > LIMITS.messageLength)
    ctx.issues.push({ path: [...at, "message"], message: `Write the message shown when the rule fails (at most ${LIMITS.messageLength} characters)` });
  if (r.path !== undefined && (typeof r.path !== "string" || !/^[A-Za-z0-9_.]{0,200}$/.test(r.path)))
    ctx.issues.push({ path: [...at, "path"], message: "The field path a finding points at, like classification or contract.sla" });
}

// ---------------------------------------------------------------------------------------------
// Policy definitions

export const POLICY_KEY_RE = /^[a-z][a-z0-9-]{1,62}$/;
export const policyKeySchema = z.string().trim().regex(POLICY_KEY_RE, "A key uses lower-case letters, digits and -, 2 to 63 characters, starting with a letter");

const common = {
  title: z.string().trim().min(3, "A title has at least 3 characters").max(120),
  rationale: z.string().trim().min(10, "Say why the policy exists (at least 10 characters)").max(2000),
  remediation: z.string().trim().min(10, "Say how to fix a failure (at least 10 characters)").max(2000),
  severity: z.enum(SEVERITIES, { error: "Severity is blocking, warning or advice" }),
  appliesTo: z.enum(["product", "access"], { error: "A policy applies to products or access requests" }),
};

const paramsSchema = z
  .record(z.string().regex(PARAM_NAME, "Parameter names use letters and digits, starting with a letter"), paramDeclSchema)
  .refine((p) => Object.keys(p).length <= LIMITS.params, `At most ${LIMITS.params} parameters`)
  .default({});

export const rulesDefinitionSchema = z
  .strictObject({
    ...common,
    engine: z.literal("rules"),
    params: paramsSchema,
    rules: z.array(z.unknown()).min(1, "Add at least one rule").max(LIMITS.rulesPerPolicy, `At most ${LIMITS.rulesPerPolicy} rules`),
  })
  .superRefine((d, zctx) => {
    const ctx: Ctx = { params: d.params, issues: [] };
    d.rules.forEach((r, i) => checkRule(r, ["rules", i], ctx));
    for (const issue of ctx.issues) zctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });

export const opaDefinitionSchema = z.strictObject({
  ...common,
  engine: z.literal("opa"),
  /** An OPA document path like canopy/governance/naming; the decision allows (pass) or denies (fail). */
  opaPath: z.string().trim().regex(/^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/, "Use letters, digits and _ separated by /, e.g. canopy/governance/naming").max(200),
});

export const policyDefinitionSchema = z.discriminatedUnion("engine", [rulesDefinitionSchema, opaDefinitionSchema], {
  error: `"engine" is "rules" or "opa"`,
});

export type RulesDefinition = Omit<z.infer<typeof rulesDefinitionSchema>, "rules" | "params"> & { params: Record<string, ParamDecl>; rules: Rule[] };
export type OpaDefinition = z.infer<typeof opaDefinitionSchema>;
export type PolicyDefinition = RulesDefinition | OpaDefinition;

/** A domain's tightening of a global policy: stricter parameters, a higher severity, its own remediation note. */
export const refinementSchema = z.strictObject({
  severity: z.enum(SEVERITIES).optional(),
  params: z.record(z.string().regex(PARAM_NAME), z.union([z.number(), z.string(), z.boolean(), z.array(z.string())])).default({}),
  remediation: z.string().trim().max(2000).optional(),
});
export type Refinement = z.infer<typeof refinementSchema>;

/** Field errors (dotted path → messages) from a zod error. */
export function issuesOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of error.issues) (out[i.path.length ? i.path.map(String).join(".") : "_"] ??= []).push(i.message);
  return out;
}

/** Parses a policy definition or returns field errors at their paths. */
export function parseDefinition(raw: unknown): { ok: true; definition: PolicyDefinition } | { ok: false; fieldErrors: Record<string, string[]> } {
  const r = policyDefinitionSchema.safeParse(raw);
  if (!r.success) return { ok: false, fieldErrors: issuesOf(r.error) };
  return { ok: true, definition: r.data as PolicyDefinition };
}

/**
 * Why a refinement would loosen its global policy (field path → message), or an empty object when it
 * only tightens. Stewards may raise the severity, tighten declared parameters in their direction and
 * add a remediation note; nothing else.
 */
export function loosenings(global: PolicyDefinition, refinement: Refinement): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const push = (k: string, m: string) => (out[k] ??= []).push(m);
  if (refinement.severity && SEVERITY_RANK[refinement.severity] < SEVERITY_RANK[global.severity as Severity])
    push("severity", `Stewards may only tighten a global policy: the severity must stay ${global.severity} or become stricter, not ${refinement.severity}`);
  const decls = global.engine === "rules" ? global.params : {};
  for (const [name, value] of Object.entries(refinement.params)) {
    const decl = decls[name];
    if (!decl) {
      push(`params.${name}`, `The global policy has no parameter "${name}"`);
      continue;
    }
    const why = tightens(decl, decl.value, value);
    if (why) push(`params.${name}`, `Stewards may only tighten a global policy: ${decl.label ?? name} ${why}`);
  }
  return out;
}

/** The parameters in force: the global's, each replaced by the stricter of it and the refinement's. */
export function effectiveParams(global: RulesDefinition, refinement?: Refinement | null): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, decl] of Object.entries(global.params)) {
    const refined = refinement?.params[name];
    out[name] = refined === undefined ? decl.value : stricter(decl, decl.value, refined);
  }
  return out;
}

/** The severity in force: the higher of the global's and the refinement's. */
export function effectiveSeverity(global: Severity, refined?: Severity): Severity {
  return refined && SEVERITY_RANK[refined] > SEVERITY_RANK[global] ? refined : global;
}
