/**
 * The part of OpenAPI 3.1 that Canopy's API description uses. Schemas are JSON Schema 2020-12
 * (OpenAPI 3.1's dialect), kept loose here because they are produced from zod or written inline.
 */

export type JsonSchema = { [key: string]: unknown };

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch";

export type Parameter = {
  name: string;
  in: "path" | "query" | "header";
  description: string;
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
};

export type MediaType = { schema: JsonSchema; example?: unknown };

export type RequestBody = { description?: string; required?: boolean; content: Record<string, MediaType> };

export type Response = { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, MediaType> };

export type Reference = { $ref: string };

export type SecurityRequirement = Record<string, string[]>;

export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses: Record<string, Response | Reference>;
  /** An empty list means no authentication. */
  security: SecurityRequirement[];
  /** The API token scopes that allow this operation (any one of them), for readers and tools. */
  "x-canopy-scopes"?: string[];
};

export type PathItem = Partial<Record<HttpMethod, Operation>>;

export type SecurityScheme =
  | { type: "http"; scheme: "bearer"; bearerFormat?: string; description: string }
  | { type: "apiKey"; in: "cookie" | "header" | "query"; name: string; description: string };

export type Tag = { name: string; description: string };

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; summary?: string; description: string };
  jsonSchemaDialect?: string;
  servers: { url: string; description?: string }[];
  tags: Tag[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, SecurityScheme>;
    responses: Record<string, Response>;
  };
  security: SecurityRequirement[];
};
