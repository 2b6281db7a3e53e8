import { ENDPOINTS, TAGS, type EndpointSpec } from "@/lib/openapi/endpoints";
import { ref, schemas } from "@/lib/openapi/schemas";
import { scopesAllow, TOKEN_SCOPE_NAMES, type TokenScope } from "@/lib/tokens/scopes";
import type { OpenApiDocument, Operation, Parameter, PathItem, Reference, Response, SecurityRequirement } from "@/lib/openapi/types";

/** The OpenAPI 3.1 description of /api/v1, built from the endpoint list. */

export const API_VERSION = "1.0.0";

const errorContent = { "application/json": { schema: ref("Error") } };

function security(e: EndpointSpec): SecurityRequirement[] {
  switch (e.auth.kind) {
    case "public":
      return [];
    case "trino-rules":
      return [{ trinoRulesToken: [] }, { session: [] }];
    case "user":
      if (e.auth.sessionOnly) return [{ session: [] }];
      return [{ apiToken: tokenScopes(e) ?? [] }, { session: [] }];
  }
}

/** The token scopes that allow every action the endpoint authorizes; undefined when any token will do. */
export function tokenScopes(e: EndpointSpec): TokenScope[] | undefined {
  if (e.auth.kind !== "user" || !e.auth.actions.length) return undefined;
  const actions = e.auth.actions;
  return TOKEN_SCOPE_NAMES.filter((s) => actions.every((a) => scopesAllow([s], a)));
}

function responses(e: EndpointSpec): Record<string, Response | Reference> {
  const out: Record<string, Response | Reference> = {};
  for (const [status, r] of Object.entries(e.responses)) {
    const description = typeof r === "string" ? r : r.description;
    const content = typeof r === "string" ? undefined : r.content;
    out[status] = { description, ...(content ? { content } : Number(status) >= 400 ? { content: errorContent } : {}) };
  }
  if (e.auth.kind !== "public" && !out["401"]) out["401"] = { $ref: "#/components/responses/Unauthenticated" };
  if (tokenScopes(e) && !out["403"]) out["403"] = { $ref: "#/components/responses/InsufficientScope" };
  return out;
}

function parameters(e: EndpointSpec): Parameter[] {
  const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const path = names.map((name): Parameter => ({ name, in: "path", required: true, description: e.pathParams?.[name] ?? name, schema: { type: "string" } }));
  return [...path, ...(e.query ?? [])];
}

function operation(e: EndpointSpec): Operation {
  const params = parameters(e);
  return {
    operationId: e.operationId,
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    tags: [e.tag],
    ...(params.length ? { parameters: params } : {}),
    ...(e.body ? { requestBody: e.body } : {}),
    responses: responses(e),
    security: security(e),
    ...(e.auth.kind === "user" && !e.auth.sessionOnly ? { "x-canopy-scopes": tokenScopes(e) ?? [] } : {}),
  };
}

export function buildOpenApiDocument(opts: { serverUrl?: string } = {}): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  for (const e of ENDPOINTS) (paths[e.path] ??= {})[e.method] = operation(e);
  return {
    openapi: "3.1.0",
    info: {
      title: "Canopy REST API",
      version: API_VERSION,
      summary: "The data-mesh portal's catalogue, descriptors (data as code), versions and tokens.",
      description:
        "Authenticate with an API token (`Authorization: Bearer cnp_…`, created under Settings → API tokens) or, from the browser, the session cookie. " +
        "A token acts as its user — with that user's permissions at each request — narrowed to its scopes; an operation lists the scopes that allow it " +
        "in `security` and `x-canopy-scopes`. Errors are JSON `{error, code, fieldErrors?}`; a refused token answers 401 with code `invalid_token`.",
    },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    servers: [{ url: opts.serverUrl ?? "/", description: "This Canopy" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "cnp_ followed by 43 base64url characters",
          description: `An API token. Scopes: ${TOKEN_SCOPE_NAMES.join(", ")}.`,
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "The browser session after signing in (`__Secure-next-auth.session-token` over HTTPS). Not for scripts: use a token.",
        },
        trinoRulesToken: { type: "http", scheme: "bearer", description: "The shared secret Trino polls its access rules with (TRINO_RULES_TOKEN)." },
      },
      responses: {
        Unauthenticated: {
          description: "No session and no valid token. A token that is unknown, expired or revoked, or a malformed Authorization header, answers code invalid_token.",
          headers: { "WWW-Authenticate": { description: 'Bearer realm="canopy"', schema: { type: "string" } } },
          content: errorContent,
        },
        InsufficientScope: { description: "Not allowed: the token lacks a scope this needs (code insufficient_scope), or you may not do this (code forbidden).", content: errorContent },
      },
    },
    security: [{ apiToken: [] }, { session: [] }],
  };
}
