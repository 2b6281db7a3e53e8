import { describe, expect, it } from "vitest";
import { DEFAULT_POLICIES } from "@/lib/governance/defaults";
import { buildAccessDocument, buildProductDocument, type AccessFacts, type ProductFacts } from "@/lib/governance/document";
import { evaluatePolicies, evaluateRulesPolicy, scoreOf, type EvaluablePolicy, type OpaEvaluator } from "@/lib/governance/evaluate";
import { effectiveParams, LIMITS, loosenings, parseDefinition, unsafePattern, type RulesDefinition } from "@/lib/governance/rules";
import { productSpec, type ProductSpec, type ProductSpecInput } from "@/lib/products/spec";

const spec = (over: Partial<ProductSpecInput> = {}): ProductSpec =>
  productSpec.parse({
    name: "Order returns",
    slug: "order-returns",
    domain: "sales",
    team: "sales-analytics",
    owners: ["olivia.owner@canopy.demo"],
    summary: "Returned order lines with reasons",
    description: "Every returned order line with the customer's reason, refreshed hourly from the returns service.",
    tags: ["returns"],
    classification: "internal",
    outputPorts: [
      {
        name: "returns",
        type: "trino_table",
        location: "lakehouse.sales.returns",
        description: "One row per returned line",
        columns: [
          { name: "return_id", physicalType: "bigint", logicalType: "integer", required: true, primaryKey: true, description: "Return" },
          { name: "customer_email", physicalType: "varchar", logicalType: "string", pii: true, classification: "confidential", description: "Who" },
        ],
        contract: {
          quality: [{ metric: "nullValues", column: "return_id", operator: "mustBe", threshold: 0 }],
          sla: [{ property: "freshness", value: 1, unit: "h" }],
        },
      },
    ],
    inputs: [],
    ...over,
  });

const facts = (over: Partial<ProductFacts> = {}): ProductFacts => ({ status: "published", version: "1.0.0", domainName: "Sales", previous: null, ...over });

const policy = (key: string, paramsOver: Record<string, unknown> = {}): EvaluablePolicy => {
  const d = DEFAULT_POLICIES.find((p) => p.key === key)!.definition;
  return {
    key,
    title: d.title,
    severity: d.severity,
    remediation: d.remediation,
    origin: { kind: "global" },
    appliesTo: d.appliesTo,
    version: 1,
    definition: d,
    params: { ...effectiveParams(d), ...(paramsOver as Record<string, never>) },
  };
};

const run = (key: string, s: ProductSpec, f: ProductFacts = facts(), params: Record<string, unknown> = {}) =>
  evaluateRulesPolicy(policy(key, params), buildProductDocument(s, f));

const withPort = (s: ProductSpec, patch: (p: ProductSpec["outputPorts"][number]) => void): ProductSpec => {
  const copy = structuredClone(s);
  patch(copy.outputPorts[0]!);
  return copy;
};

describe("the default policies", () => {
  it("all validate as policy definitions", () => {
    for (const p of DEFAULT_POLICIES) expect(parseDefinition(p.definition), p.key).toMatchObject({ ok: true });
  });

  it("owner-and-description: passes with an owner and 50+ characters, fails without either", () => {
    expect(run("owner-and-description", spec()).outcome).toBe("pass");
    const short = run("owner-and-description", spec({ description: "Returned lines." }));
    expect(short.outcome).toBe("fail");
    expect(short.findings).toEqual([{ path: "description", message: "The description is shorter than 50 characters" }]);
    const ownerless = run("owner-and-description", spec({ owners: [], team: "" }));
    expect(ownerless.findings.map((f) => f.path)).toEqual(["owners"]);
    // The owning team counts as an owner.
    expect(run("owner-and-description", spec({ owners: [] })).outcome).toBe("pass");
    // The remediation names the parameter in force.
    expect(policy("owner-and-description").remediation).toContain("{{minDescriptionLength}}");
  });

  it("pii-protected: PII must be confidential/restricted and its port not public", () => {
    expect(run("pii-protected", spec()).outcome).toBe("pass");
    const internal = run("pii-protected", withPort(spec(), (p) => (p.columns[1]!.classification = "internal")));
    expect(internal.outcome).toBe("fail");
    expect(internal.findings).toEqual([{ path: "outputPorts.0.columns.1.classification", message: "Column returns.customer_email is PII but classified internal" }]);
    const publicPort = run("pii-protected", withPort(spec(), (p) => (p.classification = "public")));
    expect(publicPort.findings).toEqual([{ path: "outputPorts.0.classification", message: "Port returns holds PII but is public" }]);
    // Without PII the policy does not apply.
    expect(run("pii-protected", withPort(spec(), (p) => (p.columns[1]!.pii = false))).outcome).toBe("not_applicable");
  });

  it("port-contract-quality-sla: each port needs a quality check and a freshness SLA", () => {
    expect(run("port-contract-quality-sla", spec()).outcome).toBe("pass");
    const bare = run("port-contract-quality-sla", withPort(spec(), (p) => ((p.contract.quality = []), (p.contract.sla = [{ property: "availability", value: 99, unit: "%", element: "" }]))));
    expect(bare.outcome).toBe("fail");
    expect(bare.findings.map((f) => f.path)).toEqual(["outputPorts.0.contract.quality", "outputPorts.0.contract.sla"]);
    // Latency counts as freshness; an API port needs no freshness.
    expect(run("port-contract-quality-sla", withPort(spec(), (p) => (p.contract.sla = [{ property: "latency", value: 5, unit: "m", element: "" }]))).outcome).toBe("pass");
    const api = withPort(spec(), (p) => ((p.type = "api"), (p.location = "https://api.example.test/returns"), (p.contract.sla = [])));
    expect(run("port-contract-quality-sla", api).outcome).toBe("pass");
  });

  it("naming-convention: kebab-case slug with the domain's prefix, snake_case columns", () => {
    expect(run("naming-convention", spec()).outcome).toBe("pass");
    const camel = run("naming-convention", withPort(spec(), (p) => (p.columns[0]!.name = "returnId")));
    expect(camel.findings).toEqual([{ path: "outputPorts.0.columns.0.name", message: "Column returns.returnId is not snake_case" }]);
    expect(run("naming-convention", spec({ slug: "order--returns" })).outcome).toBe("fail");
    // A domain prefix: "sales-" is required once a domain tightens it, and escaped (no pattern injection).
    expect(run("naming-convention", spec(), facts(), { slugPrefix: "sales-" }).findings).toEqual([
      { path: "slug", message: 'The slug order-returns is not kebab-case starting with "sales-"' },
    ]);
    expect(run("naming-convention", spec({ slug: "sales-order-returns" }), facts(), { slugPrefix: "sales-" }).outcome).toBe("pass");
    expect(run("naming-convention", spec({ slug: "salesxorder" }), facts(), { slugPrefix: "sales." }).outcome).toBe("fail");
  });

  it("breaking-change-major: a breaking change needs a new major version", () => {
    const before = spec();
    const after = withPort(spec(), (p) => p.columns.splice(1, 1));
    expect(run("breaking-change-major", after, facts({ version: "1.1.0", previous: { version: "1.0.0", spec: before } }))).toMatchObject({
      outcome: "fail",
      findings: [{ path: "version", message: "1 breaking change(s) since 1.0.0, but the version is not a new major" }],
    });
    expect(run("breaking-change-major", after, facts({ version: "2.0.0", previous: { version: "1.0.0", spec: before } })).outcome).toBe("pass");
    // Non-breaking changes and first versions are not its business.
    const added = withPort(spec(), (p) => p.columns.push({ ...p.columns[1]!, name: "note", pii: false, required: false }));
    expect(run("breaking-change-major", added, facts({ version: "1.1.0", previous: { version: "1.0.0", spec: before } })).outcome).toBe("not_applicable");
    expect(run("breaking-change-major", after).outcome).toBe("not_applicable");
  });

  const access = (over: { durationDays?: number; purposeCategory?: string | null; classification?: string } = {}): AccessFacts => ({
    request: { durationDays: over.durationDays ?? 90, purpose: "Monthly revenue reconciliation", purposeCategory: over.purposeCategory === undefined ? "reporting" : over.purposeCategory, principalType: "user", extension: false },
    port: { name: "invoices", type: "trino_table", classification: over.classification ?? "restricted", hasPii: true },
    product: { slug: "invoices", domain: "finance", classification: "confidential", status: "published" },
  });
  const runAccess = (key: string, f: AccessFacts) => evaluateRulesPolicy(policy(key), buildAccessDocument(f));

  it("access-restricted-duration: at most 180 days on restricted ports", () => {
    expect(runAccess("access-restricted-duration", access({ durationDays: 180 })).outcome).toBe("pass");
    expect(runAccess("access-restricted-duration", access({ durationDays: 181 }))).toMatchObject({
      outcome: "fail",
      findings: [{ path: "durationDays", message: "Access to restricted port invoices for 181 days exceeds 180 days" }],
    });
    expect(runAccess("access-restricted-duration", access({ durationDays: 365, classification: "confidential" })).outcome).toBe("not_applicable");
  });

  it("access-restricted-purpose: restricted ports need a purpose category", () => {
    expect(runAccess("access-restricted-purpose", access()).outcome).toBe("pass");
    expect(runAccess("access-restricted-purpose", access({ purposeCategory: null })).outcome).toBe("fail");
    expect(runAccess("access-restricted-purpose", access({ purposeCategory: null, classification: "internal" })).outcome).toBe("not_applicable");
  });
});

describe("rule validation", () => {
  const base = DEFAULT_POLICIES.find((p) => p.key === "owner-and-description")!.definition;
  const withRules = (rules: unknown[], params: unknown = base.params) => parseDefinition({ ...base, params, rules });

  it("names an unknown operator at its path", () => {
    const r = withRules([{ assert: { startsWith: { path: "product.slug", value: "x" } }, message: "m" }]);
    expect(r).toEqual({ ok: false, fieldErrors: { "rules.0.assert.startsWith": [expect.stringContaining('Unknown operator "startsWith"')] } });
  });

  it("rejects nested unknown fields, missing arguments and bad paths where they are", () => {
    const r = withRules([
      { forEach: "outputPorts", assert: { all: [{ exists: "name" }, { count: { path: "columns" } }, { gte: { path: "a..b", value: 1 } }] }, message: "m", extra: 1 },
    ]);
    expect(r.ok).toBe(false);
    const errors = (r as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(errors).sort()).toEqual(["rules.0.assert.all.1.count", "rules.0.assert.all.2.gte.path", "rules.0.extra"]);
  });

  it("checks parameter references and their types", () => {
    const r = withRules([
      { assert: { minLength: { path: "product.description", value: { param: "nope" } } }, message: "m" },
      { assert: { in: { path: "product.classification", values: { param: "minDescriptionLength" } } }, message: "m" },
    ]);
    expect((r as { fieldErrors: Record<string, string[]> }).fieldErrors).toEqual({
      "rules.0.assert.minLength.value": ['No parameter "nope" is declared in "params"'],
      "rules.1.assert.in.values": ['Parameter "minDescriptionLength" is a number; list expected here'],
    });
  });

  it("refuses patterns that could backtrack badly, and accepts ordinary ones", () => {
    for (const p of ["(a+)+$", "(a|aa)*", "(\\w+\\s?)*", "^(x*)*y", "(a)\\1", "(?=a)b", "a*b*c*d*"]) expect(unsafePattern(p), p).not.toBeNull();
    for (const p of ["^[a-z][a-z0-9_]*$", "^[a-z0-9][a-z0-9-]*$", "--|-$", "^(?:eu|us)-[a-z]+$", "^\\d{4}-\\d{2}$"]) expect(unsafePattern(p), p).toBeNull();
    const r = withRules([{ assert: { matches: { path: "product.slug", pattern: "^(a+)+$" } }, message: "m" }]);
    expect((r as { fieldErrors: Record<string, string[]> }).fieldErrors["rules.0.assert.matches.pattern"]![0]).toMatch(/exponential/);
  });

  it("bounds nesting depth", () => {
    let c: unknown = { exists: "product.slug" };
    for (let i = 0; i < LIMITS.depth + 1; i++) c = { not: c };
    const r = withRules([{ assert: c, message: "m" }]);
    expect(Object.values((r as { fieldErrors: Record<string, string[]> }).fieldErrors).flat().join()).toMatch(/nest at most/);
  });

  it("refuses an engine it does not know", () => {
    expect(parseDefinition({ ...base, engine: "javascript", code: "process.exit()" })).toMatchObject({ ok: false, fieldErrors: { engine: [expect.stringContaining('"rules" or "opa"')] } });
  });
});

describe("evaluation bounds", () => {
  it("reports an error instead of looping over too many items", () => {
    const d: RulesDefinition = { ...DEFAULT_POLICIES[0]!.definition, rules: [{ forEach: "items", assert: { exists: "x" }, message: "m" }] };
    const p = { ...policy("owner-and-description"), definition: d };
    const r = evaluateRulesPolicy(p, { items: Array.from({ length: LIMITS.arrayItems + 1 }, () => ({ x: 1 })) });
    expect(r.outcome).toBe("error");
    expect(r.findings[0]!.message).toMatch(/at most 10000/);
  });

  it("does not match patterns against overlong text", () => {
    const d: RulesDefinition = { ...DEFAULT_POLICIES[0]!.definition, rules: [{ assert: { matches: { path: "s", pattern: "^a*$" } }, message: "too long" }] };
    const p = { ...policy("owner-and-description"), definition: d };
    expect(evaluateRulesPolicy(p, { s: "a".repeat(LIMITS.matchInputLength) }).outcome).toBe("pass");
    expect(evaluateRulesPolicy(p, { s: "a".repeat(LIMITS.matchInputLength + 1) }).outcome).toBe("fail");
  });
});

describe("tightening", () => {
  const global = DEFAULT_POLICIES.find((p) => p.key === "owner-and-description")!.definition;
  const naming = DEFAULT_POLICIES.find((p) => p.key === "naming-convention")!.definition;
  const pii = DEFAULT_POLICIES.find((p) => p.key === "pii-protected")!.definition;
  const access = DEFAULT_POLICIES.find((p) => p.key === "access-restricted-duration")!.definition;

  it("accepts only stricter parameters and severities", () => {
    expect(loosenings(global, { params: { minDescriptionLength: 120 }, severity: "blocking" })).toEqual({});
    expect(loosenings(global, { params: { minDescriptionLength: 30 } })).toEqual({
      "params.minDescriptionLength": ["Stewards may only tighten a global policy: Minimum description length must be at least 50 (higher is stricter)"],
    });
    expect(loosenings(global, { params: {}, severity: "advice" }).severity![0]).toMatch(/^Stewards may only tighten a global policy: the severity must stay warning/);
    expect(loosenings(access, { params: { maxAccessDays: 90 } })).toEqual({});
    expect(Object.keys(loosenings(access, { params: { maxAccessDays: 365 } }))).toEqual(["params.maxAccessDays"]);
    expect(loosenings(naming, { params: { slugPrefix: "sales-" } })).toEqual({});
    expect(loosenings(pii, { params: { piiClassifications: ["restricted"] } })).toEqual({});
    expect(Object.keys(loosenings(pii, { params: { piiClassifications: ["restricted", "internal"] } }))).toEqual(["params.piiClassifications"]);
    expect(Object.keys(loosenings(global, { params: { somethingElse: 1 } }))).toEqual(["params.somethingElse"]);
  });

  it("keeps the stricter value when the global policy later tightens past a refinement", () => {
    const stricterGlobal: RulesDefinition = { ...global, params: { minDescriptionLength: { ...global.params.minDescriptionLength!, value: 200 } as never } };
    expect(effectiveParams(stricterGlobal, { params: { minDescriptionLength: 120 } })).toEqual({ minDescriptionLength: 200 });
    expect(effectiveParams(global, { params: { minDescriptionLength: 120 } })).toEqual({ minDescriptionLength: 120 });
  });
});

describe("the score", () => {
  it("weighs failures by severity and ignores what does not apply", () => {
    const r = (severity: "blocking" | "warning" | "advice", outcome: "pass" | "fail" | "not_applicable") => ({
      policyKey: "k",
      title: "t",
      severity,
      origin: { kind: "global" } as const,
      outcome,
      findings: [],
      remediation: "",
    });
    expect(scoreOf([])).toBe(100);
    expect(scoreOf([r("blocking", "pass"), r("warning", "fail"), r("advice", "not_applicable")])).toBe(60);
    expect(scoreOf([r("blocking", "fail"), r("warning", "pass")])).toBe(40);
  });
});

describe("OPA policies", () => {
  const opaPolicy: EvaluablePolicy = {
    key: "opa-naming",
    title: "Naming by OPA",
    severity: "blocking",
    remediation: "Follow the naming guide.",
    origin: { kind: "global" },
    appliesTo: "product",
    version: 2,
    definition: { title: "Naming by OPA", rationale: "Central naming rules in Rego.", remediation: "Follow the naming guide.", severity: "blocking", appliesTo: "product", engine: "opa", opaPath: "canopy/naming" },
    params: {},
  };
  const doc = buildProductDocument(spec(), facts());

  it("sends the product document as input and turns the decision into a result", async () => {
    const seen: { path: string; input: unknown }[] = [];
    const opa = (result: unknown, allowed: boolean): OpaEvaluator => ({
      mode: "connected",
      evaluate: async (path, input) => {
        seen.push({ path, input });
        return { defined: true, allowed, result };
      },
    });
    expect(await evaluatePolicies([opaPolicy], doc, opa(true, true))).toMatchObject([{ policyKey: "opa-naming", outcome: "pass", policyVersion: 2 }]);
    expect(seen[0]).toEqual({ path: "canopy/naming", input: doc });
    const denied = await evaluatePolicies([opaPolicy], doc, opa({ allow: false, deny: [{ path: "slug", message: "Slug must start with the domain" }, "Owners must be a team"] }, false));
    expect(denied[0]).toMatchObject({
      outcome: "fail",
      findings: [
        { path: "slug", message: "Slug must start with the domain" },
        { path: "", message: "Owners must be a team" },
      ],
    });
  });

  it("reports OPA being down or not configured as an error, which never blocks", async () => {
    const down: OpaEvaluator = { mode: "connected", evaluate: async () => Promise.reject(new Error("connect ECONNREFUSED")) };
    const [r] = await evaluatePolicies([opaPolicy], doc, down);
    expect(r).toMatchObject({ outcome: "error", findings: [{ message: expect.stringContaining("ECONNREFUSED") }] });
    const [off] = await evaluatePolicies([opaPolicy], doc, undefined);
    expect(off!.findings[0]!.message).toMatch(/OPA is not configured/);
    expect(scoreOf([r!])).toBe(0);
  });
});
