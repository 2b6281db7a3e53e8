import "server-only";
import { NextResponse } from "next/server";
import { z } from "zod";
import { authenticate, requestId, unauthenticatedResponse } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { readBodyLimited } from "@/lib/descriptors/http";
import { UserError } from "@/lib/errors";
import type { Operation } from "@/lib/http/operation";
import { fieldErrorsOf, runOperation } from "@/lib/http/operation";
import { importDbtManifest, recentDbtImports } from "@/lib/lineage/dbt/import";
import { DbtManifestError, MAX_MANIFEST_BYTES } from "@/lib/lineage/dbt/manifest";
import type { DbtImportReport } from "@/lib/lineage/dbt/report";

/**
 * POST /api/v1/lineage/dbt — the manifest as the JSON body (`--data-binary @target/manifest.json`),
 * or `{ "manifest": {…}, "dryRun": true, "project": "…" }`, or a multipart upload with the file in
 * the `manifest` field. `dryRun` and `project` may also be query parameters. At most 50 MB.
 */

const flag = z.preprocess((v) => (v === "true" || v === "1" || v === true ? true : v === "false" || v === "0" || v === "" || v === false || v == null ? false : v), z.boolean({ error: "dryRun is true or false" }));
const project = z.string().trim().min(1).max(200, "A project name is at most 200 characters").optional();

const importOptions = z.object({ dryRun: flag.default(false), project });

const importInput = z.object({
  body: z.instanceof(Uint8Array),
  contentType: z.string(),
  dryRun: flag.default(false),
  project,
});

/** Room for the multipart envelope around a manifest at the limit. */
const BODY_LIMIT = MAX_MANIFEST_BYTES + 1024 * 1024;

type Extracted = { manifest: string | Uint8Array | unknown; dryRun?: unknown; project?: unknown };

async function extract(body: Uint8Array, contentType: string): Promise<Extracted> {
  if (/^multipart\/form-data/i.test(contentType)) {
    let form: FormData;
    try {
      form = await new Request("http://local/", { method: "POST", headers: { "content-type": contentType }, body: body as BodyInit }).formData();
    } catch {
      throw new DbtManifestError("The upload could not be read as multipart/form-data");
    }
    const file = form.get("manifest") ?? form.get("file");
    if (file === null) throw new DbtManifestError('The upload has no "manifest" field with the manifest.json file');
    const manifest = typeof file === "string" ? file : new Uint8Array(await file.arrayBuffer());
    return { manifest, dryRun: form.get("dryRun") ?? undefined, project: form.get("project") ?? undefined };
  }
  const text = new TextDecoder("utf-8").decode(body);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Let the manifest reader word the error (and record the failed attempt).
    return { manifest: text };
  }
  if (value && typeof value === "object" && !Array.isArray(value) && "manifest" in value && !("nodes" in value)) {
    const w = value as { manifest: unknown; dryRun?: unknown; project?: unknown };
    return { manifest: w.manifest, dryRun: w.dryRun, project: w.project };
  }
  return { manifest: value };
}

export const importDbtOperation: Operation<typeof importInput, DbtImportReport> = {
  name: "importDbtManifest",
  input: importInput,
  permission: "lineage.import",
  handler: async (ctx, input) => {
    const found = await extract(input.body, input.contentType);
    // Options inside the body (a wrapper object, form fields) win over the query string.
    const options = importOptions.safeParse({ dryRun: found.dryRun ?? input.dryRun, project: found.project ?? input.project });
    if (!options.success) throw new UserError("Some fields need attention", { status: 400, code: "invalid_input", fieldErrors: fieldErrorsOf(options.error) });
    return importDbtManifest(ctx.db, ctx, found.manifest, options.data);
  },
};

/** The route handler: authenticates before reading the body, reads at most the limit, then runs the operation. */
export async function handleDbtImport(req: Request): Promise<Response> {
  const rid = await requestId();
  const headers: Record<string, string> = { "Cache-Control": "no-store", ...(rid ? { "x-request-id": rid } : {}) };
  const auth = await authenticate();
  if (!auth.user) return unauthenticatedResponse(auth, rid);
  const body = await readBodyLimited(req, BODY_LIMIT);
  if (!body)
    return NextResponse.json(
      { error: `The manifest is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB, the most Canopy imports at once.`, code: "too_large" },
      { status: 413, headers },
    );
  const query = Object.fromEntries(new URL(req.url).searchParams);
  const input = { dryRun: query.dryRun, project: query.project, body, contentType: req.headers.get("content-type") ?? "application/json" };
  const result = await runOperation(importDbtOperation, input, { user: auth.user, db: getPrisma, requestId: rid });
  if (result.ok) return NextResponse.json(result.data, { headers });
  const { status, ...rest } = result;
  delete (rest as { ok?: boolean }).ok;
  return NextResponse.json(rest, { status, headers });
}

export type DbtImportListItem = {
  id: string;
  actor: string;
  status: "succeeded" | "failed";
  error: string | null;
  createdAt: string;
  report: DbtImportReport | null;
};

/** GET /api/v1/lineage/dbt — the latest dbt imports: one's own, or everyone's for admins. */
const listInput = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });

export const listDbtImportsOperation: Operation<typeof listInput, { imports: DbtImportListItem[] }> = {
  name: "listDbtImports",
  input: listInput,
  permission: "lineage.view",
  handler: async (ctx, input) => ({
    imports: (await recentDbtImports(ctx.db, ctx.user, input.limit)).map((r) => ({
      id: r.id,
      actor: r.actor,
      status: r.status as DbtImportListItem["status"],
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      report: r.status === "succeeded" ? (r.summary as unknown as DbtImportReport) : null,
    })),
  }),
};
