import { z } from "zod";
import { productSpec } from "@/lib/products/spec";
import { createTokenInput } from "@/lib/tokens/schemas";
import { TOKEN_SCOPE_NAMES } from "@/lib/tokens/scopes";
import { LINEAGE_SCHEMAS } from "@/lib/openapi/lineage";
import type { JsonSchema } from "@/lib/openapi/types";

/**
 * The shapes the API exchanges, as JSON Schema. Request bodies that the server validates with zod
 * are generated from those very schemas, so the description cannot drift from the validation.
 */

/** JSON Schema of what a zod schema accepts (its input side: defaults are optional). */
export function fromZod(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  return rest;
}

export const ref = (name: SchemaName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const str = (description?: string, extra: JsonSchema = {}): JsonSchema => ({ type: "string", ...(description ? { description } : {}), ...extra });
const dateTime = (description?: string): JsonSchema => str(description, { format: "date-time" });
const nullable = (s: JsonSchema): JsonSchema => ({ oneOf: [s, { type: "null" }] });
const arrayOf = (items: JsonSchema, description?: string): JsonSchema => ({ type: "array", items, ...(description ? { description } : {}) });
const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties), extra: JsonSchema = {}): JsonSchema => ({
  type: "object",
  properties,
  required,
  ...extra,
});

const status = str("Lifecycle status", { enum: ["draft", "published", "deprecated", "retired"] });
const classification = str("Classification", { enum: ["public", "internal", "confidential", "restricted"] });
const named = obj({ slug: str(), name: str() });
const person = obj({ name: str(), email: str(undefined, { format: "email" }) });

export const schemas = {
  ...LINEAGE_SCHEMAS,
  Error: obj(
    {
      error: str("What went wrong, written for people."),
      code: str("Machine-readable reason", {
        examples: ["invalid_input", "invalid_json", "unauthenticated", "invalid_token", "insufficient_scope", "forbidden", "not_found", "conflict", "breaking_change", "internal"],
      }),
      fieldErrors: {
        type: "object",
        description: 'Messages per input field, keyed by dotted path ("outputPorts.1.columns.0.name").',
        additionalProperties: arrayOf(str()),
      },
    },
    ["error", "code"],
  ),
  Me: obj({
    id: str(undefined, { format: "uuid" }),
    name: str(),
    email: str(undefined, { format: "email" }),
    role: str("The most senior role, for display", { examples: ["Product owner"] }),
    globalRoles: arrayOf(str()),
    domains: arrayOf(obj({ domainId: str(undefined, { format: "uuid" }), role: str(undefined, { enum: ["steward", "member"] }) })),
  }),
  ProductListItem: obj({
    slug: str(),
    name: str(),
    summary: str(),
    status,
    version: str("Current version (semver)"),
    tags: arrayOf(str()),
    classification,
    updatedAt: dateTime(),
    domain: named,
    ownerTeam: nullable(named),
    owners: arrayOf(person),
    portCount: { type: "integer" },
  }),
  Field: obj(
    {
      name: str(),
      type: str("Physical type, e.g. bigint or varchar"),
      description: str(),
      classification: nullable(classification),
      pii: { type: "boolean" },
      nullable: { type: "boolean" },
      primaryKey: { type: "boolean" },
      position: { type: "integer" },
    },
    ["name", "type"],
  ),
  Port: obj({
    name: str(),
    type: str("Port type", { enum: ["trino_table", "s3_bucket", "api"] }),
    location: str("catalog.schema.table, s3://bucket/prefix or a URL"),
    description: str(),
    classification,
    fields: arrayOf({ $ref: "#/components/schemas/Field" }),
  }),
  LinkedProduct: {
    description: "A product on the other end of a dependency; restricted (without its name) when you may not read it.",
    oneOf: [
      obj({ restricted: { const: false }, slug: str(), name: str(), status, port: str(), inputName: str() }),
      obj({ restricted: { const: true }, port: { type: "null" }, inputName: str() }),
    ],
  },
  ProductDetail: obj({
    slug: str(),
    name: str(),
    summary: str(),
    description: str("Markdown"),
    status,
    version: str(),
    tags: arrayOf(str()),
    classification,
    createdAt: dateTime(),
    updatedAt: dateTime(),
    publishedAt: nullable(dateTime()),
    domain: named,
    ownerTeam: nullable(named),
    owners: arrayOf(person),
    ports: arrayOf({ $ref: "#/components/schemas/Port" }),
    upstream: arrayOf({ $ref: "#/components/schemas/LinkedProduct" }),
    downstream: arrayOf({ $ref: "#/components/schemas/LinkedProduct" }),
    permissions: obj({ update: { type: "boolean" }, publish: { type: "boolean" }, provision: { type: "boolean" }, requestAccess: { type: "boolean" } }),
  }),
  ProductSpec: {
    description: "A data product as its owner describes it: what the wizard edits and what a descriptor import produces.",
    ...fromZod(productSpec),
  },
  Change: obj(
    {
      level: str(undefined, { enum: ["major", "minor", "patch"] }),
      path: str("Where the change is, e.g. outputPorts.orders.columns.amount"),
      port: str(),
      message: str(),
    },
    ["level", "path", "message"],
  ),
  Affected: obj({
    consumers: arrayOf({ type: "object", description: "A consumer with active access to a port that changes in a breaking way." }),
    downstream: arrayOf({ type: "object", description: "A product that reads a port that changes in a breaking way." }),
  }),
  ChangePlan: obj(
    {
      exists: { type: "boolean", description: "False when the slug is new: the product would be created." },
      slug: str(),
      currentVersion: nullable(str()),
      status: nullable(status),
      level: str("How big the change is", { enum: ["initial", "major", "minor", "patch", "none"] }),
      changes: arrayOf({ $ref: "#/components/schemas/Change" }),
      suggestedVersion: str(),
      affected: { $ref: "#/components/schemas/Affected" },
      checks: arrayOf(obj({ id: str(), severity: str(undefined, { enum: ["error", "warning"] }), path: str(), message: str(), fix: str() })),
    },
    ["exists", "slug", "level", "changes", "suggestedVersion", "affected"],
  ),
  SaveResult: obj(
    {
      outcome: str("For descriptor imports that changed nothing: unchanged", { enum: ["unchanged"] }),
      warnings: arrayOf({ $ref: "#/components/schemas/DescriptorWarning" }),
      id: str(undefined, { format: "uuid" }),
      slug: str(),
      version: str(),
      status,
      changeLevel: str(undefined, { enum: ["initial", "major", "minor", "patch", "none"] }),
      created: { type: "boolean" },
      changes: arrayOf({ $ref: "#/components/schemas/Change" }),
      provisioningJobId: nullable(str()),
    },
    ["slug", "version", "created"],
  ),
  OdpsDocument: {
    type: "object",
    description: "A Bitol Open Data Product Standard (ODPS) v1 document describing the product.",
    required: ["apiVersion", "kind", "id"],
    properties: { apiVersion: str(), kind: { const: "DataProduct" }, id: str(), name: str(), status: str(), version: str() },
  },
  OdcsDocument: {
    type: "object",
    description: "A Bitol Open Data Contract Standard (ODCS) v3 document: the contract of one output port.",
    required: ["apiVersion", "kind", "id"],
    properties: { apiVersion: str(), kind: { const: "DataContract" }, id: str(), version: str(), schema: arrayOf({ type: "object" }) },
  },
  DescriptorBundle: obj(
    {
      product: { $ref: "#/components/schemas/OdpsDocument" },
      contracts: arrayOf({ $ref: "#/components/schemas/OdcsDocument" }, "One ODCS contract per output port that has one."),
    },
    ["product"],
  ),
  DescriptorWarning: obj({ path: str("Where in the document"), message: str(), line: { type: "integer" } }, ["path", "message"]),
  DescriptorPreview: obj(
    {
      dryRun: { const: true },
      slug: str(),
      exists: { type: "boolean" },
      plan: { $ref: "#/components/schemas/ChangePlan" },
      warnings: arrayOf({ $ref: "#/components/schemas/DescriptorWarning" }, "What Canopy does not model and keeps aside, or reads differently"),
      spec: { $ref: "#/components/schemas/ProductSpec" },
      publish: { type: "boolean", description: "Whether saving would publish a new product" },
      version: str("The version the change would get"),
      unchanged: { type: "boolean" },
    },
    ["slug", "exists", "plan", "warnings", "version", "unchanged"],
  ),
  BreakingChange: obj(
    {
      error: str(),
      code: { const: "breaking_change" },
      requiredVersion: str("The lowest version this change may be published as"),
      changes: arrayOf({ $ref: "#/components/schemas/Change" }),
      affected: { $ref: "#/components/schemas/Affected" },
      warnings: arrayOf({ $ref: "#/components/schemas/DescriptorWarning" }),
      hint: str(),
    },
    ["error", "code", "requiredVersion", "changes", "affected"],
  ),
  VersionItem: obj({
    version: str(),
    changeLevel: str(undefined, { enum: ["initial", "major", "minor", "patch", "none"] }),
    changelog: str(),
    createdAt: dateTime(),
    createdBy: nullable(str("Who published it (\"system\" for imports by the platform)")),
  }),
  VersionDetail: obj({
    version: str(),
    changeLevel: str(),
    changelog: str(),
    createdAt: dateTime(),
    spec: { $ref: "#/components/schemas/ProductSpec" },
    descriptor: { $ref: "#/components/schemas/OdpsDocument" },
    contracts: arrayOf(obj({ port: str(), contractId: str(), odcs: { $ref: "#/components/schemas/OdcsDocument" } })),
  }),
  VersionDiff: obj({
    from: str(),
    to: str(),
    level: str(undefined, { enum: ["major", "minor", "patch", "none"] }),
    changes: arrayOf({ $ref: "#/components/schemas/Change" }),
    documents: arrayOf(
      obj({
        title: str("e.g. Product descriptor (ODPS) or Contract of orders (ODCS)"),
        lines: arrayOf({
          oneOf: [
            obj({ kind: str(undefined, { enum: ["same", "added", "removed"] }), text: str() }),
            obj({ kind: { const: "fold" }, count: { type: "integer", description: "Unchanged lines left out" } }),
          ],
        }),
      }),
    ),
  }),
  PortPreview: obj({
    columns: arrayOf(obj({ name: str(), type: str() })),
    rows: arrayOf(arrayOf({}), "Rows as arrays in column order; masked columns hold '***' or null."),
    truncated: { type: "boolean", description: "More rows existed than the limit allowed." },
    queryId: nullable(str()),
    masked: arrayOf(str(), "Columns masked for you by the access rules."),
    mode: str(undefined, { enum: ["connected", "embedded"] }),
  }),
  Provisioning: obj({
    resources: arrayOf(
      obj(
        {
          system: str(),
          kind: str(),
          namespace: str(),
          name: str(),
          state: str(undefined, { enum: ["planned", "applied", "drifted", "missing"] }),
          details: {},
          appliedAt: nullable(dateTime()),
          checkedAt: nullable(dateTime()),
          driftReason: nullable(str()),
        },
        ["kind", "name", "state"],
      ),
    ),
    jobs: arrayOf(obj({ id: str(), kind: str(), status: str(), attempts: { type: "integer" }, maxAttempts: { type: "integer" }, lastError: nullable(str()), createdAt: dateTime() }, ["id", "kind", "status"])),
  }),
  AuditEvent: obj({
    id: str("Event id; pass the last one as `before` for the next page"),
    at: dateTime(),
    actor: str('Who did it: an e-mail, "system", or "e-mail (token name)" for API token requests'),
    action: str(undefined, { examples: ["product.published", "api_token.created"] }),
    targetType: str(),
    targetId: str(),
    before: {},
    after: {},
    requestId: nullable(str()),
  }),
  AuditPage: obj({ events: arrayOf({ $ref: "#/components/schemas/AuditEvent" }), nextBefore: nullable(str("Pass as `before` for the next page")) }),
  TrinoRules: {
    type: "object",
    description: "Trino file-based access-control rules (catalogs, schemas, tables with column masks and row filters).",
    required: ["catalogs", "schemas", "tables"],
    properties: { catalogs: arrayOf({ type: "object" }), schemas: arrayOf({ type: "object" }), tables: arrayOf({ type: "object" }) },
  },
  TrinoTable: obj({
    catalog: str(),
    schema: str(),
    table: str(),
    columns: arrayOf(obj({ name: str(), type: str("Trino type, e.g. decimal(12,2)"), nullable: { type: "boolean" }, comment: str(), position: { type: "integer" } })),
  }),
  Token: obj({
    id: str(undefined, { format: "uuid" }),
    name: str(),
    kind: str(undefined, { enum: ["personal", "service"] }),
    prefix: str("The first 8 characters after cnp_, to tell tokens apart"),
    scopes: arrayOf(str(undefined, { enum: TOKEN_SCOPE_NAMES })),
    status: str(undefined, { enum: ["active", "expired", "revoked"] }),
    createdAt: dateTime(),
    expiresAt: dateTime(),
    lastUsedAt: nullable(dateTime("Updated at most once a minute")),
    revokedAt: nullable(dateTime()),
    owner: { ...person, description: "Only in the admins' list of everyone's tokens" },
  }, ["id", "name", "kind", "prefix", "scopes", "status", "createdAt", "expiresAt", "lastUsedAt", "revokedAt"]),
  TokenCreate: fromZod(createTokenInput),
  CreatedToken: obj({
    token: { $ref: "#/components/schemas/Token" },
    secret: str("The token (cnp_…). Shown in this response only; store it in a secret store.", { pattern: "^cnp_[A-Za-z0-9_-]{43}$" }),
  }),
} satisfies Record<string, JsonSchema>;

export type SchemaName = keyof typeof schemas;
