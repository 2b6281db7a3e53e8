import type { EndpointSpec } from "@/lib/openapi/endpoints";
import type { JsonSchema, MediaType, Parameter } from "@/lib/openapi/types";

/** The lineage endpoints and the shapes they exchange (lib/lineage/types.ts). */

const s = (description?: string, extra: JsonSchema = {}): JsonSchema => ({ type: "string", ...(description ? { description } : {}), ...extra });
const nullable = (x: JsonSchema): JsonSchema => ({ oneOf: [x, { type: "null" }] });
const arrayOf = (items: JsonSchema, description?: string): JsonSchema => ({ type: "array", items, ...(description ? { description } : {}) });
const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties), extra: JsonSchema = {}): JsonSchema => ({ type: "object", properties, required, ...extra });
const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema, example?: unknown): Record<string, MediaType> => ({ "application/json": { schema, ...(example !== undefined ? { example } : {}) } });
const q = (name: string, description: string, schema: JsonSchema = { type: "string" }, example?: unknown): Parameter => ({
  name,
  in: "query",
  description,
  schema,
  ...(example !== undefined ? { example } : {}),
});

const nodeId = s("`product:<uuid>`, `port:<uuid>`, `table:<uuid>` or `column:<uuid>`", { examples: ["product:3f2b…"] });
const productSummary = nullable(obj({ id: s(undefined, { format: "uuid" }), slug: s(), name: s(), status: s(), domain: s("Domain slug") }));
const source = s(undefined, { enum: ["manual", "dbt", "openmetadata", "descriptor"] });

const int: JsonSchema = { type: "integer" };
const edgeRef = obj({ kind: s(undefined, { enum: ["table", "column"] }), from: s(), to: s() });
const portRef = { product: s("Product slug"), port: s("Port name") };
const dbtRule = obj({ ...portRef, column: s(), check: s(undefined, { enum: ["nullValues", "duplicateValues", "sql"] }), test: s("dbt test unique id") });

const names: JsonSchema = { type: "array", items: { type: "string" } };
const omRun: JsonSchema = {
  oneOf: [
    { type: "null" },
    obj({
      id: { type: "string", format: "uuid" },
      status: { type: "string", enum: ["succeeded", "failed"] },
      at: { type: "string", format: "date-time" },
      actor: { type: "string", description: "Who asked (e-mail or token label), or \"system\" for the periodic sweep" },
      error: { oneOf: [{ type: "string" }, { type: "null" }] },
      summary: {
        oneOf: [
          { type: "null" },
          obj({
            depth: obj({ upstream: { type: "integer" }, downstream: { type: "integer" } }),
            tables: obj({ found: names, missing: names }),
            pulled: obj({ tableEdges: { type: "integer" }, columnEdges: { type: "integer" }, skipped: { type: "integer" } }),
            edges: obj({
              added: { type: "integer" }, removed: { type: "integer" }, updated: { type: "integer" }, unchanged: { type: "integer" },
              addedEdges: { type: "array", items: obj({ kind: { type: "string", enum: ["table", "column"] }, from: { type: "string" }, to: { type: "string" } }) },
              removedEdges: { type: "array", items: obj({ kind: { type: "string", enum: ["table", "column"] }, from: { type: "string" }, to: { type: "string" } }) },
            }),
            pushed: obj({
              dataProduct: { oneOf: [{ type: "string" }, { type: "null" }], description: "The product's data product FQN in OpenMetadata; null when OpenMetadata does not know it yet" },
              added: names, unchanged: names, removed: names,
              skipped: { type: "array", items: obj({ upstream: { type: "string" }, reason: { type: "string" } }) },
              error: { oneOf: [{ type: "string" }, { type: "null" }] },
            }),
          }),
        ],
      },
    }),
  ],
};
const omJob: JsonSchema = obj({
  id: { type: "string" }, kind: { type: "string", const: "lineage.openmetadata.sync" },
  status: { type: "string", enum: ["pending", "running", "succeeded", "failed"] },
  attempts: { type: "integer" }, maxAttempts: { type: "integer" }, runAt: { type: "string", format: "date-time" },
  lastError: { oneOf: [{ type: "string" }, { type: "null" }] }, targetType: { oneOf: [{ type: "string" }, { type: "null" }] },
  targetId: { oneOf: [{ type: "string" }, { type: "null" }] }, createdAt: { type: "string", format: "date-time" },
  finishedAt: { oneOf: [{ type: "string", format: "date-time" }, { type: "null" }] },
});
const omStatus: JsonSchema = obj({
  configured: { type: "boolean" },
  message: { oneOf: [{ type: "string" }, { type: "null" }], description: "Why nothing is synced, when OpenMetadata is not configured" },
  lastRun: omRun,
  job: { oneOf: [omJob, { type: "null" }], description: "The sync waiting or running; its lastError tells of a failed attempt that will be retried" },
});


export const LINEAGE_SCHEMAS = {
  OmSyncStatus: omStatus,
  DbtImportReport: obj({
    importId: nullable(s(undefined, { format: "uuid" })),
    dryRun: { type: "boolean" },
    project: s(),
    schemaVersion: int,
    dbtVersion: nullable(s()),
    generatedAt: nullable(s()),
    counts: obj({ models: int, seeds: int, snapshots: int, sources: int, tests: int }),
    tables: obj({ total: int, served: int }),
    edges: obj({ added: int, removed: int, updated: int, unchanged: int, otherProjects: int, addedList: arrayOf(edgeRef), removedList: arrayOf(edgeRef) }),
    docs: obj({ updated: arrayOf(obj({ ...portRef, column: s() })), kept: int }),
    rules: obj({
      added: arrayOf(dbtRule),
      removed: arrayOf(dbtRule),
      unchanged: int,
      covered: int,
      withoutPort: int,
      notApplied: arrayOf(obj({ test: s(), reason: s(), product: s(), port: s() }, ["test", "reason"])),
      unsupported: arrayOf(obj({ test: s(), reason: s() })),
    }),
    ports: obj({ changed: arrayOf(obj(portRef)), skipped: arrayOf(obj({ ...portRef, reason: s() })), restricted: int }),
    skippedNodes: arrayOf(obj({ uniqueId: s(), reason: s() })),
    truncated: { type: "boolean", description: "Lists are cut at 200 entries; counts are complete" },
  }),
  LineageNode: obj({
    id: nodeId,
    kind: s(undefined, { enum: ["product", "port", "table", "column"] }),
    restricted: { type: "boolean", description: "The node belongs to a product you may not read (another team's draft): it carries no name, fqn or product." },
    label: s('Product name, port name, table fqn or column name; "Restricted product" when restricted.'),
    fqn: nullable(s("Tables and columns: lower-case catalog.schema.table[.column]")),
    product: productSummary,
    port: nullable(obj({ name: s(), type: s() })),
    tableId: nullable(s("A column's table node")),
    status: nullable(s("Lifecycle of the node's product (deprecated is shown in warning colour)")),
    quality: s("Latest governance result of the node's product", { enum: ["passing", "warning", "failing", "unknown"] }),
    access: s("Your access to the node's product (or port)", { enum: ["owner", "granted", "pending", "none"] }),
    depth: { type: "integer", description: "Hops from the focus: negative upstream, positive downstream" },
    more: obj({ up: { type: "boolean" }, down: { type: "boolean" } }, ["up", "down"], { description: "Neighbours exist beyond this graph (expand the node to see them)" }),
    canEdit: { type: "boolean", description: "Tables and columns: you may record manual edges here (lineage.edit)" },
  }, ["id", "kind", "restricted", "label", "fqn", "product", "port", "tableId", "status", "quality", "access", "depth", "more"]),
  LineageEdge: obj({
    id: s(),
    from: nodeId,
    to: nodeId,
    kind: s("product: a consuming product reads an output port; serves: a product serves a port, a port serves a table; table/column: asset lineage", {
      enum: ["product", "serves", "table", "column"],
    }),
    sources: arrayOf(source, "Every source that recorded the edge"),
    label: nullable(s("Input port name of a product edge; note of a manual edge")),
    manualEdgeId: nullable(s("The manual edge behind it (DELETE /api/v1/lineage/edges/{id})", { format: "uuid" })),
    canEdit: { type: "boolean", description: "Edges with a manual edge behind them: you may remove it (lineage.edit)" },
  }, ["id", "from", "to", "kind", "sources", "label", "manualEdgeId"]),
  LineageGraph: obj({
    focus: nodeId,
    nodes: arrayOf(schemaRef("LineageNode")),
    edges: arrayOf(schemaRef("LineageEdge")),
    up: { type: "integer" },
    down: { type: "integer" },
    columns: { type: "boolean" },
    truncated: { type: "boolean", description: "The node cap was reached; nodes marked `more` have neighbours left out" },
  }),
  ImpactReport: obj({
    focus: nodeId,
    products: arrayOf(
      obj({
        product: productSummary,
        depth: { type: "integer", description: "Hops downstream; 0 for the focus's own product (its consumers are listed too)" },
        via: arrayOf(s(undefined, { enum: ["input", "table", "column"] })),
        owners: arrayOf(obj({ name: s(), email: s(undefined, { format: "email" }) })),
        team: nullable(s()),
        consumers: arrayOf(
          obj({
            principalType: s(undefined, { enum: ["user", "group", "product"] }),
            principal: s(),
            email: nullable(s(undefined, { format: "email" })),
            port: s(),
            expiresAt: nullable(s(undefined, { format: "date-time" })),
          }),
          "Active, unexpired grants",
        ),
        tables: arrayOf(s(), "Downstream tables and columns this product serves"),
      }),
      "Products you may not read have `product: null` and no people",
    ),
    unownedAssets: arrayOf(obj({ kind: s(undefined, { enum: ["table", "column"] }), fqn: s(), depth: { type: "integer" } }), "Downstream tables and columns no product serves"),
    byOwner: arrayOf(obj({ owner: obj({ name: s(), email: s(undefined, { format: "email" }) }), products: arrayOf(s()), consumerCount: { type: "integer" } })),
    restrictedCount: { type: "integer" },
    truncated: { type: "boolean" },
  }),
  ManualLineageEdge: obj({
    id: s(undefined, { format: "uuid" }),
    kind: s(undefined, { enum: ["table", "column"] }),
    from: s(),
    to: s(),
    source: s(undefined, { const: "manual" }),
    note: s(),
    createdBy: nullable(s()),
    createdAt: s(undefined, { format: "date-time" }),
  }),
  Deprecation: obj({
    dryRun: { type: "boolean" },
    product: obj({ slug: s(), name: s(), status: s(), version: s() }),
    impact: schemaRef("ImpactReport"),
    notified: obj({ owners: { type: "integer" }, consumers: { type: "integer" } }, ["owners", "consumers"], { description: "People notified (or, in a dry run, who would be)" }),
  }),
} satisfies Record<string, JsonSchema>;

const focusQuery = [
  q("product", "Centre on a product (its slug)", { type: "string" }, "sales-orders"),
  q("node", "Or on a node id", { type: "string" }),
  q("fqn", "Or on a table or column by name (catalog.schema.table[.column], any case)", { type: "string" }, "iceberg.sales.orders"),
];

export const LINEAGE_ENDPOINTS: EndpointSpec[] = [
  {
    method: "get",
    path: "/api/v1/lineage/graph",
    operationId: "getLineageGraph",
    tag: "Lineage",
    summary: "The lineage graph around a product, port, table or column",
    description:
      "Products and their ports from the descriptors, tables and columns from asset lineage (manual, dbt, OpenMetadata), joined where a trino_table port serves a table. " +
      "Give exactly one of product, node or fqn. Products you may not read appear as restricted nodes without names.",
    auth: { kind: "user", actions: ["lineage.view"] },
    query: [
      ...focusQuery,
      q("up", "Hops upstream (0–5)", { type: "integer", minimum: 0, maximum: 5, default: 2 }),
      q("down", "Hops downstream (0–5)", { type: "integer", minimum: 0, maximum: 5, default: 2 }),
      q("columns", "Include column-level lineage between the tables shown", { type: "string", enum: ["true", "false"], default: "false" }),
      q("maxNodes", "Node cap (1–2000, default 500): the nearest nodes are kept", { type: "integer", minimum: 1, maximum: 2000 }),
    ],
    responses: { 200: { description: "The graph", content: json(schemaRef("LineageGraph")) }, 400: "No focus, more than one, or a depth out of range", 404: "No such product, node or table, or one you may not read" },
  },
  {
    method: "get",
    path: "/api/v1/lineage/impact",
    operationId: "getLineageImpact",
    tag: "Lineage",
    summary: "What depends on a product, port, table or column",
    description: "Downstream products and tables to any depth across both grains, the consumers with active access to each, and the owners to contact. Products you may not read are counted, not named.",
    auth: { kind: "user", actions: ["lineage.view"] },
    query: focusQuery,
    responses: { 200: { description: "The impact report", content: json(schemaRef("ImpactReport")) }, 400: "No focus, or more than one", 404: "No such product, node or table, or one you may not read" },
  },
  {
    method: "post",
    path: "/api/v1/lineage/edges",
    operationId: "addLineageEdge",
    tag: "Lineage",
    summary: "Record a manual lineage edge",
    description: "Between two tables or two columns. Owners and stewards of a product serving either end may record it (platform admins between tables no product serves). Imports never change manual edges.",
    auth: { kind: "user", actions: ["lineage.edit"] },
    body: {
      required: true,
      content: json(
        obj({ kind: s(undefined, { enum: ["table", "column"] }), from: s("Upstream fqn"), to: s("Downstream fqn"), note: s("Why the edge exists (up to 2000 characters)") }, ["kind", "from", "to"]),
        { kind: "table", from: "iceberg.sales.orders", to: "iceberg.logistics.shipments", note: "The WMS fulfilment job reads paid orders" },
      ),
    },
    responses: {
      201: { description: "Recorded", content: json(schemaRef("ManualLineageEdge")) },
      400: "The input is invalid (see fieldErrors)",
      403: "You answer for neither end",
      409: "The edge is recorded already",
    },
  },
  {
    method: "delete",
    path: "/api/v1/lineage/edges/{id}",
    operationId: "removeLineageEdge",
    tag: "Lineage",
    summary: "Remove a manual lineage edge",
    auth: { kind: "user", actions: ["lineage.edit"] },
    pathParams: { id: "The edge's id (manualEdgeId on the graph)" },
    responses: {
      200: { description: "Removed", content: json(obj({ id: s(undefined, { format: "uuid" }), removed: { type: "boolean", const: true } })) },
      400: "Not an edge id",
      403: "You answer for neither end",
      404: "No such edge",
      409: "The edge comes from dbt or OpenMetadata: import again to change it",
    },
  },
  {
    method: "post",
    path: "/api/v1/lineage/dbt",
    operationId: "importDbtManifest",
    tag: "Lineage",
    summary: "Import a dbt manifest",
    description:
      "A manifest.json of schema v7–v12 as the JSON body, as `{ manifest, dryRun, project }`, or a multipart upload with the file in `manifest` (at most 50 MB). " +
      "Models, seeds, snapshots and sources with their depends_on become table lineage (source dbt, replaced per project on re-import); column descriptions and tests " +
      "become column docs and quality rules on the ports serving those tables, where you may change that product (others are reported as skipped). `?dryRun=true` reports and changes nothing.",
    auth: { kind: "user", actions: ["lineage.import"] },
    query: [
      q("dryRun", "true: report what would change, change nothing", { type: "string", enum: ["true", "false"], default: "false" }),
      q("project", "Project name to record the edges under (default: the manifest's project)", { type: "string" }),
    ],
    body: { required: true, content: { "application/json": { schema: { type: "object", description: "The manifest, or { manifest, dryRun, project }" } }, "multipart/form-data": { schema: obj({ manifest: s(undefined, { format: "binary" }) }) } } },
    responses: {
      200: { description: "The import report: counts, edges added and removed, port docs and rules changed or skipped", content: json(schemaRef("DbtImportReport")) },
      400: "invalid_manifest: what is wrong with the manifest (nothing changed)",
      403: "You own and steward no product",
      413: "The manifest is larger than 50 MB",
    },
  },
  {
    method: "get",
    path: "/api/v1/lineage/dbt",
    operationId: "listDbtImports",
    tag: "Lineage",
    summary: "Recent dbt imports",
    description: "Your own imports, newest first (platform admins see everyone's), with each one's report or error.",
    auth: { kind: "user", actions: ["lineage.view"] },
    query: [q("limit", "How many", { type: "integer", minimum: 1 })],
    responses: { 200: { description: "Imports", content: json(obj({ imports: arrayOf(obj({ id: s(undefined, { format: "uuid" }), actor: s(), status: s(undefined, { enum: ["succeeded", "failed"] }), error: nullable(s()), createdAt: s(undefined, { format: "date-time" }), report: nullable(schemaRef("DbtImportReport")) })) })) }, 400: "limit out of range" },
  },
  {
    method: "get",
    path: "/api/v1/lineage/openmetadata",
    operationId: "getOpenMetadataLineageSync",
    tag: "Lineage",
    summary: "A product's OpenMetadata lineage sync status",
    description: "Whether OpenMetadata is configured, the product's last lineage sync (what it added, removed and pushed, or its error) and the sync waiting or running.",
    auth: { kind: "user", actions: ["product.read"] },
    query: [q("product", "The product's slug", { type: "string" }, "sales-orders")],
    responses: { 200: { description: "Status", content: json(schemaRef("OmSyncStatus")) }, 400: "No product given", 404: "No such product, or one you may not read" },
  },
  {
    method: "post",
    path: "/api/v1/lineage/openmetadata",
    operationId: "syncOpenMetadataLineage",
    tag: "Lineage",
    summary: "Sync a product's lineage with OpenMetadata",
    description:
      "Queues a sync through the outbox: lineage of the product's tables is pulled (up to 3 hops each way) and merged as source openmetadata — manual edges are never overwritten — " +
      "and the product-level edges are pushed back. A sync already queued is returned as it is.",
    auth: { kind: "user", actions: ["lineage.edit"] },
    body: { required: true, content: json(obj({ product: s("The product's slug"), depth: { type: "integer", minimum: 1, maximum: 3 } }, ["product"]), { product: "sales-orders" }) },
    responses: {
      202: { description: "Queued", content: json(obj({ queued: { type: "boolean" }, job: omJob, status: schemaRef("OmSyncStatus") })) },
      400: "The input is invalid",
      403: "You do not answer for the product",
      404: "No such product, or one you may not read",
      409: "not_configured: OpenMetadata is not configured",
    },
  },
  {
    method: "post",
    path: "/api/v1/products/{slug}/deprecate",
    operationId: "deprecateProduct",
    tag: "Lineage",
    summary: "Deprecate a product",
    description:
      "Marks a published product deprecated, records it on the current version and in the audit trail, and notifies the owners of downstream products and everyone with active access " +
      "(in-app, and the outgoing webhook when configured). With `dryRun: true` nothing changes and the answer shows the impact and who would be told.",
    auth: { kind: "user", actions: ["product.deprecate"] },
    pathParams: { slug: "The product's slug, e.g. sales-orders" },
    body: {
      required: true,
      content: json(obj({ reason: s("Why, and what consumers should move to (required unless dryRun)"), dryRun: { type: "boolean", default: false } }, []), {
        reason: "Replaced by Sales Orders v4; retiring on 1 March.",
      }),
    },
    responses: {
      200: { description: "Deprecated (or, in a dry run, the impact)", content: json(schemaRef("Deprecation")) },
      400: "No reason given (see fieldErrors)",
      403: "Only the product's owners, its domain's stewards and platform admins",
      404: "No such product, or one you may not read",
      409: "The product is not published (a draft, or deprecated or retired already)",
    },
  },
];
