import { z } from "zod";

/**
 * A data product as its owner describes it: what the onboarding wizard edits, what a descriptor
 * import produces, what every version snapshots and what the change classifier compares.
 * Shared by client and server (no server imports here): the same schema validates each wizard
 * step in the browser and the whole product on the server.
 */

export const CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export const PORT_TYPES = ["trino_table", "s3_bucket", "api"] as const;
export const LOGICAL_TYPES = ["string", "number", "integer", "boolean", "date", "timestamp", "time", "object", "array"] as const;
export const QUALITY_METRICS = ["nullValues", "duplicateValues", "rowCount", "sql"] as const;
export const QUALITY_OPERATORS = [
  "mustBe",
  "mustNotBe",
  "mustBeGreaterThan",
  "mustBeGreaterOrEqualTo",
  "mustBeLessThan",
  "mustBeLessOrEqualTo",
] as const;
/** SLA properties Canopy understands, and which direction is better for consumers. */
export const SLA_PROPERTIES = {
  freshness: "lower",
  latency: "lower",
  frequency: "lower",
  availability: "higher",
  retention: "higher",
} as const;
export type SlaProperty = keyof typeof SLA_PROPERTIES;
export const SLA_UNITS = ["m", "h", "d", "w", "y", "%"] as const;

const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const NAME_RE = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
const COLUMN_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const TRINO_LOCATION_RE = /^[a-z0-9_][a-z0-9_-]*\.[a-z0-9_][a-z0-9_-]*\.[a-z0-9_][a-z0-9_$-]*$/;
const S3_LOCATION_RE = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()\/-]*)?$/;

/** A slug from a display name: lower case, ASCII, hyphens, at most 63 characters. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

const text = (max: number, label: string) => z.string().trim().max(max, `${label} must be at most ${max} characters`);

/** Slugs taken by pages under /products. */
export const RESERVED_SLUGS = ["new", "drafts", "import"] as const;

export const slugSchema = z
  .string()
  .trim()
  .min(1, "Enter a slug")
  .max(63, "A slug is at most 63 characters")
  .regex(SLUG_RE, "Use lower-case letters, digits and hyphens, starting and ending with a letter or digit");

/** The slug of a new product: a slug that is not one of the reserved page names. */
export const productSlugSchema = slugSchema.refine((s) => !(RESERVED_SLUGS as readonly string[]).includes(s), {
  message: `"new", "drafts" and "import" are reserved; choose another slug`,
});

export const semverSchema = z
  .string()
  .trim()
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, "Use a version like 1.2.3");

export const columnSpec = z.object({
  name: z.string().trim().regex(COLUMN_RE, "Column names start with a letter or _ and use letters, digits and _"),
  /** As the serving system reports it: varchar, decimal(12,2), timestamp(6) with time zone… */
  physicalType: z.string().trim().min(1, "Enter the column's type").max(200, "Type is too long"),
  logicalType: z.enum(LOGICAL_TYPES, { error: "Choose a logical type" }),
  description: text(2000, "Description").default(""),
  classification: z.enum(CLASSIFICATIONS, { error: "Choose a classification" }).default("internal"),
  pii: z.boolean().default(false),
  /** Required = never null. */
  required: z.boolean().default(false),
  primaryKey: z.boolean().default(false),
});
export type ColumnSpec = z.infer<typeof columnSpec>;

export const qualityRule = z
  .object({
    metric: z.enum(QUALITY_METRICS, { error: "Choose a check" }),
    /** The column a null/duplicate check applies to; empty = the whole table. */
    column: z.string().trim().max(128).default(""),
    operator: z.enum(QUALITY_OPERATORS, { error: "Choose a comparison" }).default("mustBe"),
    threshold: z.number({ error: "Enter a number" }).finite().min(0, "Thresholds are not negative"),
    /** For "sql": a query returning one number, with {object} standing for the table. */
    query: text(4000, "Query").default(""),
    description: text(500, "Description").default(""),
  })
  .superRefine((r, ctx) => {
    if (r.metric === "sql" && !r.query) ctx.addIssue({ code: "custom", path: ["query"], message: "Enter the SQL query that returns the measured number" });
    if (r.metric !== "sql" && r.query) ctx.addIssue({ code: "custom", path: ["query"], message: "Only SQL checks take a query" });
  });
export type QualityRule = z.infer<typeof qualityRule>;

export const slaSpec = z.object({
  property: z.enum(Object.keys(SLA_PROPERTIES) as [SlaProperty, ...SlaProperty[]], { error: "Choose an SLA property" }),
  value: z.number({ error: "Enter a number" }).finite().min(0, "SLA values are not negative"),
  unit: z.enum(SLA_UNITS, { error: "Choose a unit" }),
  /** The column the SLA is measured on, if any (e.g. a timestamp for freshness). */
  element: z.string().trim().max(200).default(""),
});
export type SlaSpec = z.infer<typeof slaSpec>;

export const termsSpec = z.object({
  purpose: text(2000, "Purpose").default(""),
  limitations: text(2000, "Limitations").default(""),
  usage: text(2000, "Usage").default(""),
});

/** The purpose taxonomy for access requests. */
export const PURPOSE_CATEGORIES = {
  analytics: "Analytics and dashboards",
  reporting: "Regulatory or financial reporting",
  "data-science": "Data science and model training",
  operations: "Operational processes",
  "customer-service": "Customer service",
  "fraud-prevention": "Fraud prevention and security",
} as const;
export type PurposeCategory = keyof typeof PURPOSE_CATEGORIES;
const purposeCategories = Object.keys(PURPOSE_CATEGORIES) as [PurposeCategory, ...PurposeCategory[]];

export const contractSpec = z.object({
  quality: z.array(qualityRule).max(100, "At most 100 quality rules").default([]),
  sla: z.array(slaSpec).max(50, "At most 50 SLA properties").default([]),
  terms: termsSpec.default({ purpose: "", limitations: "", usage: "" }),
  /** E-mail addresses of the people who approve access to this port (first step); none = the product's owners. */
  approvers: z.array(z.email("Enter an e-mail address").max(254)).max(20, "At most 20 approvers").default([]),
  /** A second approval step, after the first, when set. */
  secondLevelApprovers: z.array(z.email("Enter an e-mail address").max(254)).max(20, "At most 20 approvers").default([]),
  /** Purpose categories for which PII columns are shown unmasked; for any other purpose they stay masked. */
  piiPurposes: z.array(z.enum(purposeCategories, { error: "Not a purpose category" })).default([]),
});
export type ContractSpec = z.infer<typeof contractSpec>;

export const bucketSpec = z.object({
  /** Maximum size, in GiB (becomes the ObjectBucketClaim's maxSize). */
  maxSizeGiB: z.number({ error: "Enter a size in GiB" }).int("Whole GiB only").min(1, "At least 1 GiB").max(100_000, "At most 100000 GiB"),
  maxObjects: z.number({ error: "Enter a number of objects" }).int().min(1).max(1_000_000_000).optional(),
});

export const portSpec = z
  .object({
    name: z.string().trim().regex(NAME_RE, "Port names use lower-case letters, digits, _ and -"),
    type: z.enum(PORT_TYPES, { error: "Choose a port type" }),
    /** trino_table: catalog.schema.table; s3_bucket: s3://bucket/prefix; api: an https URL. */
    location: z.string().trim().min(1, "Enter where the data is served").max(500),
    description: text(2000, "Description").default(""),
    classification: z.enum(CLASSIFICATIONS).optional(),
    /** Stable contract id; assigned by Canopy when absent. */
    contractId: z.string().trim().max(200).optional(),
    columns: z.array(columnSpec).max(1000, "At most 1000 columns").default([]),
    bucket: bucketSpec.optional(),
    contract: contractSpec.default({
      quality: [],
      sla: [],
      terms: { purpose: "", limitations: "", usage: "" },
      approvers: [],
      secondLevelApprovers: [],
      piiPurposes: [],
    }),
  })
  .superRefine((p, ctx) => {
    if (p.type === "trino_table" && !TRINO_LOCATION_RE.test(p.location))
      ctx.addIssue({ code: "custom", path: ["location"], message: "A table is catalog.schema.table (lower case)" });
    if (p.type === "s3_bucket" && !S3_LOCATION_RE.test(p.location))
      ctx.addIssue({ code: "custom", path: ["location"], message: "A bucket location is s3://bucket-name/optional/prefix" });
    if (p.type === "api" && !/^https?:\/\/[^\s]+$/.test(p.location))
      ctx.addIssue({ code: "custom", path: ["location"], message: "An API location is an http(s) URL" });
    if (p.type === "s3_bucket" && !p.bucket) ctx.addIssue({ code: "custom", path: ["bucket", "maxSizeGiB"], message: "Enter the bucket's size limit" });
    const seen = new Set<string>();
    p.columns.forEach((c, i) => {
      const key = c.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["columns", i, "name"], message: `Column "${c.name}" appears twice` });
      seen.add(key);
    });
    const names = new Set(p.columns.map((c) => c.name));
    p.contract.quality.forEach((q, i) => {
      if (q.column && !names.has(q.column))
        ctx.addIssue({ code: "custom", path: ["contract", "quality", i, "column"], message: `No column "${q.column}" in this port` });
    });
  });
export type PortSpec = z.infer<typeof portSpec>;

export const inputSpec = z.object({
  /** The upstream product's slug and the output port read. */
  product: slugSchema,
  port: z.string().trim().min(1).max(63),
  /** Name of this product's input port; defaults to the upstream product slug. */
  name: z.string().trim().regex(NAME_RE, "Input names use lower-case letters, digits, _ and -").optional(),
});
export type InputSpec = z.infer<typeof inputSpec>;

/** Step 1 of the wizard. */
export const basicsSpec = z.object({
  name: z.string().trim().min(3, "A name has at least 3 characters").max(120, "A name is at most 120 characters"),
  slug: productSlugSchema,
  domain: slugSchema,
  /** Owning team slug, if a team owns it. */
  team: z.string().trim().max(63).default(""),
  /** E-mail addresses of individual owners; the creator is always added. */
  owners: z.array(z.email("Enter an e-mail address").max(254)).max(20, "At most 20 owners").default([]),
  summary: text(300, "Summary").min(10, "Write a one-line summary (at least 10 characters)"),
  description: text(20_000, "Description").default(""),
  tags: z
    .array(z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "Tags use lower-case letters, digits and -"))
    .max(20, "At most 20 tags")
    .default([]),
  classification: z.enum(CLASSIFICATIONS, { error: "Choose a classification" }),
});
export type BasicsSpec = z.infer<typeof basicsSpec>;

export const portsStep = z.object({
  outputPorts: z
    .array(portSpec)
    .min(1, "Add at least one output port")
    .max(50, "At most 50 output ports")
    .superRefine((ports, ctx) => {
      const seen = new Set<string>();
      ports.forEach((p, i) => {
        if (seen.has(p.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `Port "${p.name}" appears twice` });
        seen.add(p.name);
      });
    }),
});

export const inputsStep = z.object({
  inputs: z.array(inputSpec).max(100, "At most 100 inputs").default([]),
});

export const productSpec = basicsSpec.extend(portsStep.shape).extend(inputsStep.shape);
export type ProductSpec = z.infer<typeof productSpec>;
export type ProductSpecInput = z.input<typeof productSpec>;

/** Bumps a semver by a change level. */
export function bumpVersion(version: string, level: "major" | "minor" | "patch"): string {
  const [maj, min, pat] = version.split(".").map((n) => Number.parseInt(n, 10));
  if (level === "major") return `${(maj ?? 0) + 1}.0.0`;
  if (level === "minor") return `${maj ?? 0}.${(min ?? 0) + 1}.0`;
  return `${maj ?? 0}.${min ?? 0}.${(pat ?? 0) + 1}`;
}

/** Compares two semvers: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The ODCS logical type of a column from its physical type as Trino reports it (`varchar(20)`,
 * `decimal(12,2)`, `timestamp(6) with time zone`, `array(row(a integer))`…). Hive/Spark spellings
 * (`string`, `int`, `struct<…>`) are understood too. Anything unknown is a string: it can always be
 * read as text, and the owner can correct it.
 */
export function logicalTypeOf(physicalType: string): (typeof LOGICAL_TYPES)[number] {
  const t = physicalType.trim().toLowerCase().replace(/\s+/g, " ");
  const base = /^[a-z_ ]+/.exec(t)?.[0]?.trim() ?? "";
  if (base === "boolean" || base === "bool") return "boolean";
  if (["tinyint", "smallint", "integer", "int", "bigint", "long", "short", "byte"].includes(base)) return "integer";
  if (["real", "double", "double precision", "float", "decimal", "numeric", "number"].includes(base)) return "number";
  if (base === "date") return "date";
  if (base.startsWith("timestamp") || base === "datetime") return "timestamp";
  if (base === "time" || base.startsWith("time ") || base === "timetz") return "time";
  if (base === "array" || base === "list") return "array";
  if (base === "map" || base === "row" || base === "struct" || base === "json" || base === "object") return "object";
  return "string";
}
