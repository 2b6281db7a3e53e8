import "server-only";
import { z } from "zod";
import { descriptorBundle, toJsonText, toYaml } from "@/lib/descriptors/serialize";
import { applyDescriptorImport, exportDescriptors, previewDescriptorImport } from "@/lib/descriptors/service";
import { NotFoundError } from "@/lib/errors";
import type { Operation, OperationContext } from "@/lib/http/operation";
import { BreakingChangeError } from "@/lib/products/service";
import { semverSchema } from "@/lib/products/spec";

/**
 * The REST operations for descriptors (see app/api/v1/products/[slug]/descriptor and
 * …/ports/[port]/contract): plain Operations, run by defineDescriptorRoute in route handlers and by
 * runOperation in tests. Input is the route parameters, the query string, the Accept header as
 * `accept` and, for PUT/POST, the raw body as `body`.
 */

// ---------------------------------------------------------------------------------------------
// Content negotiation

type Offer = { type: string; format: "yaml" | "json" };

function offers(standard: "odps" | "odcs"): Offer[] {
  return [
    { type: `application/${standard}+yaml`, format: "yaml" },
    { type: "application/yaml", format: "yaml" },
    { type: "application/x-yaml", format: "yaml" },
    { type: "text/yaml", format: "yaml" },
    { type: "text/x-yaml", format: "yaml" },
    { type: "application/json", format: "json" },
    { type: `application/${standard}+json`, format: "json" },
  ];
}

/** The best offer for an Accept header (q-values, then specificity, then the client's order), or null. */
export function negotiate(accept: string, standard: "odps" | "odcs"): Offer | null {
  const ranges = (accept.trim() || "*/*")
    .split(",")
    .map((part, index) => {
      const [range = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith("q="));
      const qv = q ? Number(q.slice(2)) : 1;
      return { range, q: Number.isFinite(qv) ? qv : 0, index };
    })
    .filter((r) => r.range);
  type Scored = { offer: Offer; rank: number[] };
  let best: Scored | null = null;
  const all = offers(standard);
  for (let pref = 0; pref < all.length; pref++) {
    const offer = all[pref]!;
    const [type] = offer.type.split("/");
    for (const r of ranges) {
      const [rt, rs] = r.range.split("/");
      const spec = r.range === offer.type ? 2 : rt === type && rs === "*" ? 1 : r.range === "*/*" ? 0 : -1;
      if (spec < 0 || r.q <= 0) continue;
      // Higher is better, compared in order: q, specificity, the client's order, ours.
      const rank = [r.q, spec, -r.index, -pref];
      if (!best || better(rank, best.rank)) best = { offer, rank };
    }
  }
  return best?.offer ?? null;
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}

function chosenFormat(accept: string, format: "yaml" | "json" | undefined, standard: "odps" | "odcs"): Offer | Response {
  if (format === "json") return { type: "application/json", format: "json" };
  if (format === "yaml") return { type: `application/${standard}+yaml`, format: "yaml" };
  const offer = negotiate(accept, standard);
  if (offer) return offer;
  return Response.json(
    { error: `Ask for YAML (application/${standard}+yaml, application/yaml, text/yaml) or JSON (application/json)`, code: "not_acceptable" },
    { status: 406 },
  );
}

function document(text: string, offer: Offer, filename: string): Response {
  return new Response(text, {
    headers: {
      "Content-Type": `${offer.type}; charset=utf-8`,
      "Content-Disposition": `inline; filename="${filename}.${offer.format === "yaml" ? "yaml" : "json"}"`,
      "Cache-Control": "no-store",
      Vary: "Accept",
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Inputs

const flag = (name: string) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { error: `${name} must be true or false` })
    .transform((v) => v === "true" || v === "1" || v === "yes")
    .optional();

const slug = z.string().min(1).max(200);
const format = z.enum(["yaml", "json"], { error: "format must be yaml or json" }).optional();
const accept = z.string().max(2000).default("*/*");
const body = z.custom<Uint8Array>((v) => v instanceof Uint8Array, "The request needs a body: the descriptor, as YAML or JSON");

// ---------------------------------------------------------------------------------------------
// Operations

const descriptorInput = z.object({ slug, bundle: flag("bundle"), format, accept });

/** GET /api/v1/products/{slug}/descriptor[?bundle=1][&format=yaml|json] */
export const getDescriptorOperation: Operation<typeof descriptorInput, Response> = {
  name: "exportDescriptor",
  input: descriptorInput,
  handler: async (ctx, input) => {
    const offer = chosenFormat(input.accept, input.format, "odps");
    const built = await exportDescriptors(ctx.db, ctx.user, input.slug);
    if (offer instanceof Response) return offer;
    const text = input.bundle ? descriptorBundle(built, offer.format) : offer.format === "yaml" ? toYaml(built.odps) : toJsonText(built.odps);
    // A bundle holds contracts too: it is YAML (or JSON), not an ODPS document.
    const type = input.bundle && offer.type.endsWith("+yaml") ? "application/yaml" : input.bundle && offer.type.endsWith("+json") ? "application/json" : offer.type;
    return document(text, { ...offer, type }, `${built.slug}${input.bundle ? ".bundle" : ".odps"}`);
  },
};

const contractInput = z.object({ slug, port: z.string().min(1).max(200), format, accept });

/** GET /api/v1/products/{slug}/ports/{port}/contract[?format=yaml|json] */
export const getContractOperation: Operation<typeof contractInput, Response> = {
  name: "exportContract",
  input: contractInput,
  handler: async (ctx, input) => {
    const offer = chosenFormat(input.accept, input.format, "odcs");
    const built = await exportDescriptors(ctx.db, ctx.user, input.slug);
    const contract = built.contracts.find((c) => c.port === input.port);
    if (!contract) throw new NotFoundError(`Product "${input.slug}" has no output port "${input.port}"`);
    if (offer instanceof Response) return offer;
    return document(offer.format === "yaml" ? toYaml(contract.odcs) : toJsonText(contract.odcs), offer, `${built.slug}.${contract.port}.odcs`);
  },
};

const importInput = z.object({
  body,
  dryRun: flag("dryRun"),
  publish: flag("publish"),
  acknowledgeBreaking: flag("acknowledgeBreaking"),
  version: semverSchema.optional(),
  changelog: z.string().trim().max(5000, "Keep the changelog under 5000 characters").optional(),
});

type ImportInput = z.infer<typeof importInput> & { slug?: string };

function breakingResponse(err: BreakingChangeError, warnings: unknown[] = []): Response {
  return Response.json(
    {
      error: err.message,
      code: err.code,
      requiredVersion: err.requiredVersion,
      changes: err.changes,
      affected: err.affected,
      warnings,
      hint: "Repeat the request with acknowledgeBreaking=true (and a version of at least requiredVersion) to publish it.",
    },
    { status: 409 },
  );
}

async function runImport(ctx: OperationContext, input: ImportInput): Promise<Response> {
  const req = {
    body: input.body,
    slug: input.slug,
    publish: input.publish,
    version: input.version,
    changelog: input.changelog,
    acknowledgeBreaking: input.acknowledgeBreaking,
  };
  if (input.dryRun) {
    const preview = await previewDescriptorImport(ctx.db, ctx.user, req);
    return Response.json({ dryRun: true, ...preview });
  }
  try {
    const applied = await applyDescriptorImport(ctx.db, ctx, req);
    if (applied.outcome === "unchanged") return Response.json({ ...applied, created: false });
    ctx.log.info({ slug: applied.result.slug, version: applied.result.version, created: applied.result.created }, "descriptor imported");
    return Response.json({ ...applied.result, warnings: applied.warnings }, { status: applied.result.created ? 201 : 200 });
  } catch (err) {
    if (err instanceof BreakingChangeError) return breakingResponse(err);
    throw err;
  }
}

const importIntoSlug = importInput.extend({ slug });

/**
 * PUT /api/v1/products/{slug}/descriptor[?dryRun=true][&publish=true][&version=x.y.z][&changelog=…][&acknowledgeBreaking=true]
 * Body: the ODPS document (YAML, or JSON), optionally followed by the ODCS contracts of its ports
 * (multi-document YAML or a JSON bundle { product, contracts }). 201 when created, 200 when changed.
 */
export const putDescriptorOperation: Operation<typeof importIntoSlug, Response> = {
  name: "importDescriptor",
  input: importIntoSlug,
  handler: (ctx, input) => runImport(ctx, input),
};

/** POST /api/v1/descriptors/preview — what importing the body would do, for a product named by the document. */
export const previewDescriptorOperation: Operation<typeof importInput, Response> = {
  name: "previewDescriptor",
  input: importInput,
  handler: (ctx, input) => runImport(ctx, { ...input, dryRun: true }),
};
