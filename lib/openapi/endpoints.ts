import {
  ACCESS_DURATIONS,
  decideExtensionInput,
  decideInput,
  decideManyInput,
  extensionInput,
  inboxFilterInput,
  requestAccessInput,
  revokeInput,
} from "@/lib/access/schemas";
import { auditFilterSchema } from "@/lib/audit/queries";
import { scorecardFilterSchema } from "@/lib/governance/scorecards";
import { productFilterSchema } from "@/lib/catalog/queries";
import { LINEAGE_ENDPOINTS } from "@/lib/openapi/lineage";
import { fromZod, ref } from "@/lib/openapi/schemas";
import type { HttpMethod, JsonSchema, MediaType, Parameter, RequestBody } from "@/lib/openapi/types";
import type { z } from "zod";
import type { Action } from "@/lib/auth/permissions";

/**
 * Every endpoint of the REST API, described once. The OpenAPI document (/api/v1/openapi.json) and
 * the API page (/api-docs) are both built from this list; a test keeps it in step with the route
 * files under app/api/v1.
 */

export const TAGS = {
  Identity: "Who the API sees you as.",
  Catalogue: "Data products as you may see them: list, details, data previews.",
  Search: "Full-text search over products, ports, columns, domains, owners and tags, with facets and typeahead.",
  Products: "Creating and changing data products.",
  Descriptors: "Data as code: a product's ODPS descriptor and its ports' ODCS contracts, exported and imported.",
  Versions: "Every published change is a version with a changelog and the full descriptor snapshot.",
  Provisioning: "The infrastructure Canopy provisions for a product.",
  Trino: "Schema browsing through Trino, always as you (for importing a table's columns).",
  "Access control": "What Canopy tells the systems that enforce access.",
  "Access requests": "Requesting access to data products' output ports, deciding on requests (one or two approval steps), and managing the grants: cancel, revoke, extend, retry.",
  Audit: "The audit trail.",
  Governance: "Policy results and compliance scorecards; evaluating a product spec against the policies in force.",
  Lineage: "Product, table and column lineage in one graph, impact analysis, manual edges, dbt and OpenMetadata imports, and deprecation.",
  Tokens: "API tokens for scripts and CI pipelines.",
  Notifications: "Your in-app notifications (the bell): access requests, decisions, expiry reminders.",
  Meta: "This description of the API.",
} as const;

export type TagName = keyof typeof TAGS;

export type Auth =
  | { kind: "public" }
  /**
   * A signed-in session, or an API token whose scopes cover `actions` (the permission-module
   * actions the handler authorizes; none: any valid token). `sessionOnly`: tokens are refused.
   */
  | { kind: "user"; actions: readonly Action[]; sessionOnly?: boolean }
  /** Trino's own bearer token (TRINO_RULES_TOKEN), or a platform admin's session. */
  | { kind: "trino-rules" };

export type ResponseSpec = string | { description: string; content?: Record<string, MediaType> };

export type EndpointSpec = {
  method: HttpMethod;
  path: `/api/v1/${string}`;
  operationId: string;
  tag: TagName;
  summary: string;
  description?: string;
  auth: Auth;
  /** Every `{name}` in the path, described. */
  pathParams?: Record<string, string>;
  query?: Parameter[];
  body?: RequestBody;
  responses: Record<number, ResponseSpec>;
};

const json = (schema: JsonSchema, example?: unknown): Record<string, MediaType> => ({ "application/json": { schema, ...(example !== undefined ? { example } : {}) } });
const yamlText: MediaType = { schema: { type: "string", description: "YAML text" } };

function q(name: string, description: string, schema: JsonSchema = { type: "string" }, example?: unknown): Parameter {
  return { name, in: "query", description, schema, ...(example !== undefined ? { example } : {}) };
}

/** Query parameters taken from the zod schema the handler validates with; each one must be described. */
function queryFrom<S extends z.ZodType>(schema: S, descriptions: { [K in keyof z.input<S> & string]-?: string }): Parameter[] {
  const properties = (fromZod(schema).properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(properties).map(([name, s]) => q(name, (descriptions as Record<string, string>)[name] ?? name, s));
}

const obj = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: "object", required: Object.keys(properties), properties });
const names: JsonSchema = { type: "array", items: { type: "string" } };
const bool = (name: string, description: string) => q(name, description, { type: "boolean", default: false });
const format = q("format", "yaml or json, instead of the Accept header", { type: "string", enum: ["yaml", "json"] });
const slug = { slug: "The product's slug, e.g. sales-orders" };
const port = { port: "The output port's name, e.g. orders" };

// Access requests: the shapes of lib/access/queries.ts (AccessRequestItem, AccessRequestDetail).
const accessId = { id: "The access request's id (a UUID)" };
const isoOrNull: JsonSchema = { oneOf: [{ type: "string", format: "date-time" }, { type: "null" }] };
const accessStatus: JsonSchema = { type: "string", enum: ["pending", "approved", "rejected", "cancelled", "provisioning", "active", "expired", "revoked", "failed"] };
const durationDays: JsonSchema = { type: "integer", enum: [...ACCESS_DURATIONS], description: "How long access lasts, in days" };
const accessActions: JsonSchema = {
  type: "object",
  description: "What you may do with the request now",
  properties: Object.fromEntries(["approve", "reject", "cancel", "revoke", "extend", "decideExtension", "retry"].map((k) => [k, { type: "boolean" }])),
};
const accessRequestItem: JsonSchema = {
  type: "object",
  required: ["id", "status", "revision", "purpose", "principal", "port", "product", "requester", "createdAt", "level", "levels", "actions"],
  properties: {
    id: { type: "string", format: "uuid" },
    status: accessStatus,
    revision: { type: "integer", description: "Pass back as `revision` when deciding: a decision on a request that changed since is refused with 409" },
    purpose: { type: "string" },
    purposeCategory: { oneOf: [{ type: "string" }, { type: "null" }] },
    durationDays: { type: "integer" },
    principal: obj({ type: { type: "string", enum: ["user", "group", "product"] }, ref: { type: "string" }, label: { type: "string" } }),
    workload: { oneOf: [{ type: "string" }, { type: "null" }] },
    level: { type: "integer", description: "The approval step waiting for a decision" },
    levels: { type: "integer", description: "How many approval steps the request needs (1 or 2)" },
    extensionDays: { oneOf: [{ type: "integer" }, { type: "null" }], description: "An extension asked for and not yet decided" },
    piiUnmasked: { type: "boolean", description: "The grant shows personal data unmasked (its purpose is one the contract allows it for)" },
    createdAt: { type: "string", format: "date-time" },
    decidedAt: isoOrNull,
    expiresAt: isoOrNull,
    requestedUntil: isoOrNull,
    requester: obj({ id: { type: "string", format: "uuid" }, name: { type: "string" }, email: { type: "string" } }),
    port: { type: "string", description: "The output port's name" },
    portType: { type: "string" },
    classification: { type: "string", description: "The port's classification (its product's when the port has none)" },
    columns: { type: "object", description: "How many of the port's columns have each classification, and how many are PII" },
    product: obj({ slug: { type: "string" }, name: { type: "string" }, domain: obj({ slug: { type: "string" }, name: { type: "string" } }) }),
    existingAccess: { type: "array", description: "The requester's other live grants on this product", items: { type: "object" } },
    actions: accessActions,
  },
};
const accessRequestDetail: JsonSchema = {
  allOf: [
    accessRequestItem,
    {
      type: "object",
      properties: {
        portDetail: { type: "object", description: "The port and its columns, with which would be masked for this request" },
        terms: obj({ purpose: { type: "string" }, limitations: { type: "string" }, usage: { type: "string" } }),
        approvers: { type: "object", description: "Who decides the current step, and the named approvers of the next" },
        approvals: { type: "array", items: { type: "object" }, description: "Decisions on each step (level 0: an extension)" },
        timeline: {
          type: "array",
          description: "Every transition, oldest first",
          items: obj({ at: { type: "string", format: "date-time" }, action: { type: "string" }, actor: { type: "string" }, summary: { type: "string" }, note: { oneOf: [{ type: "string" }, { type: "null" }] } }),
        },
        extensionOptions: { type: "array", items: { type: "integer" }, description: "Extension lengths you may ask for now" },
        job: { description: "The latest provisioning or revocation job", oneOf: [{ type: "object" }, { type: "null" }] },
      },
    },
  ],
};
const withoutRequestId = (s: JsonSchema): JsonSchema => {
  const properties = { ...((s.properties ?? {}) as Record<string, JsonSchema>) };
  delete properties.requestId;
  return { ...s, properties, required: ((s.required ?? []) as string[]).filter((k) => k !== "requestId") };
};
const accessConflict = "The request is no longer in a state for this (someone decided, cancelled or revoked it first); the message says who and when";

// Governance: the shapes of lib/governance/types.ts (PolicyResult) and scorecards.ts (ProductScore).
const severity: JsonSchema = { type: "string", enum: ["blocking", "warning", "advice"] };
const policyResult: JsonSchema = {
  type: "object",
  required: ["policyKey", "title", "severity", "origin", "outcome", "findings", "remediation"],
  properties: {
    policyKey: { type: "string" },
    title: { type: "string" },
    severity,
    origin: { type: "object", description: '{ "kind": "global" } or { "kind": "domain", "domainSlug", "domainName" }' },
    outcome: { type: "string", enum: ["pass", "fail", "error", "not_applicable"] },
    findings: { type: "array", items: obj({ path: { type: "string" }, message: { type: "string" } }) },
    remediation: { type: "string" },
    policyVersion: { type: "integer" },
  },
};
const governanceProduct: JsonSchema = {
  type: "object",
  required: ["slug", "name", "status", "domain", "evaluatedAt", "score", "compliant", "failing", "blocking", "results"],
  properties: {
    slug: { type: "string" },
    name: { type: "string" },
    status: { type: "string" },
    domain: obj({ slug: { type: "string" }, name: { type: "string" } }),
    evaluatedAt: { type: "string", format: "date-time" },
    score: { type: "integer", minimum: 0, maximum: 100 },
    compliant: { type: "boolean", description: "No policy in scope fails" },
    failing: { type: "array", items: obj({ policyKey: { type: "string" }, title: { type: "string" }, severity }) },
    blocking: { type: "integer", description: "Failing blocking policies" },
    results: { type: "array", items: policyResult },
  },
};

const policySummary: JsonSchema = {
  type: "object",
  required: ["id", "key", "title", "rationale", "remediation", "severity", "appliesTo", "origin", "refines", "version", "enabled", "engine", "updatedAt", "updatedBy"],
  properties: {
    id: { type: "string", format: "uuid" },
    key: { type: "string" },
    title: { type: "string" },
    rationale: { type: "string" },
    remediation: { type: "string" },
    severity,
    appliesTo: { type: "string", enum: ["product", "access"] },
    origin: { type: "object", description: '{ "kind": "global" } or { "kind": "domain", "domainSlug", "domainName" }' },
    refines: { type: ["string", "null"], description: "The key of the global policy this domain policy tightens" },
    version: { type: "integer", minimum: 1 },
    enabled: { type: "boolean" },
    engine: { type: "string", enum: ["rules", "opa"] },
    updatedAt: { type: "string", format: "date-time" },
    updatedBy: { type: ["string", "null"] },
  },
};
const policyDetail: JsonSchema = {
  ...policySummary,
  required: [...(policySummary.required as string[]), "scope", "domainId", "definition", "versions"],
  properties: {
    ...(policySummary.properties as Record<string, JsonSchema>),
    scope: { type: "string", enum: ["global", "domain"] },
    domainId: { type: ["string", "null"] },
    definition: { type: "object", description: "The rules (or OPA decision path) and their parameters; for a refinement, only what it tightens" },
    versions: {
      type: "array",
      description: "Newest first",
      items: obj({
        version: { type: "integer" },
        changedBy: { type: ["string", "null"] },
        reason: { type: "string" },
        createdAt: { type: "string", format: "date-time" },
        diff: { type: "array", items: { type: "object" }, description: "Line diff against the previous version's definition" },
        definition: { type: "object" },
      }),
    },
  },
};
const policyRefused = "The policy is not valid (fieldErrors under definition.… say where), or its domain does not exist";

// Search: the shapes of lib/search/types.ts (SearchResponse).
const highlightSchema: JsonSchema = { type: "array", description: "Text in fragments; `match` fragments are the matched words", items: obj({ text: { type: "string" }, match: { type: "boolean" } }) };
const entityHit: JsonSchema = obj({ kind: { type: "string", enum: ["port", "column", "domain", "owner", "tag"] }, label: highlightSchema, detail: { type: "string" }, href: { type: "string" } });
const facetList: JsonSchema = { type: "array", items: obj({ value: { type: "string" }, label: { type: "string" }, count: { type: "integer" } }) };
const searchResponseSchema: JsonSchema = obj({
  q: { type: "string" },
  correctedQuery: { oneOf: [{ type: "string" }, { type: "null" }], description: "The query that was run instead, when words were corrected" },
  didYouMean: { oneOf: [{ type: "string" }, { type: "null" }], description: "A corrected query that finds more, when there were few hits" },
  total: { type: "integer", description: "Matching products you may see" },
  totalIsEstimate: { type: "boolean", description: "True when the match was too broad to count exactly: `total` is a lower bound" },
  products: {
    type: "array",
    items: obj({
      kind: { type: "string", const: "product" },
      slug: { type: "string" },
      name: highlightSchema,
      summary: highlightSchema,
      status: { type: "string", enum: ["draft", "published", "deprecated", "retired"] },
      classification: { type: "string", enum: ["public", "internal", "confidential", "restricted"] },
      domain: obj({ slug: { type: "string" }, name: { type: "string" } }),
      ownerTeam: { oneOf: [obj({ slug: { type: "string" }, name: { type: "string" } }), { type: "null" }] },
      tags: names,
      portTypes: names,
      restricted: { type: "boolean", description: "Shown without details: you may not see its summary, ports or columns" },
      hasAccess: { type: "boolean" },
      reasons: { ...names, description: 'Why it matched, e.g. "matched column customer_email"' },
      score: { type: "number" },
    }),
  },
  others: obj(Object.fromEntries(["port", "column", "domain", "owner", "tag"].map((k) => [k, { type: "array", items: entityHit, maxItems: 5 }]))),
  facets: obj(Object.fromEntries(["domain", "team", "tag", "classification", "status", "portType", "access"].map((k) => [k, facetList]))),
  nextCursor: { oneOf: [{ type: "string" }, { type: "null" }] },
  popularTags: { type: "array", items: obj({ tag: { type: "string" }, count: { type: "integer" } }) },
});

export const ENDPOINTS: EndpointSpec[] = [
  {
    method: "get",
    path: "/api/v1/me",
    operationId: "getMe",
    tag: "Identity",
    summary: "Who the API sees",
    description: "Answers for any valid token, whatever its scopes: a quick way to check that a token works.",
    auth: { kind: "user", actions: [] },
    responses: { 200: { description: "You", content: json(ref("Me")) } },
  },
  {
    method: "get",
    path: "/api/v1/products",
    operationId: "listProducts",
    tag: "Catalogue",
    summary: "List data products",
    description: "The catalogue as you see it: drafts only where you own them or govern their domain. At most 200 items.",
    auth: { kind: "user", actions: ["catalog.browse"] },
    query: queryFrom(productFilterSchema, {
      q: "Text search over name, summary and tags",
      domain: "Domain slug",
      status: "Lifecycle status",
      tag: "A tag the product carries",
    }),
    responses: { 200: { description: "Matching products", content: json({ type: "object", required: ["items"], properties: { items: { type: "array", items: ref("ProductListItem") } } }) }, 400: "A filter is invalid" },
  },
  {
    method: "post",
    path: "/api/v1/products",
    operationId: "saveProduct",
    tag: "Products",
    summary: "Create or change a data product from a ProductSpec",
    description:
      "The wizard's format as JSON. A new slug creates version 1.0.0 — published when `publish` is true and you may publish, a draft otherwise — and queues its provisioning; " +
      "an existing slug changes the product (a new version when it is published). Breaking changes need `acknowledgeBreaking` and a major version. " +
      "With `dryRun` nothing changes and the answer is the plan.",
    auth: { kind: "user", actions: ["product.create", "product.update"] },
    body: {
      required: true,
      content: json({
        type: "object",
        required: ["spec"],
        properties: {
          spec: ref("ProductSpec"),
          publish: { type: "boolean", default: false, description: "New products: publish at once instead of keeping a draft" },
          version: { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$", description: "The new version; defaults to the suggested one" },
          changelog: { type: "string", maxLength: 5000, description: "The changelog entry of the new version" },
          acknowledgeBreaking: { type: "boolean", default: false, description: "You have seen who a breaking change affects" },
          dryRun: { type: "boolean", default: false, description: "Only report what would change" },
        },
      }),
    },
    responses: {
      200: { description: "Changed (or, with dryRun, the plan)", content: json({ oneOf: [ref("SaveResult"), ref("ChangePlan")] }) },
      201: { description: "Created", content: json(ref("SaveResult")) },
      400: "The spec is invalid or references something unknown (see fieldErrors)",
      403: "You may not create products in this domain, or change this product",
      404: "The product exists but you may not see it",
      409: { description: "A breaking change that is not acknowledged or not a major version", content: json(ref("BreakingChange")) },
    },
  },
  {
    method: "get",
    path: "/api/v1/products/{slug}",
    operationId: "getProduct",
    tag: "Catalogue",
    summary: "One data product",
    description: "Ports with their schema, owners, and lineage in both directions. Products on the other end of a dependency that you may not read are shown as restricted.",
    auth: { kind: "user", actions: ["product.read"] },
    pathParams: slug,
    responses: { 200: { description: "The product", content: json(ref("ProductDetail")) }, 404: "No such product, or you may not see it" },
  },
  {
    method: "get",
    path: "/api/v1/products/{slug}/descriptor",
    operationId: "getDescriptor",
    tag: "Descriptors",
    summary: "Export the product's descriptor (ODPS)",
    description:
      "YAML by default (`Accept: application/odps+yaml`, `application/yaml` or `text/yaml`), JSON with `Accept: application/json`, or choose with `format`. " +
      "With `bundle=true` the ODCS contracts of its ports come along: a multi-document YAML stream (the ODPS document first) or a JSON `{product, contracts}`.",
    auth: { kind: "user", actions: ["product.read"] },
    pathParams: slug,
    query: [bool("bundle", "Include the ports' ODCS contracts"), format],
    responses: {
      200: {
        description: "The descriptor",
        content: {
          "application/odps+yaml": yamlText,
          "application/yaml": { schema: { type: "string", description: "With bundle=true: the ODPS document, then one ODCS document per contract" } },
          "application/json": { schema: { oneOf: [ref("OdpsDocument"), ref("DescriptorBundle")] } },
        },
      },
      404: "No such product, or you may not see it",
      406: "Neither YAML nor JSON is acceptable to the client",
    },
  },
  {
    method: "put",
    path: "/api/v1/products/{slug}/descriptor",
    operationId: "putDescriptor",
    tag: "Descriptors",
    summary: "Import a descriptor (create or update the product)",
    description:
      "Validates the documents against the ODPS and ODCS schemas, classifies the change against the current version and applies it: a new product starts at 1.0.0, " +
      "a change to a published product becomes a new version. Breaking changes (removing or renaming a column, narrowing a type, removing a port, tightening an SLA) " +
      "need a major version and `acknowledgeBreaking=true`; until then the answer is 409 with the changes, the version required and who is affected. " +
      "With `dryRun=true` nothing changes and the answer is the plan. The slug in the address wins over the document's.",
    auth: { kind: "user", actions: ["product.create", "product.update"] },
    pathParams: slug,
    query: [
      bool("dryRun", "Only report what would change"),
      q("version", "The new version (semver); defaults to the suggested one", { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" }, "2.0.0"),
      q("changelog", "The changelog entry of the new version", { type: "string", maxLength: 5000 }, "Add the discount column"),
      bool("acknowledgeBreaking", "You have seen who a breaking change affects"),
      bool("publish", "For a new product: publish at once instead of keeping a draft"),
    ],
    body: {
      required: true,
      description: "The ODPS document, optionally followed by its ports' ODCS contracts (multi-document YAML), or a JSON bundle; UTF-8, at most 1 MB.",
      content: { "application/yaml": yamlText, "application/json": { schema: { oneOf: [ref("OdpsDocument"), ref("DescriptorBundle")] } } },
    },
    responses: {
      200: { description: "Changed or unchanged (or, with dryRun, the plan)", content: json({ oneOf: [ref("SaveResult"), ref("DescriptorPreview")] }) },
      201: { description: "Created", content: json(ref("SaveResult")) },
      400: "The documents are invalid; errors point at the path (outputPorts[1].contractId: required)",
      403: "You may not change this product or create products in this domain",
      404: "No such product, or you may not see it",
      409: { description: "A breaking change that is not acknowledged or not a major version", content: json(ref("BreakingChange")) },
      413: "The body is larger than 1 MB",
    },
  },
  {
    method: "post",
    path: "/api/v1/descriptors/preview",
    operationId: "previewDescriptor",
    tag: "Descriptors",
    summary: "Preview an import without naming the product",
    description: "What importing the body would do, for the product the document names (its canopySlug custom property, or its name): the plan, warnings and version. Changes nothing.",
    auth: { kind: "user", actions: ["product.create", "product.update"] },
    body: { required: true, description: "As for PUT …/descriptor", content: { "application/yaml": yamlText, "application/json": { schema: ref("DescriptorBundle") } } },
    responses: {
      200: { description: "The preview", content: json(ref("DescriptorPreview")) },
      400: "The documents are invalid",
      403: "You may not change this product or create products in its domain",
      409: "The document names a product whose slug is taken by one you may not see",
      413: "The body is larger than 1 MB",
    },
  },
  {
    method: "get",
    path: "/api/v1/products/{slug}/ports/{port}/contract",
    operationId: "getContract",
    tag: "Descriptors",
    summary: "Export a port's data contract (ODCS)",
    description: "YAML by default (`application/odcs+yaml`), JSON with `Accept: application/json` or `format=json`.",
    auth: { kind: "user", actions: ["product.read"] },
    pathParams: { ...slug, ...port },
    query: [format],
    responses: {
      200: { description: "The contract", content: { "application/odcs+yaml": yamlText, "application/json": { schema: ref("OdcsDocument") } } },
      404: "No such product or port, or you may not see it",
      406: "Neither YAML nor JSON is acceptable to the client",
    },
  },
  {
    method: "get",
    path: "/api/v1/products/{slug}/ports/{port}/preview",
    operationId: "previewPort",
    tag: "Catalogue",
    summary: "Preview rows of a table port",
    description: "Read through Trino as you: the access rules decide which rows and columns you see, and masked columns are listed.",
    auth: { kind: "user", actions: ["product.read"] },
    pathParams: { ...slug, ...port },
    query: [q("limit", "How many rows (1–100)", { type: "integer", minimum: 1, maximum: 100, default: 20 })],
    responses: { 200: { description: "Rows", content: json(ref("PortPreview")) }, 400: "The limit is invalid or the port is not a table", 404: "No such product or port, or you may not see it" },
  },
  {
    method: "get",
    path: "/api/v1/products/{slug}/provisioning",
    operationId: "getProvisioning",
    tag: "Provisioning",
    summary: "The product's infrastructure and recent jobs",
    description: "For the product's owners, its domain's stewards and platform admins.",
    auth: { kind: "user", actions: ["product.read", "product.update"] },
    pathParams: slug,
    responses: { 200: { description: "Resources and jobs", content: json(ref("Provisioning")) }, 403: "You do not manage this product", 404: "No such product, or you may not see it" },
  },
  {
    method: "get",
    path: "/api/v1/products/{slug}/versions",
    operationId: "listVersions",
    tag: "Versions",
    summary: "The product's version history, or the difference between two versions",
    description: "Newest first. With `from` and `to`: the classified changes and a line diff of the descriptors between the two versions.",
    auth: { kind: "user", actions: ["product.read"] },
    pathParams: slug,
    query: [
      q("from", "Compare from this version (with `to`)", { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" }, "1.0.0"),
      q("to", "Compare to this version (with `from`)", { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" }, "2.0.0"),
    ],
    responses: {
      200: {
        description: "The versions, or the difference",
        content: json({ oneOf: [obj({ items: { type: "array", items: ref("VersionItem") } }), ref("VersionDiff")] }),
      },
      400: "A version is not semver",
      404: "No such product or version, or you may not see it",
    },
  },
  {
    method: "get",
    path: "/api/v1/products/{slug}/versions/{version}",
    operationId: "getVersion",
    tag: "Versions",
    summary: "One version with its descriptor snapshot",
    auth: { kind: "user", actions: ["product.read"] },
    pathParams: { ...slug, version: "The version, e.g. 1.2.0" },
    responses: { 200: { description: "The version", content: json(ref("VersionDetail")) }, 404: "No such product or version, or you may not see it" },
  },
  {
    method: "get",
    path: "/api/v1/trino/catalogs",
    operationId: "listTrinoCatalogs",
    tag: "Trino",
    summary: "Catalogs you can see in Trino",
    auth: { kind: "user", actions: ["catalog.browse"] },
    responses: {
      200: { description: "Catalog names", content: json(obj({ catalogs: names })) },
      403: "Trino refused",
      502: "Trino did not answer",
    },
  },
  {
    method: "get",
    path: "/api/v1/trino/catalogs/{catalog}/schemas",
    operationId: "listTrinoSchemas",
    tag: "Trino",
    summary: "Schemas of a catalog",
    auth: { kind: "user", actions: ["catalog.browse"] },
    pathParams: { catalog: "Catalog name" },
    responses: {
      200: { description: "Schema names", content: json(obj({ catalog: { type: "string" }, schemas: names })) },
      400: "The name is invalid",
      403: "Trino refused",
      404: "No such catalog",
      502: "Trino did not answer",
    },
  },
  {
    method: "get",
    path: "/api/v1/trino/catalogs/{catalog}/schemas/{schema}/tables",
    operationId: "listTrinoTables",
    tag: "Trino",
    summary: "Tables of a schema",
    auth: { kind: "user", actions: ["catalog.browse"] },
    pathParams: { catalog: "Catalog name", schema: "Schema name" },
    responses: {
      200: { description: "Table names", content: json(obj({ catalog: { type: "string" }, schema: { type: "string" }, tables: names })) },
      400: "A name is invalid",
      403: "Trino refused",
      404: "No such schema",
      502: "Trino did not answer",
    },
  },
  {
    method: "get",
    path: "/api/v1/trino/catalogs/{catalog}/schemas/{schema}/tables/{table}/columns",
    operationId: "describeTrinoTable",
    tag: "Trino",
    summary: "A table's columns, for importing them into an output port",
    auth: { kind: "user", actions: ["catalog.browse"] },
    pathParams: { catalog: "Catalog name", schema: "Schema name", table: "Table name" },
    responses: {
      200: { description: "The table and its columns", content: json(ref("TrinoTable")) },
      400: "A name is invalid",
      403: "Trino refused",
      404: "No such table",
      502: "Trino did not answer",
    },
  },
  {
    method: "get",
    path: "/api/v1/integrations/trino/access-rules",
    operationId: "getTrinoAccessRules",
    tag: "Access control",
    summary: "Trino's access-control rules from the active grants",
    description: "Trino polls this with its own token (TRINO_RULES_TOKEN); platform admins can read it with their session. API tokens are not accepted here.",
    auth: { kind: "trino-rules" },
    responses: { 200: { description: "The rules file", content: json(ref("TrinoRules")) }, 404: "Signed in, but not a platform admin" },
  },
  {
    method: "get",
    path: "/api/v1/audit",
    operationId: "listAuditEvents",
    tag: "Audit",
    summary: "The audit trail",
    description: "Platform admins only. JSON pages newest first (continue with `before=nextBefore`); CSV exports up to 10,000 events.",
    auth: { kind: "user", actions: ["audit.read"] },
    query: [
      ...queryFrom(auditFilterSchema, {
        actor: "Part of the actor's label (e-mail or token name)",
        action: "Action prefix, e.g. product. or api_token.",
        targetType: "Target type, e.g. product",
        targetId: "Target id",
        from: "First day (YYYY-MM-DD, UTC)",
        to: "Last day (YYYY-MM-DD, UTC)",
        before: "Continue after this event id (the previous page's nextBefore)",
      }),
      q("format", "json or csv", { type: "string", enum: ["json", "csv"], default: "json" }),
    ],
    responses: {
      200: { description: "Events", content: { ...json(ref("AuditPage")), "text/csv": { schema: { type: "string" } } } },
      400: "A filter is invalid",
      403: "Platform admins only",
    },
  },
  {
    method: "get",
    path: "/api/v1/governance/results",
    operationId: "listGovernanceResults",
    tag: "Governance",
    summary: "Each product's latest policy results",
    description:
      "Products you may see, each with its latest evaluation: score, whether it complies with the policies in scope (blocking and warning by default; a severity or policy filter narrows it) and the result of each policy. Worst first. CSV has one line per product and policy.",
    auth: { kind: "user", actions: ["governance.view"] },
    query: [
      ...queryFrom(scorecardFilterSchema, {
        domain: "Domain slug",
        severity: "Only policies of this severity: blocking, warning or advice",
        policy: "Only this policy (its key)",
        outcome: "pass: products that comply; fail: products that do not",
        status: "The products' lifecycle status",
      }),
      q("format", "json or csv", { type: "string", enum: ["json", "csv"], default: "json" }),
    ],
    responses: {
      200: { description: "Latest results", content: { ...json(obj({ products: { type: "array", items: governanceProduct } })), "text/csv": { schema: { type: "string" } } } },
      400: "A filter is invalid",
    },
  },
  {
    method: "post",
    path: "/api/v1/governance/evaluate",
    operationId: "evaluateProductSpec",
    tag: "Governance",
    summary: "Evaluate a product spec against the policies in force",
    description:
      "The onboarding wizard's policy checks: the spec (as the wizard or a descriptor import would submit it) is evaluated against the global policies and its domain's own and tightened ones. Nothing is stored.",
    auth: { kind: "user", actions: ["governance.view"] },
    body: {
      required: true,
      content: json({
        type: "object",
        required: ["spec"],
        properties: {
          spec: { type: "object", description: "A product spec, as for POST /api/v1/products" },
          version: { type: "string", description: "The version the spec would be published as (default: 1.0.0 for a new product, the suggested next version for an existing one)" },
        },
      }),
    },
    responses: {
      200: { description: "The result of each policy", content: json(obj({ results: { type: "array", items: policyResult }, score: { type: "integer", minimum: 0, maximum: 100 }, blocking: { type: "integer", minimum: 0 } })) },
      400: "The spec is not valid yet, or its domain does not exist; fieldErrors say where",
    },
  },
  {
    method: "post",
    path: "/api/v1/products/{slug}/governance",
    operationId: "recheckProductPolicies",
    tag: "Governance",
    summary: "Evaluate a product against the policies in force now",
    description:
      "Products are evaluated whenever they or a policy change; this evaluates one now (after a fix elsewhere, or to see a new policy's effect at once) and stores the result. For the product's owners, its domain's stewards and platform admins. The body is an empty JSON object.",
    auth: { kind: "user", actions: ["governance.view", "product.update"] },
    pathParams: { slug: "The product's slug, e.g. sales-orders" },
    body: { required: true, content: json({ type: "object", description: "{}" }) },
    responses: {
      200: {
        description: "The evaluation",
        content: json({
          type: "object",
          required: ["productSlug", "evaluatedAt", "score", "blocking", "results"],
          properties: {
            productSlug: { type: "string" },
            evaluatedAt: { type: "string", format: "date-time" },
            score: { type: "integer", minimum: 0, maximum: 100 },
            blocking: { type: "integer", minimum: 0, description: "Failing blocking policies" },
            results: { type: "array", items: policyResult },
            trigger: { type: "string", enum: ["product_change", "policy_change", "manual"] },
          },
        }),
      },
      403: "You do not answer for this product (or the API token lacks products:write)",
      404: "No such product",
    },
  },
  {
    method: "get",
    path: "/api/v1/governance/policies",
    operationId: "listPolicies",
    tag: "Governance",
    summary: "List policies",
    description:
      "Without a domain: the global policies and every domain's own and tightening policies. With a domain: what is in force there — each global policy as the domain tightened it, and the domain's own — with where each comes from.",
    auth: { kind: "user", actions: ["governance.view"] },
    query: [
      q("domain", "Domain slug: the policies in force there"),
      q("appliesTo", "product or access", { type: "string", enum: ["product", "access"] }),
      q("includeDisabled", "false: only enabled policies", { type: "boolean", default: true }),
    ],
    responses: {
      200: { description: "Policies", content: json(obj({ policies: { type: "array", items: policySummary } })) },
      400: "A filter is invalid",
      404: "No such domain",
    },
  },
  {
    method: "post",
    path: "/api/v1/governance/policies",
    operationId: "createPolicy",
    tag: "Governance",
    summary: "Add a policy",
    description:
      "A global policy (platform admins), a domain's own policy, or a domain's tightening of a global one (refines: true, key = the global policy's key; its stewards). A tightening may only make parameters stricter and severity higher. Versioned, audited, and the products in scope are re-evaluated in the background.",
    auth: { kind: "user", actions: ["governance.view", "policy.manage"] },
    body: {
      required: true,
      content: json({
        type: "object",
        required: ["key", "definition", "reason"],
        properties: {
          domain: { type: ["string", "null"], description: "The domain's slug; absent or null for a global policy" },
          key: { type: "string", description: "Lower-case words joined by hyphens, e.g. refresh-schedule-stated" },
          refines: { type: "boolean", default: false, description: "True: key names the global policy this domain tightens, and definition holds only what it tightens" },
          definition: { type: "object", description: "title, rationale, remediation, severity, appliesTo, engine (rules or opa), params and rules (see docs/governance.md)" },
          reason: { type: "string", description: "Why (kept in the policy's history)" },
        },
      }),
    },
    responses: {
      201: { description: "The policy, with its history", content: json(policyDetail) },
      400: policyRefused,
      403: "You may not manage policies in this scope (or the API token lacks governance:write)",
      409: "A policy with this key already exists in this scope",
      422: "The tightening would loosen the global policy",
    },
  },
  {
    method: "get",
    path: "/api/v1/governance/policies/{id}",
    operationId: "getPolicy",
    tag: "Governance",
    summary: "A policy with its definition and history",
    auth: { kind: "user", actions: ["governance.view"] },
    pathParams: { id: "The policy's id (a UUID, as listed)" },
    responses: {
      200: { description: "The policy", content: json(policyDetail) },
      400: "Not a policy id",
      404: "No such policy",
    },
  },
  {
    method: "patch",
    path: "/api/v1/governance/policies/{id}",
    operationId: "updatePolicy",
    tag: "Governance",
    summary: "Change a policy",
    description: "A new version: a new definition, enabling or disabling it, or both, with the reason. The products in scope are re-evaluated in the background.",
    auth: { kind: "user", actions: ["governance.view", "policy.manage"] },
    pathParams: { id: "The policy's id (a UUID, as listed)" },
    body: {
      required: true,
      content: json({
        type: "object",
        required: ["reason"],
        properties: {
          definition: { type: "object", description: "The whole new definition (for a refinement, what it tightens)" },
          enabled: { type: "boolean" },
          reason: { type: "string" },
        },
      }),
    },
    responses: {
      200: { description: "The policy after the change", content: json(policyDetail) },
      400: "The change is not valid (fieldErrors say where), or changes nothing",
      403: "You may not manage this policy (or the API token lacks governance:write)",
      404: "No such policy",
      422: "The change would loosen the global policy",
    },
  },
  {
    method: "get",
    path: "/api/v1/tokens",
    operationId: "listApiTokens",
    tag: "Tokens",
    summary: "Your API tokens",
    description: "Never their secrets. Platform admins can list everyone's with `all=true`.",
    auth: { kind: "user", actions: [] },
    query: [q("all", "true: everyone's tokens (platform admins, token scope admin)", { type: "string", enum: ["true", "false"] })],
    responses: { 200: { description: "Tokens", content: json({ type: "object", required: ["items"], properties: { items: { type: "array", items: ref("Token") } } }) }, 403: "all=true without being a platform admin" },
  },
  {
    method: "post",
    path: "/api/v1/tokens",
    operationId: "createApiToken",
    tag: "Tokens",
    summary: "Create an API token",
    description:
      "Answers the secret once. Needs a signed-in session — a token cannot create tokens. Tokens act as you with your permissions at each request, " +
      "narrowed to their scopes, and expire after 1–365 days (default 90). A service token behaves the same and is labelled as automation.",
    auth: { kind: "user", actions: [], sessionOnly: true },
    body: { required: true, content: json(ref("TokenCreate"), { name: "ci-pipeline", kind: "service", scopes: ["catalog:read", "products:write"], expiresInDays: 90 }) },
    responses: {
      201: { description: "Created; the secret is in this response only", content: json(ref("CreatedToken")) },
      400: "The input is invalid (see fieldErrors)",
      403: "Called with an API token",
      409: "You already have an active token with this name, or too many active tokens",
    },
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{id}",
    operationId: "revokeApiToken",
    tag: "Tokens",
    summary: "Revoke an API token",
    description: "Takes effect at the next request. Your own tokens (also with a token, e.g. to retire a leaked one); platform admins can revoke anyone's.",
    auth: { kind: "user", actions: [] },
    pathParams: { id: "The token's id" },
    responses: { 200: { description: "Revoked", content: json({ type: "object", required: ["token"], properties: { token: ref("Token") } }) }, 400: "Not a token id", 404: "No such token among yours" },
  },
  {
    method: "get",
    path: "/api/v1/notifications",
    operationId: "listNotifications",
    tag: "Notifications",
    summary: "Your notifications",
    description: "Newest first, with the number still unread. Only ever your own.",
    auth: { kind: "user", actions: [] },
    query: [
      q("unreadOnly", "true: only the unread ones", { type: "string", enum: ["true", "false"], default: "false" }),
      q("limit", "How many (1–100)", { type: "integer", minimum: 1, maximum: 100, default: 20 }),
    ],
    responses: {
      200: {
        description: "Notifications",
        content: json({
          type: "object",
          required: ["unread", "items"],
          properties: {
            unread: { type: "integer", minimum: 0, description: "How many of your notifications are unread (all of them, not only this page)" },
            items: {
              type: "array",
              items: {
                type: "object",
                required: ["id", "kind", "title", "body", "link", "readAt", "createdAt"],
                properties: {
                  id: { type: "string", format: "uuid" },
                  kind: { type: "string", examples: ["access.requested", "access.approved", "access.rejected", "access.expiring"] },
                  title: { type: "string" },
                  body: { type: "string" },
                  link: { type: "string", description: "A path inside Canopy, or empty", examples: ["/access/requests/0b7c…"] },
                  readAt: { oneOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
                  createdAt: { type: "string", format: "date-time" },
                },
              },
            },
          },
        }),
      },
      400: "A parameter is invalid",
    },
  },
  {
    method: "post",
    path: "/api/v1/notifications",
    operationId: "markNotificationsRead",
    tag: "Notifications",
    summary: "Mark notifications read",
    description: "The given ones, or all of yours when `ids` is left out. Ids of notifications that are not yours are ignored.",
    auth: { kind: "user", actions: [] },
    body: {
      required: true,
      content: json({
        type: "object",
        properties: { ids: { type: "array", maxItems: 500, items: { type: "string", format: "uuid" }, description: "Leave out to mark all read" } },
      }),
    },
    responses: {
      200: { description: "How many were marked, and how many stay unread", content: json(obj({ marked: { type: "integer", minimum: 0 }, unread: { type: "integer", minimum: 0 } })) },
      400: "An id is invalid",
    },
  },
  {
    method: "get",
    path: "/api/v1/access/requests",
    operationId: "listAccessRequests",
    tag: "Access requests",
    summary: "The approvals inbox",
    description:
      "`tab=waiting` (default): requests waiting on your decision — pending steps you may decide and extensions asked for — oldest first. " +
      "`tab=mine`: your own requests, newest first. `tab=decided`: requests you decide on that are no longer pending, newest first. At most 200.",
    auth: { kind: "user", actions: ["access.view"] },
    query: queryFrom(inboxFilterInput, {
      tab: "waiting, mine or decided",
      product: "Only this product (slug)",
      domain: "Only products of this domain (slug)",
      requester: "Part of the requester's name or e-mail",
      minAgeDays: "Only requests at least this many days old",
      sort: "oldest or newest first (by when they were made)",
    }),
    responses: { 200: { description: "Requests", content: json(obj({ items: { type: "array", items: accessRequestItem } })) }, 400: "A filter is invalid" },
  },
  {
    method: "post",
    path: "/api/v1/access/requests",
    operationId: "requestAccess",
    tag: "Access requests",
    summary: "Request access to an output port",
    description:
      "For yourself (`principal.type=user`), a team or identity-provider group you belong to (`group`), or a data product you own (`product`). " +
      "Give a purpose (10–2000 characters, optionally a purpose category), a duration of 30, 90 or 180 days or a last day `until` (from tomorrow, at most 365 days), " +
      "and accept the port's terms of use. Auto-approval rules may approve it at once (the answer's status is then provisioning). " +
      "A second open request for the same port and principal is refused with 409 and a link to the existing one.",
    auth: { kind: "user", actions: ["access.request"] },
    body: {
      required: true,
      content: json(
        { ...fromZod(requestAccessInput), properties: { ...((fromZod(requestAccessInput).properties ?? {}) as Record<string, JsonSchema>), durationDays } },
        { product: "sales-orders", port: "orders", principal: { type: "user" }, purpose: "Reconcile booked orders with invoiced revenue for the monthly close.", purposeCategory: "reporting", durationDays: 90, acceptTerms: true },
      ),
    },
    responses: {
      201: { description: "Requested (or approved by a rule)", content: json(accessRequestDetail) },
      400: "The input is invalid (see fieldErrors)",
      403: "You may not request access to this product",
      404: "No such product or port, or you may not see it",
      409: "The product is not published, or an open request for this port and principal exists (code duplicate_request; the message links to it)",
    },
  },
  {
    method: "get",
    path: "/api/v1/access/requests/{id}",
    operationId: "getAccessRequest",
    tag: "Access requests",
    summary: "One access request, with its timeline",
    description: "For the requester, the request's approvers, the product's owners, its domain's stewards and platform admins.",
    auth: { kind: "user", actions: ["access.view"] },
    pathParams: accessId,
    responses: { 200: { description: "The request", content: json(accessRequestDetail) }, 400: "Not a request id", 404: "No such request, or you may not see it" },
  },
  {
    method: "post",
    path: "/api/v1/access/requests/{id}/decide",
    operationId: "decideAccessRequest",
    tag: "Access requests",
    summary: "Approve or reject the current step",
    description:
      "The step's named approvers (else the product's owners), stewards of the product's domain and platform admins decide; never the requester, and a second step needs someone " +
      "other than who approved the first. Approving the last step starts provisioning. Pass the `revision` you saw to be refused (409) if the request changed meanwhile.",
    auth: { kind: "user", actions: ["access.decide"] },
    pathParams: accessId,
    body: { required: true, content: json(withoutRequestId(fromZod(decideInput)), { decision: "approve", note: "Standard finance use case", revision: 0 }) },
    responses: {
      200: { description: "Decided", content: json(accessRequestDetail) },
      400: "The input is invalid",
      403: "You may not decide on this request",
      404: "No such request, or you may not see it",
      409: accessConflict,
    },
  },
  {
    method: "post",
    path: "/api/v1/access/decisions",
    operationId: "decideAccessRequests",
    tag: "Access requests",
    summary: "Approve or reject several requests at once",
    description: "Each request is decided on its own: the answer lists those decided and, for the others, why not.",
    auth: { kind: "user", actions: ["access.decide"] },
    body: { required: true, content: json(fromZod(decideManyInput)) },
    responses: {
      200: {
        description: "The outcome per request",
        content: json(obj({ decided: { type: "array", items: { type: "string", format: "uuid" } }, failed: { type: "array", items: obj({ id: { type: "string", format: "uuid" }, error: { type: "string" } }) } })),
      },
      400: "The input is invalid",
    },
  },
  {
    method: "post",
    path: "/api/v1/access/requests/{id}/cancel",
    operationId: "cancelAccessRequest",
    tag: "Access requests",
    summary: "Cancel your pending request",
    auth: { kind: "user", actions: ["access.cancel"] },
    pathParams: accessId,
    responses: {
      200: { description: "Cancelled", content: json(accessRequestDetail) },
      403: "Only the requester cancels a request",
      404: "No such request, or you may not see it",
      409: accessConflict,
    },
  },
  {
    method: "post",
    path: "/api/v1/access/requests/{id}/revoke",
    operationId: "revokeAccessGrant",
    tag: "Access requests",
    summary: "Revoke a grant early",
    description: "For the product's owners, its domain's stewards and platform admins. The grant leaves the Trino rules at once; bucket and Fybrik access is removed by a job.",
    auth: { kind: "user", actions: ["access.revoke"] },
    pathParams: accessId,
    body: { required: false, content: json(withoutRequestId(fromZod(revokeInput))) },
    responses: {
      200: { description: "Revoked", content: json(accessRequestDetail) },
      403: "You may not revoke this grant",
      404: "No such request, or you may not see it",
      409: accessConflict,
    },
  },
  {
    method: "post",
    path: "/api/v1/access/requests/{id}/extend",
    operationId: "requestAccessExtension",
    tag: "Access requests",
    summary: "Ask for an extension of your active grant",
    description: "30, 90 or 180 more days, while the grant is active; the grant runs at most 365 days from today. The approvers are notified.",
    auth: { kind: "user", actions: ["access.extend"] },
    pathParams: accessId,
    body: { required: true, content: json({ ...withoutRequestId(fromZod(extensionInput)), properties: { days: durationDays } }, { days: 90 }) },
    responses: {
      200: { description: "Asked", content: json(accessRequestDetail) },
      400: "Not an allowed number of days",
      403: "Only the requester asks for an extension",
      404: "No such request, or you may not see it",
      409: "The grant is not active, or an extension is already waiting",
    },
  },
  {
    method: "post",
    path: "/api/v1/access/requests/{id}/extend/decide",
    operationId: "decideAccessExtension",
    tag: "Access requests",
    summary: "Approve or reject an extension",
    description: "Approved, the grant's end moves by the days asked for. The same people decide as on the request.",
    auth: { kind: "user", actions: ["access.decide"] },
    pathParams: accessId,
    body: { required: true, content: json(withoutRequestId(fromZod(decideExtensionInput)), { decision: "approve" }) },
    responses: {
      200: { description: "Decided", content: json(accessRequestDetail) },
      400: "The input is invalid",
      403: "You may not decide on this request",
      404: "No such request, or you may not see it",
      409: accessConflict,
    },
  },
  {
    method: "post",
    path: "/api/v1/access/requests/{id}/retry",
    operationId: "retryAccessProvisioning",
    tag: "Access requests",
    summary: "Provision a failed grant again",
    description: "For the product's owners and platform admins, when setting the grant up failed.",
    auth: { kind: "user", actions: ["access.retry"] },
    pathParams: accessId,
    responses: {
      200: { description: "Provisioning again", content: json(accessRequestDetail) },
      403: "You may not retry this grant",
      404: "No such request, or you may not see it",
      409: "The grant has not failed, or its end date has passed",
    },
  },
  {
    method: "get",
    path: "/api/v1/access/count",
    operationId: "countAccessRequestsWaiting",
    tag: "Access requests",
    summary: "How many requests wait on your decision",
    auth: { kind: "user", actions: ["access.view"] },
    responses: { 200: { description: "The count", content: json(obj({ waiting: { type: "integer", minimum: 0 } })) } },
  },
  {
    method: "get",
    path: "/api/v1/search",
    operationId: "searchCatalogue",
    tag: "Search",
    summary: "Search the catalogue",
    description:
      "Products ranked by where the words match (name and tags, then summary, domain and owners, then ports and columns, then descriptions), " +
      "published before draft, deprecated and retired last, with a light boost for quality and consumers. The last word also matches as a prefix; " +
      "unknown words are corrected from the catalogue's vocabulary when there are few hits. Drafts appear only to those who may read them; " +
      "restricted products appear without summary or column matches unless you own them, govern their domain or hold an active grant. " +
      "Facet counts ignore the facet's own filter; within one facet values combine with OR, across facets with AND. " +
      "Very broad matches count at most 1,000 products (`totalIsEstimate`). Page with `cursor` (the previous page's `nextCursor`).",
    auth: { kind: "user", actions: ["catalog.browse"] },
    query: [
      q("q", "Words to search for (up to 200 characters); empty: browse", { type: "string", maxLength: 200 }, "custmer email"),
      ...(["domain", "team", "tag", "classification", "status", "portType"] as const).map((name) =>
        q(name, `Only these ${name === "portType" ? "port types" : `${name} values`} (repeat the parameter or separate with commas; slugs for domain and team)`, { type: "array", items: { type: "string" }, maxItems: 20 }),
      ),
      q("access", "`mine`: only products you own (directly or through your team) or hold an active grant on", { type: "string", enum: ["any", "mine"], default: "any" }),
      q("cursor", "The `nextCursor` of the previous page", { type: "string", maxLength: 500 }),
      q("limit", "Products per page", { type: "integer", minimum: 1, maximum: 50, default: 20 }),
    ],
    responses: {
      200: { description: "One page of results, entity hits (first page), facet counts and the next cursor", content: json(searchResponseSchema) },
      400: "A parameter is invalid, or the cursor is not one this search returned",
    },
  },
  {
    method: "get",
    path: "/api/v1/search/suggest",
    operationId: "suggestSearch",
    tag: "Search",
    summary: "Typeahead suggestions",
    description: "Product names, domains, tags, owners, columns and ports matching what was typed so far: prefix matches first, then the most used. Only what you may see.",
    auth: { kind: "user", actions: ["catalog.browse"] },
    query: [
      q("q", "What was typed so far (at least 2 characters)", { type: "string", minLength: 2, maxLength: 100 }, "cust"),
      q("limit", "At most this many suggestions", { type: "integer", minimum: 1, maximum: 10, default: 8 }),
    ],
    responses: {
      200: {
        description: "Suggestions, best first",
        content: json(obj({ items: { type: "array", items: obj({ kind: { type: "string", enum: ["product", "domain", "tag", "column", "owner", "port"] }, label: { type: "string" }, detail: { type: "string" }, href: { type: "string" } }) } })),
      },
      400: "The query is shorter than 2 characters or too long",
    },
  },
  ...LINEAGE_ENDPOINTS,
  {
    method: "get",
    path: "/api/v1/openapi.json",
    operationId: "getOpenApi",
    tag: "Meta",
    summary: "This API description (OpenAPI 3.1)",
    auth: { kind: "public" },
    responses: { 200: { description: "The OpenAPI document", content: json({ type: "object" }) } },
  },
];
