import "server-only";
import Ajv2019, { type ErrorObject, type ValidateFunction } from "ajv/dist/2019";
import addFormats from "ajv-formats";
import odcsSchema from "@/lib/descriptors/schemas/odcs-json-schema-v3.1.0.json";
import odpsSchema from "@/lib/descriptors/schemas/odps-json-schema-v1.0.0.json";
import type { DocPath, PathSegment } from "@/lib/descriptors/paths";

/**
 * JSON Schema validation of ODPS v1.0.0 and ODCS v3.1.0 documents against the dated copies in
 * ./schemas, with errors phrased for people: each issue names the path in the document
 * (`outputPorts[1].contractId`) and says what is wrong in plain words (`required`,
 * `must be one of string, date, …`). The validators are compiled once, on first use.
 */

export type SchemaIssue = { path: DocPath; message: string };

export const ODPS_API_VERSION = "v1.0.0";
export const ODCS_API_VERSION = "v3.1.0";

type Compiled = { validate: ValidateFunction; declared: ReadonlySet<string> };
let compiled: { odps: Compiled; odcs: Compiled } | null = null;

/** Every property name the schema declares anywhere. */
function declaredNames(schema: unknown): Set<string> {
  const out = new Set<string>();
  const stack: unknown[] = [schema];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node && typeof node === "object") {
      const props = (node as { properties?: unknown }).properties;
      if (props && typeof props === "object" && !Array.isArray(props)) for (const k of Object.keys(props)) out.add(k);
      stack.push(...Object.values(node));
    }
  }
  return out;
}

function validators() {
  if (compiled) return compiled;
  // strict: false — the published schemas use `required` entries declared in sibling subschemas.
  const ajv = new Ajv2019({ allErrors: true, strict: false, verbose: true });
  addFormats(ajv);
  compiled = {
    odps: { validate: ajv.compile(odpsSchema), declared: declaredNames(odpsSchema) },
    odcs: { validate: ajv.compile(odcsSchema), declared: declaredNames(odcsSchema) },
  };
  return compiled;
}

function run(c: Compiled, doc: unknown): SchemaIssue[] {
  return c.validate(doc) ? [] : describeErrors(c.validate.errors ?? [], doc, c.declared);
}

export const validateOdps = (doc: unknown): SchemaIssue[] => run(validators().odps, doc);
export const validateOdcs = (doc: unknown): SchemaIssue[] => run(validators().odcs, doc);

// ---------------------------------------------------------------------------------------------
// Turning ajv's errors into issues

function pointerToSegments(pointer: string, doc: unknown): PathSegment[] {
  if (!pointer) return [];
  const raw = pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const out: PathSegment[] = [];
  let node: unknown = doc;
  for (const s of raw) {
    if (Array.isArray(node) && /^\d+$/.test(s)) {
      const i = Number(s);
      out.push(i);
      node = node[i];
    } else {
      out.push(s);
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[s] : undefined;
    }
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object (key: value pairs)",
  null: "empty (null)",
};

const FORMAT_WORDS: Record<string, string> = {
  "date-time": "a date and time like 2024-01-31T09:30:00Z",
  date: "a date like 2024-01-31",
  time: "a time like 09:30:00Z",
  uri: "an absolute URI like https://example.com/page",
  email: "an e-mail address",
};

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => TYPE_WORDS[String(x)] ?? String(x)).join(" or ");
}

function describeValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return String(v);
}

function messageFor(e: ErrorObject): { extra?: string; message: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { extra: String(p.missingProperty), message: "required" };
    case "additionalProperties":
      return { extra: String(p.additionalProperty), message: "is not a field of this standard" };
    case "unevaluatedProperties":
      return { extra: String(p.unevaluatedProperty), message: "is not a field of this standard" };
    case "enum":
      return { message: `must be one of ${(p.allowedValues as unknown[]).map(String).join(", ")} (found ${describeValue(e.data)})` };
    case "const":
      return { message: `must be ${String(p.allowedValue)}` };
    case "type":
      return { message: `must be ${typeWords(p.type)} (found ${describeValue(e.data)})` };
    case "format":
      return { message: `must be ${FORMAT_WORDS[String(p.format)] ?? `in ${String(p.format)} format`} (found ${describeValue(e.data)})` };
    case "pattern":
      if (String(e.schemaPath).includes("StableId")) return { message: "may only use letters, digits, _ and -" };
      if (String(e.schemaPath).includes("Reference")) return { message: "must reference a field as table.column" };
      return { message: `does not match the expected pattern ${String(p.pattern)}` };
    case "not": {
      const req = (e.schema as { required?: string[] } | undefined)?.required;
      return { message: req?.length ? `must not have ${req.join(", ")} here` : "is not allowed here" };
    }
    case "minItems":
      return { message: `needs at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}` };
    case "maxItems":
      return { message: `may have at most ${String(p.limit)} items` };
    case "uniqueItems":
      return { message: "must not repeat items" };
    case "minimum":
    case "exclusiveMinimum":
    case "maximum":
    case "exclusiveMaximum":
      return { message: `must be ${String(p.comparison)} ${String(p.limit)}` };
    default:
      return { message: e.message ?? "is not valid" };
  }
}

type Pending = { error: ErrorObject; removed: boolean };

/**
 * ajv reports every failed branch of `oneOf`/`anyOf` and of `if`/`then`; people need one message per
 * mistake. Branch failures are folded into their combinator: "needs one of mustBe, mustNotBe, …",
 * "must be text or a number", or the errors of the branch that got furthest.
 */
function describeErrors(errors: readonly ErrorObject[], doc: unknown, declared: ReadonlySet<string>): SchemaIssue[] {
  const pending: Pending[] = errors.map((error) => ({ error, removed: error.keyword === "if" }));
  const combinators = pending
    .filter((p) => p.error.keyword === "oneOf" || p.error.keyword === "anyOf")
    .sort((a, b) => a.error.schemaPath.length - b.error.schemaPath.length);
  const issues: SchemaIssue[] = [];
  for (const c of combinators) {
    if (c.removed) continue;
    const base = c.error.schemaPath + "/";
    const within = (p: Pending) => p.error.instancePath === c.error.instancePath || p.error.instancePath.startsWith(`${c.error.instancePath}/`);
    // A failed combinator's branch errors come right before it; branches that are $refs report
    // their own schema paths, so position (not schema path) is what ties them to the combinator.
    const children = new Set(pending.filter((p) => p !== c && p.error.schemaPath.startsWith(base) && within(p)));
    for (let i = pending.indexOf(c) - 1; i >= 0 && within(pending[i]!); i--) children.add(pending[i]!);
    for (const ch of children) ch.removed = true;
    c.removed = true;
    const at = pointerToSegments(c.error.instancePath, doc);
    const passing = (c.error.params as { passingSchemas?: number[] | null }).passingSchemas;
    const branches = (Array.isArray(c.error.schema) ? c.error.schema : []) as { required?: string[] }[];
    if (Array.isArray(passing) && passing.length > 1) {
      const keys = passing.flatMap((i) => branches[i]?.required ?? []);
      issues.push({ path: at, message: keys.length ? `may have only one of ${keys.join(", ")}` : "matches more than one allowed form" });
      continue;
    }
    const live = [...children].filter((ch) => ch.error.keyword !== "if" && ch.error.keyword !== "oneOf" && ch.error.keyword !== "anyOf");
    const here = live.filter((ch) => ch.error.instancePath === c.error.instancePath);
    if (live.length && here.length === live.length && live.every((ch) => ch.error.keyword === "required")) {
      const keys = [...new Set(live.map((ch) => String((ch.error.params as { missingProperty: string }).missingProperty)))];
      issues.push({ path: at, message: `needs one of ${keys.join(", ")}` });
      continue;
    }
    if (live.length && here.length === live.length && live.every((ch) => ch.error.keyword === "type")) {
      const types = [...new Set(live.flatMap((ch) => [(ch.error.params as { type: string | string[] }).type].flat()))];
      issues.push({ path: at, message: `must be ${typeWords(types)} (found ${describeValue(c.error.data)})` });
      continue;
    }
    // The branch that got furthest into the document explains the mistake best.
    const byBranch = new Map<string, ErrorObject[]>();
    for (const ch of live) {
      const branch = ch.error.schemaPath.slice(base.length).split("/")[0] ?? "";
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), ch.error]);
    }
    const depth = (list: ErrorObject[]) => Math.max(...list.map((e) => e.instancePath.length));
    const best = [...byBranch.values()].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0];
    if (!best?.length) {
      issues.push({ path: at, message: "does not match any allowed form" });
      continue;
    }
    for (const e of best) issues.push(issueOf(e, doc));
  }
  const rest = pending.filter((p) => !p.removed).map((p) => p.error);
  // A field the standard knows, reported as unevaluated on an object that has a real error, is an
  // echo of the branch that failed (its fields count as unevaluated); unknown fields are kept.
  const realPaths = errors.filter((e) => e.keyword !== "unevaluatedProperties" && e.keyword !== "if").map((e) => e.instancePath);
  for (const e of rest) {
    if (
      e.keyword === "unevaluatedProperties" &&
      declared.has(String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty)) &&
      realPaths.some((p) => p === e.instancePath || p.startsWith(`${e.instancePath}/`))
    )
      continue;
    issues.push(issueOf(e, doc));
  }
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.path.join("\u0000")}\u0001${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => comparePaths(a.path, b.path));
}

function issueOf(e: ErrorObject, doc: unknown): SchemaIssue {
  const at = pointerToSegments(e.instancePath, doc);
  const { extra, message } = messageFor(e);
  return { path: extra !== undefined ? [...at, extra] : at, message };
}

function comparePaths(a: DocPath, b: DocPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return 0;
  }
  return a.length - b.length;
}
