import type { z } from "zod";
import { WIZARD_STEPS, type WizardStepKey } from "@/lib/drafts/schemas";
import {
  CLASSIFICATIONS,
  LOGICAL_TYPES,
  PORT_TYPES,
  PURPOSE_CATEGORIES,
  QUALITY_METRICS,
  QUALITY_OPERATORS,
  SLA_PROPERTIES,
  SLA_UNITS,
  basicsSpec,
  inputsStep,
  logicalTypeOf,
  portsStep,
  productSpec,
  slugify,
  type ProductSpec,
  type ProductSpecInput,
} from "@/lib/products/spec";

/**
 * The wizard's form model: what the inputs hold (text as typed, numbers as strings, lists as
 * comma-separated text), how it becomes a ProductSpec for the shared zod schemas, and how their
 * errors find their way back to fields and steps. It is also what a draft stores, so `normalizeForm`
 * accepts anything and keeps what it recognises.
 */

export type PortType = (typeof PORT_TYPES)[number];

export type ColumnForm = {
  key: string;
  name: string;
  physicalType: string;
  logicalType: string;
  description: string;
  classification: string;
  pii: boolean;
  required: boolean;
  primaryKey: boolean;
};
export type QualityForm = { key: string; metric: string; column: string; operator: string; threshold: string; query: string; description: string };
export type SlaForm = { key: string; property: string; value: string; unit: string; element: string };
export type TableSource = { catalog: string; schema: string; table: string };
export type PortForm = {
  key: string;
  name: string;
  type: PortType | "";
  location: string;
  description: string;
  /** "" = as the product. */
  classification: string;
  columns: ColumnForm[];
  bucket: { maxSizeGiB: string; maxObjects: string };
  contract: {
    quality: QualityForm[];
    sla: SlaForm[];
    terms: { purpose: string; limitations: string; usage: string };
    /** E-mail addresses, separated by commas, spaces or new lines. */
    approvers: string;
    /** A second approval step (e-mail addresses, as above); empty = one step. */
    secondLevelApprovers: string;
    /** Purpose categories for which PII is shown unmasked. */
    piiPurposes: string[];
  };
  /** The Trino table the columns were imported from. */
  source: TableSource | null;
};
export type InputForm = { key: string; product: string; productName: string; port: string; name: string };
export type WizardForm = {
  v: 1;
  name: string;
  slug: string;
  /** The owner changed the slug by hand: stop deriving it from the name. */
  slugEdited: boolean;
  domain: string;
  team: string;
  owners: string;
  summary: string;
  description: string;
  tags: string;
  classification: string;
  outputPorts: PortForm[];
  inputs: InputForm[];
};

export type FieldErrors = Record<string, string[]>;

let counter = 0;
/** A key for list items that stays put while items are added, removed and reordered. */
export function newKey(prefix = "k"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export function emptyForm(domain = ""): WizardForm {
  return {
    v: 1,
    name: "",
    slug: "",
    slugEdited: false,
    domain,
    team: "",
    owners: "",
    summary: "",
    description: "",
    tags: "",
    classification: "internal",
    outputPorts: [],
    inputs: [],
  };
}

export function emptyPort(type: PortType | "" = "trino_table"): PortForm {
  return {
    key: newKey("p"),
    name: "",
    type,
    location: "",
    description: "",
    classification: "",
    columns: [],
    bucket: { maxSizeGiB: "", maxObjects: "" },
    contract: { quality: [], sla: [], terms: { purpose: "", limitations: "", usage: "" }, approvers: "", secondLevelApprovers: "", piiPurposes: [] },
    source: null,
  };
}

export function emptyColumn(): ColumnForm {
  return { key: newKey("c"), name: "", physicalType: "", logicalType: "string", description: "", classification: "internal", pii: false, required: false, primaryKey: false };
}

export function emptyQualityRule(): QualityForm {
  return { key: newKey("q"), metric: "nullValues", column: "", operator: "mustBe", threshold: "0", query: "", description: "" };
}

export function emptySla(): SlaForm {
  return { key: newKey("s"), property: "freshness", value: "", unit: "h", element: "" };
}

// ---------------------------------------------------------------------------------------------
// Reading drafts: anything in, a well-formed form out.

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown, max = 20_000): string => (typeof v === "string" ? v.slice(0, max) : typeof v === "number" ? String(v) : "");
const bool = (v: unknown): boolean => v === true;
const arr = (v: unknown, max: number): unknown[] => (Array.isArray(v) ? v.slice(0, max) : []);
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T | ""): T | "" =>
  typeof v === "string" && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;

export function normalizeForm(data: unknown): WizardForm {
  const d = obj(data);
  const base = emptyForm();
  return {
    v: 1,
    name: str(d.name, 500),
    slug: str(d.slug, 200),
    slugEdited: bool(d.slugEdited),
    domain: str(d.domain, 200),
    team: str(d.team, 200),
    owners: str(d.owners, 10_000),
    summary: str(d.summary, 2_000),
    description: str(d.description, 40_000),
    tags: str(d.tags, 2_000),
    classification: oneOf(d.classification, CLASSIFICATIONS, "") || base.classification,
    outputPorts: arr(d.outputPorts, 50).map((raw) => {
      const p = obj(raw);
      const c = obj(p.contract);
      const terms = obj(c.terms);
      const bucket = obj(p.bucket);
      const source = obj(p.source);
      return {
        key: str(p.key, 100) || newKey("p"),
        name: str(p.name, 200),
        type: oneOf(p.type, PORT_TYPES, ""),
        location: str(p.location, 1_000),
        description: str(p.description, 4_000),
        classification: oneOf(p.classification, CLASSIFICATIONS, ""),
        columns: arr(p.columns, 1000).map((rc) => {
          const col = obj(rc);
          return {
            key: str(col.key, 100) || newKey("c"),
            name: str(col.name, 200),
            physicalType: str(col.physicalType, 400),
            logicalType: oneOf(col.logicalType, LOGICAL_TYPES, "string"),
            description: str(col.description, 4_000),
            classification: oneOf(col.classification, CLASSIFICATIONS, "internal"),
            pii: bool(col.pii),
            required: bool(col.required),
            primaryKey: bool(col.primaryKey),
          };
        }),
        bucket: { maxSizeGiB: str(bucket.maxSizeGiB, 20), maxObjects: str(bucket.maxObjects, 20) },
        contract: {
          quality: arr(c.quality, 100).map((rq) => {
            const q = obj(rq);
            return {
              key: str(q.key, 100) || newKey("q"),
              metric: oneOf(q.metric, QUALITY_METRICS, "nullValues"),
              column: str(q.column, 200),
              operator: oneOf(q.operator, QUALITY_OPERATORS, "mustBe"),
              threshold: str(q.threshold, 40),
              query: str(q.query, 8_000),
              description: str(q.description, 1_000),
            };
          }),
          sla: arr(c.sla, 50).map((rs) => {
            const s = obj(rs);
            return {
              key: str(s.key, 100) || newKey("s"),
              property: oneOf(s.property, Object.keys(SLA_PROPERTIES), "freshness"),
              value: str(s.value, 40),
              unit: oneOf(s.unit, SLA_UNITS, "h"),
              element: str(s.element, 400),
            };
          }),
          terms: { purpose: str(terms.purpose, 4_000), limitations: str(terms.limitations, 4_000), usage: str(terms.usage, 4_000) },
          approvers: str(c.approvers, 10_000),
          secondLevelApprovers: str(c.secondLevelApprovers, 10_000),
          piiPurposes: arr(c.piiPurposes, 20).filter((x): x is string => typeof x === "string" && x in PURPOSE_CATEGORIES),
        },
        source:
          typeof source.catalog === "string" && typeof source.schema === "string" && typeof source.table === "string"
            ? { catalog: source.catalog.slice(0, 200), schema: source.schema.slice(0, 200), table: source.table.slice(0, 200) }
            : null,
      };
    }),
    inputs: arr(d.inputs, 100).map((ri) => {
      const i = obj(ri);
      return { key: str(i.key, 100) || newKey("i"), product: str(i.product, 200), productName: str(i.productName, 500), port: str(i.port, 200), name: str(i.name, 200) };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Form → spec

/** Items of a list typed as text: separated by commas, semicolons, spaces or new lines. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A number as typed; empty is "missing" and anything else unparseable is NaN (both rejected by the schema). */
function num(text: string): number | undefined {
  const t = text.trim();
  return t === "" ? undefined : Number(t);
}

const orUndefined = (s: string) => (s ? s : undefined);

export function toSpecInput(form: WizardForm): ProductSpecInput {
  return {
    name: form.name,
    slug: form.slug,
    domain: form.domain,
    team: form.team,
    owners: splitList(form.owners),
    summary: form.summary,
    description: form.description,
    tags: splitList(form.tags),
    classification: orUndefined(form.classification) as ProductSpecInput["classification"],
    outputPorts: form.outputPorts.map((p) => ({
      name: p.name,
      type: orUndefined(p.type) as PortType,
      location: p.location,
      description: p.description,
      ...(p.classification ? { classification: p.classification as ProductSpec["classification"] } : {}),
      columns: p.columns.map((c) => ({
        name: c.name,
        physicalType: c.physicalType,
        logicalType: orUndefined(c.logicalType) as ProductSpec["outputPorts"][number]["columns"][number]["logicalType"],
        description: c.description,
        classification: orUndefined(c.classification) as ProductSpec["classification"],
        pii: c.pii,
        required: c.required,
        primaryKey: c.primaryKey,
      })),
      ...(p.type === "s3_bucket"
        ? { bucket: { maxSizeGiB: num(p.bucket.maxSizeGiB) as number, ...(p.bucket.maxObjects.trim() ? { maxObjects: num(p.bucket.maxObjects) } : {}) } }
        : {}),
      contract: {
        quality: p.contract.quality.map((q) => ({
          metric: q.metric as ProductSpec["outputPorts"][number]["contract"]["quality"][number]["metric"],
          column: q.column,
          operator: q.operator as ProductSpec["outputPorts"][number]["contract"]["quality"][number]["operator"],
          threshold: num(q.threshold) as number,
          query: q.metric === "sql" ? q.query : "",
          description: q.description,
        })),
        sla: p.contract.sla.map((s) => ({
          property: s.property as ProductSpec["outputPorts"][number]["contract"]["sla"][number]["property"],
          value: num(s.value) as number,
          unit: s.unit as ProductSpec["outputPorts"][number]["contract"]["sla"][number]["unit"],
          element: s.element,
        })),
        terms: { ...p.contract.terms },
        approvers: splitList(p.contract.approvers),
        secondLevelApprovers: splitList(p.contract.secondLevelApprovers),
        piiPurposes: p.contract.piiPurposes as ProductSpec["outputPorts"][number]["contract"]["piiPurposes"],
      },
    })),
    inputs: form.inputs.map((i) => ({ product: i.product, port: i.port, ...(i.name.trim() ? { name: i.name.trim() } : {}) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors → fields and steps

/**
 * The form field an error path belongs to. Lists typed as text (owners, tags, approvers) show the
 * errors of their items on the one field.
 */
export function fieldKeyOf(path: string): string {
  const m = /^(owners|tags)(\.\d+)?$/.exec(path) ?? /^(outputPorts\.\d+\.contract\.(?:approvers|secondLevelApprovers))(\.\d+)?$/.exec(path);
  return m ? m[1]! : path;
}

/** DOM id of the element showing a field (or a list) of the form. */
export function fieldId(key: string): string {
  return `wiz-${key.replace(/[^A-Za-z0-9_-]+/g, "-")}`;
}

/** The wizard step a field of the spec is edited on. */
export function stepOfPath(path: string): WizardStepKey {
  if (/^outputPorts\.\d+\.(columns\.\d+|contract)(\.|$)/.test(path)) return "contracts";
  if (/^outputPorts(\.|$)/.test(path)) return "ports";
  if (/^inputs(\.|$)/.test(path)) return "inputs";
  return "basics";
}

export function stepIndex(key: WizardStepKey): number {
  return WIZARD_STEPS.findIndex((s) => s.key === key);
}

export function errorsOf(error: z.ZodError, prefix: (string | number)[] = []): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path].map(String).join(".") || "_";
    const key = fieldKeyOf(path);
    const list = (out[key] ??= []);
    const message = key !== path && /\.\d+$/.test(path) ? `${itemLabel(path)}: ${issue.message}` : issue.message;
    if (!list.includes(message)) list.push(message);
  }
  return out;
}

/** "owners.2" → "Entry 3". */
function itemLabel(path: string): string {
  const n = Number(/\.(\d+)$/.exec(path)?.[1] ?? 0);
  return `Entry ${n + 1}`;
}

/** Server field errors (dotted spec paths) regrouped by form field. */
export function regroupErrors(fieldErrors: Record<string, string[]> | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(fieldErrors ?? {})) {
    const key = fieldKeyOf(path);
    const list = (out[key] ??= []);
    for (const m of messages) {
      const message = key !== path && /\.\d+$/.test(path) ? `${itemLabel(path)}: ${m}` : m;
      if (!list.includes(message)) list.push(message);
    }
  }
  return out;
}

/** Validates one step with the same schemas as the server; returns its field errors (empty = valid). */
export function validateStep(step: WizardStepKey, form: WizardForm): FieldErrors {
  const spec = toSpecInput(form);
  if (step === "basics") {
    const r = basicsSpec.safeParse(spec);
    return r.success ? {} : errorsOf(r.error);
  }
  if (step === "ports" || step === "contracts") {
    const r = portsStep.safeParse({ outputPorts: spec.outputPorts });
    if (r.success) return {};
    const all = errorsOf(r.error);
    return Object.fromEntries(Object.entries(all).filter(([k]) => stepOfPath(k) === step || (k === "_" && step === "ports")));
  }
  if (step === "inputs") {
    const r = inputsStep.safeParse({ inputs: spec.inputs });
    return r.success ? {} : errorsOf(r.error);
  }
  return {};
}

/** The whole product, as the server will validate it. */
export function validateAll(form: WizardForm): { spec: ProductSpec; errors: null } | { spec: null; errors: FieldErrors } {
  const r = productSpec.safeParse(toSpecInput(form));
  return r.success ? { spec: r.data, errors: null } : { spec: null, errors: errorsOf(r.error) };
}

// ---------------------------------------------------------------------------------------------
// Edits

/** Name changes derive the slug until the owner edits the slug. */
export function withName(form: WizardForm, name: string): WizardForm {
  return { ...form, name, slug: form.slugEdited ? form.slug : slugify(name) };
}

export type TrinoColumnDto = { name: string; type: string; nullable: boolean; comment: string; position: number };

/**
 * Columns imported from Trino: physical type from Trino, logical type derived, required when not
 * nullable, description from the comment. What the owner already set on a column of the same name
 * (description, classification, PII, key, a changed logical type) is kept.
 */
export function importColumns(existing: ColumnForm[], columns: TrinoColumnDto[]): ColumnForm[] {
  const byName = new Map(existing.map((c) => [c.name.toLowerCase(), c]));
  return [...columns]
    .sort((a, b) => a.position - b.position)
    .map((t) => {
      const old = byName.get(t.name.toLowerCase());
      const derived = logicalTypeOf(t.type);
      return {
        key: old?.key ?? newKey("c"),
        name: t.name,
        physicalType: t.type,
        logicalType: old && old.physicalType === t.type ? old.logicalType : derived,
        description: old?.description.trim() ? old.description : t.comment,
        classification: old?.classification ?? "internal",
        pii: old?.pii ?? false,
        required: !t.nullable,
        primaryKey: old?.primaryKey ?? false,
      };
    });
}
