import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, tokenScopes } from "@/lib/openapi/document";
import { ENDPOINTS } from "@/lib/openapi/endpoints";
import type { JsonSchema, OpenApiDocument, Operation, Parameter, Response } from "@/lib/openapi/types";
import { TOKEN_SCOPE_NAMES } from "@/lib/tokens/scopes";

const doc = buildOpenApiDocument({ serverUrl: "https://canopy.example.com" });
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
const API_ROOT = path.join(process.cwd(), "app", "api", "v1");

function operations(d: OpenApiDocument): { path: string; method: string; op: Operation }[] {
  return Object.entries(d.paths).flatMap(([p, item]) =>
    Object.entries(item).map(([method, op]) => ({ path: p, method, op: op as Operation })),
  );
}

/** Resolves a local JSON pointer ("#/components/schemas/Token") in the document. */
function resolve(pointer: string): unknown {
  if (!pointer.startsWith("#/")) return undefined;
  return pointer
    .slice(2)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), doc);
}

function* walk(node: unknown, at = "#"): Generator<{ at: string; value: Record<string, unknown> }> {
  if (!node || typeof node !== "object") return;
  if (!Array.isArray(node)) yield { at, value: node as Record<string, unknown> };
  for (const [k, v] of Object.entries(node)) yield* walk(v, `${at}/${k}`);
}

/** Every route file under app/api/v1 as an OpenAPI path, with the HTTP methods it exports. */
function routeFiles(): { path: string; methods: string[]; file: string }[] {
  const out: { path: string; methods: string[]; file: string }[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
        const segments = path
          .relative(path.join(process.cwd(), "app"), dir)
          .split(path.sep)
          .filter((s) => !/^\(.*\)$/.test(s))
          .map((s) => s.replace(/^\[\.{0,3}(\w+)\]$/, "{$1}"));
        const source = readFileSync(full, "utf8");
        const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\b/g)].map((m) => m[1]!.toLowerCase());
        out.push({ path: `/${segments.join("/")}`, methods, file: path.relative(process.cwd(), full) });
      }
    }
  };
  visit(API_ROOT);
  return out;
}

describe("the OpenAPI document", () => {
  it("has the OpenAPI 3.1 top-level shape", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(doc.servers).toEqual([{ url: "https://canopy.example.com", description: "This Canopy" }]);
    expect(Object.keys(doc).every((k) => ["openapi", "info", "jsonSchemaDialect", "servers", "paths", "webhooks", "components", "security", "tags", "externalDocs"].includes(k) || k.startsWith("x-"))).toBe(true);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("describes every operation with a unique id, a declared tag, responses and parameters that match the path", () => {
    const ids = new Set<string>();
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { path: p, method, op } of operations(doc)) {
      const where = `${method.toUpperCase()} ${p}`;
      expect(p, where).toMatch(/^\/api\/v1\//);
      expect(METHODS as readonly string[], where).toContain(method);
      expect(op.operationId, where).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(ids.has(op.operationId), `${where}: duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      expect(op.summary, where).toBeTruthy();
      expect(op.tags.length, where).toBeGreaterThan(0);
      for (const t of op.tags) expect(tags.has(t), `${where}: tag ${t} is not declared`).toBe(true);

      const statuses = Object.keys(op.responses);
      expect(statuses.length, where).toBeGreaterThan(0);
      expect(statuses.some((s) => s.startsWith("2")), `${where}: no success response`).toBe(true);
      for (const [status, r] of Object.entries(op.responses)) {
        expect(status, where).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
        const response = ("$ref" in r ? resolve(r.$ref) : r) as Response | undefined;
        expect(response?.description, `${where} ${status}`).toBeTruthy();
      }

      const params = op.parameters ?? [];
      const seen = new Set(params.map((x) => `${x.in}:${x.name}`));
      expect(seen.size, `${where}: duplicate parameters`).toBe(params.length);
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(params.filter((x) => x.in === "path").map((x) => x.name).sort(), where).toEqual([...inPath].sort());
      for (const x of params) {
        expect(["path", "query", "header", "cookie"], where).toContain(x.in);
        expect(x.description, `${where} ${x.name}`).toBeTruthy();
        expect(x.description, `${where} ${x.name}`).not.toBe(x.name);
        if (x.in === "path") expect(x.required, `${where} ${x.name}`).toBe(true);
        expect(x.schema, `${where} ${x.name}`).toBeTypeOf("object");
      }
      if (op.requestBody) expect(Object.keys(op.requestBody.content).length, where).toBeGreaterThan(0);
    }
  });

  it("names only declared security schemes and known token scopes; only the document itself is public", () => {
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    for (const { path: p, method, op } of operations(doc)) {
      const where = `${method.toUpperCase()} ${p}`;
      if (p === "/api/v1/openapi.json") {
        expect(op.security, where).toEqual([]);
        continue;
      }
      expect(op.security.length, `${where} must require authentication`).toBeGreaterThan(0);
      for (const requirement of op.security) {
        for (const [name, scopes] of Object.entries(requirement)) {
          expect(schemes.has(name), `${where}: ${name}`).toBe(true);
          for (const s of scopes) expect(TOKEN_SCOPE_NAMES as string[], where).toContain(s);
        }
      }
    }
    // An endpoint that authorizes actions no single scope covers could never be called with a token.
    for (const e of ENDPOINTS) {
      if (e.auth.kind === "user" && e.auth.actions.length) expect(tokenScopes(e), e.operationId).not.toEqual([]);
    }
    expect(doc.paths["/api/v1/products"]!.get!["x-canopy-scopes"]).toEqual(["catalog:read", "products:write", "lineage:write"]);
    expect(doc.paths["/api/v1/lineage/edges"]!.post!["x-canopy-scopes"]).toEqual(["lineage:write"]);
    expect(doc.paths["/api/v1/products/{slug}/deprecate"]!.post!["x-canopy-scopes"]).toEqual(["products:write"]);
    expect(doc.paths["/api/v1/audit"]!.get!.security).toEqual([{ apiToken: ["audit:read"] }, { session: [] }]);
    expect(doc.paths["/api/v1/tokens"]!.post!.security).toEqual([{ session: [] }]);
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: "apiKey", in: "cookie" });
  });

  it("resolves every $ref, and every schema is valid JSON Schema 2020-12", () => {
    for (const { at, value } of walk(doc)) {
      if (typeof value.$ref === "string") expect(resolve(value.$ref), `${at}: ${value.$ref}`).toBeDefined();
    }
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc as unknown as JsonSchema, "doc");
    const schemaAt: { at: string; schema: JsonSchema }[] = [
      ...Object.entries(doc.components.schemas).map(([name, schema]) => ({ at: `#/components/schemas/${name}`, schema })),
      ...operations(doc).flatMap(({ path: p, method, op }) => [
        ...(op.parameters ?? []).map((x: Parameter) => ({ at: `${method} ${p} ${x.name}`, schema: x.schema })),
        ...Object.entries(op.requestBody?.content ?? {}).map(([type, m]) => ({ at: `${method} ${p} body ${type}`, schema: m.schema })),
      ]),
    ];
    for (const { at, schema } of schemaAt) {
      expect(ajv.validateSchema(schema), `${at}: ${ajv.errorsText()}`).toBe(true);
    }
    // Examples in the document match their own schemas.
    for (const { path: p, method, op } of operations(doc)) {
      for (const [type, m] of Object.entries(op.requestBody?.content ?? {})) {
        if (m.example === undefined) continue;
        const validate = ajv.compile({ $ref: `doc${String(m.schema.$ref ?? "").replace(/^#/, "#")}` });
        expect(validate(m.example), `${method} ${p} ${type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      }
    }
  });

  it("documents every route under app/api/v1 and every method it exports", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      expect(doc.paths[f.path], `${f.file} has no path ${f.path} in lib/openapi/endpoints.ts`).toBeDefined();
      expect(f.methods.length, `${f.file} exports no HTTP method`).toBeGreaterThan(0);
      for (const m of f.methods) {
        expect((doc.paths[f.path] as Record<string, unknown>)[m], `${m.toUpperCase()} ${f.path} (${f.file}) is not documented`).toBeDefined();
      }
    }
  });

  it("documents only routes that exist", () => {
    const files = new Map(routeFiles().map((f) => [f.path, f.methods]));
    for (const { path: p, method } of operations(doc)) {
      expect(files.get(p), `${p} is documented but app/api${p.slice(4)}/route.ts does not exist`).toBeDefined();
      expect(files.get(p), `${method.toUpperCase()} ${p} is documented but not exported by its route file`).toContain(method);
    }
  });
});
