import type { Metadata } from "next";
import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { config } from "@/lib/config";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import type { JsonSchema, Operation, Parameter, Reference, Response } from "@/lib/openapi/types";
import { TOKEN_SCOPE_NAMES, TOKEN_SCOPES } from "@/lib/tokens/scopes";
import { DataTable } from "@/components/ui/data-table";

export const metadata: Metadata = { title: "API reference" };

const methodTone: Record<string, Tone> = { get: "blue", post: "green", put: "amber", patch: "amber", delete: "red" };

const anchor = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(" | ");
  const type = typeof schema.type === "string" ? schema.type : "string";
  return schema.format ? `${type} (${String(schema.format)})` : type;
}

function authText(op: Operation): string {
  if (!op.security.length) return "None: public.";
  const schemes = op.security.flatMap((r) => Object.entries(r));
  const parts: string[] = [];
  for (const [name, scopes] of schemes) {
    if (name === "apiToken") parts.push(scopes.length ? `an API token with ${scopes.join(" or ")}` : "any valid API token");
    if (name === "trinoRulesToken") parts.push("Trino's rules token (TRINO_RULES_TOKEN)");
  }
  const session = schemes.some(([name]) => name === "session");
  if (!parts.length) return "A signed-in session only (API tokens are refused).";
  const who = op.security.some((r) => "trinoRulesToken" in r) ? "a platform admin's session" : "a signed-in session";
  return `${parts.join(", ")}${session ? `, or ${who}` : ""}.`;
}

/** Descriptions mark code with backticks, as in Markdown: render those parts as code. */
function withCode(text: string) {
  return text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code key={i} className="rounded bg-slate-100 px-1 font-mono text-xs">{part}</code> : part));
}

function responseDescription(r: Response | Reference, components: Record<string, Response>): string {
  if ("$ref" in r) return components[r.$ref.split("/").pop()!]?.description ?? "";
  return r.description;
}

export default async function ApiDocsPage() {
  await requireUser();
  const base = config().auth.url ?? "https://canopy.example.com";
  const doc = buildOpenApiDocument({ serverUrl: base });
  const byTag = doc.tags
    .map((tag) => ({
      tag,
      ops: Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([, op]) => op.tags.includes(tag.name))
          .map(([method, op]) => ({ path, method, op })),
      ),
    }))
    .filter((g) => g.ops.length);

  const put = `curl --fail-with-body -X PUT \\
  -H "Authorization: Bearer $CANOPY_TOKEN" \\
  -H "Content-Type: application/yaml" \\
  --data-binary @product.odps.yaml`;

  return (
    <>
      <PageHeader
        title="API reference"
        description={`The Canopy REST API (OpenAPI ${doc.openapi}, API version ${doc.info.version}). Everything you can do here you can script — with a token that never does more than you can.`}
        actions={
          <>
            <a className="btn-secondary" href="/api/v1/openapi.json">
              OpenAPI document (JSON)
            </a>
            <Link className="btn-primary" href="/settings/tokens">
              API tokens
            </Link>
          </>
        }
      />

      <nav aria-label="On this page" className="card mb-8 p-4 text-sm">
        <h2 className="mb-2 font-semibold">On this page</h2>
        <ul className="grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
          <li><a className="text-canopy-700 hover:underline" href="#authentication">Authentication</a></li>
          <li><a className="text-canopy-700 hover:underline" href="#data-as-code">Data as code: descriptors in git</a></li>
          {byTag.map(({ tag }) => (
            <li key={tag.name}>
              <a className="text-canopy-700 hover:underline" href={`#${anchor(tag.name)}`}>{tag.name}</a>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="authentication" className="mb-10">
        <h2 id="authentication" className="mb-2 text-xl font-semibold">Authentication</h2>
        <div className="prose-canopy max-w-3xl">
          <p>
            Scripts send an API token: <code>Authorization: Bearer cnp_…</code>. Create one under{" "}
            <Link href="/settings/tokens">Settings → API tokens</Link>; it is shown once. A token acts as you, with your permissions as they are at
            each request, narrowed to its scopes — so it never does more than you can, and loses access the moment you do. Tokens expire after at
            most a year and can be revoked at any time. Service tokens work the same way and are labelled as automation in lists and the audit trail.
          </p>
          <p>
            Errors are JSON <code>{"{ error, code, fieldErrors? }"}</code>. An unknown, expired or revoked token, or a malformed Authorization header,
            answers <code>401</code> with code <code>invalid_token</code>; a token without the scope an operation needs answers <code>403</code> with code{" "}
            <code>insufficient_scope</code>. Pages and forms in the browser never accept tokens.
          </p>
        </div>
        <div className="card mt-4 max-w-3xl overflow-x-auto">
          <DataTable caption="Token scopes" columns={["Scope", "Allows"]} cellClassName="px-4 py-2">
            {TOKEN_SCOPE_NAMES.map((s) => (
              <tr key={s} className="border-b border-slate-100 align-top">
                <th scope="row" className="px-4 py-2 font-mono text-xs font-normal whitespace-nowrap">{s}</th>
                <td className="px-4 py-2">{TOKEN_SCOPES[s].description}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      </section>

      <section aria-labelledby="data-as-code" className="mb-10">
        <h2 id="data-as-code" className="mb-2 text-xl font-semibold">Data as code: descriptors in git</h2>
        <div className="prose-canopy max-w-3xl">
          <p>
            Keep a product&apos;s ODPS descriptor and its ODCS contracts in a git repository and let the pipeline publish them. Create a{" "}
            <strong>service</strong> token with <code>catalog:read</code> and <code>products:write</code> and store it as a masked CI variable{" "}
            <code>CANOPY_TOKEN</code>.
          </p>
          <ol>
            <li>
              Export the current descriptor once, and commit it:
              <pre><code>{`export CANOPY_URL=${base}
curl --fail-with-body -H "Authorization: Bearer $CANOPY_TOKEN" -H "Accept: application/yaml" \\
  "$CANOPY_URL/api/v1/products/my-product/descriptor" > product.odps.yaml`}</code></pre>
            </li>
            <li>
              On every merge request, a dry run shows what would change, whether it is breaking, and who it affects — nothing is saved:
              <pre><code>{`${put} \\
  "$CANOPY_URL/api/v1/products/my-product/descriptor?dryRun=true"`}</code></pre>
            </li>
            <li>
              On merge, publish it as a new version with a changelog entry:
              <pre><code>{`${put} \\
  "$CANOPY_URL/api/v1/products/my-product/descriptor?changelog=Add%20the%20discount%20column"`}</code></pre>
            </li>
          </ol>
          <p>
            A breaking change (a removed or renamed column, a narrowed type, a removed port, a tighter SLA) is refused with <code>409</code> and the
            list of affected consumers until you publish it as a new major version and add <code>&amp;acknowledgeBreaking=true</code>. The same
            request with a new slug creates the product (add <code>&amp;publish=true</code> to publish it at once).
          </p>
        </div>
      </section>

      {byTag.map(({ tag, ops }) => (
        <section key={tag.name} aria-labelledby={anchor(tag.name)} className="mb-10">
          <h2 id={anchor(tag.name)} className="text-xl font-semibold">{tag.name}</h2>
          <p className="mb-3 text-sm text-slate-600">{tag.description}</p>
          <div className="grid gap-4">
            {ops.map(({ path, method, op }) => (
              <article key={`${method} ${path}`} id={op.operationId} aria-labelledby={`${op.operationId}-title`} className="card p-4">
                <h3 id={`${op.operationId}-title`} className="flex flex-wrap items-center gap-2 text-base font-semibold">
                  <Badge tone={methodTone[method] ?? "gray"}>{method.toUpperCase()}</Badge>{" "}
                  <code className="font-mono text-sm break-all">{path}</code>{" "}
                  <span className="font-normal text-slate-700">— {op.summary}</span>
                </h3>
                {op.description ? <p className="mt-2 max-w-3xl text-sm text-slate-700">{withCode(op.description)}</p> : null}
                <p className="mt-2 text-sm">
                  <span className="font-medium">Authentication:</span> {authText(op)}
                </p>
                {op.parameters?.length ? <ParameterTable op={op} /> : null}
                {op.requestBody ? (
                  <p className="mt-2 text-sm">
                    <span className="font-medium">Body:</span> {Object.keys(op.requestBody.content).join(" or ")}
                    {op.requestBody.description ? ` — ${op.requestBody.description}` : ""}
                  </p>
                ) : null}
                <div className="mt-2 text-sm">
                  <span className="font-medium">Responses:</span>
                  <ul className="mt-1 space-y-0.5">
                    {Object.entries(op.responses).map(([status, r]) => (
                      <li key={status}>
                        <code className="font-mono text-xs">{status}</code> {withCode(responseDescription(r, doc.components.responses))}
                        {"content" in r && r.content && !status.startsWith("4") && !status.startsWith("5") ? (
                          <span className="text-slate-500"> ({Object.keys(r.content).join(", ")})</span>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </div>
              </article>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

function ParameterTable({ op }: { op: Operation }) {
  const params: Parameter[] = op.parameters ?? [];
  return (
    <div className="mt-2 overflow-x-auto">
      <DataTable caption={<>Parameters of {op.summary}</>} columns={["Parameter", "In", "Type", "Description"]} cellClassName="py-1 pr-3">
        {params.map((p) => (
          <tr key={`${p.in}:${p.name}`} className="border-b border-slate-100 align-top">
            <th scope="row" className="py-1 pr-3 font-mono text-xs font-normal whitespace-nowrap">
              {p.name}
              {p.required ? <span className="text-rose-700"> (required)</span> : null}
            </th>
            <td className="py-1 pr-3">{p.in}</td>
            <td className="py-1 pr-3 font-mono text-xs">{typeOf(p.schema)}</td>
            <td className="py-1">{withCode(p.description)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
