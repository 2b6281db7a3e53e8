import "server-only";
import type { AuditActor } from "@/lib/audit/record";
import { can, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef, visibleProductsWhere } from "@/lib/catalog/queries";
import type { Db, Tx } from "@/lib/db/client";
import { buildDescriptors, type BuiltDescriptors } from "@/lib/descriptors/build";
import { descriptorMeta } from "@/lib/descriptors/meta";
import { documentPathOf, importDescriptors, toDocumentFieldErrors, type DescriptorWarning, type ImportedDescriptors, type ImportLookups } from "@/lib/descriptors/import";
import { CP, deepEqual, getCustom, str } from "@/lib/descriptors/mapping";
import { parseDescriptorBody, type ParsedDescriptors } from "@/lib/descriptors/parse";
import { ConflictError, ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import { PolicyBlockedError } from "@/lib/governance/service";
import { blockingChecks } from "@/lib/products/checks";
import {
  BreakingChangeError,
  INITIAL_VERSION,
  loadProductSpec,
  planProductChange,
  saveProduct,
  type ChangePlan,
  type LoadedProduct,
  type SaveResult,
} from "@/lib/products/service";
import { compareVersions, slugify, type ProductSpec } from "@/lib/products/spec";

/**
 * Descriptors as code, on the server: export a product's ODPS/ODCS documents, and import them —
 * preview (the change plan, without changing anything) or apply (through the product service, so
 * the same permission checks, breaking-change guard, versioning and audit apply as in the wizard).
 */

// ---------------------------------------------------------------------------------------------
// Export

/** A product the user may read, by slug; "not found" otherwise. */
async function readableProduct(db: Tx, user: Principal, slug: string) {
  const p = await db.dataProduct.findUnique({ where: { slug }, select: productRefSelect });
  if (!p || !can(user, "product.read", toProductRef(p))) throw new NotFoundError(`No data product "${slug}"`);
  return { id: p.id, ref: toProductRef(p) };
}

export type ExportedDescriptors = BuiltDescriptors & { slug: string; version: string };

/** The product's ODPS descriptor and ODCS contracts as they stand. Authorizes product.read. */
export async function exportDescriptors(db: Tx, user: Principal, slug: string): Promise<ExportedDescriptors> {
  const { id } = await readableProduct(db, user, slug);
  const loaded = await loadProductSpec(db, id);
  const built = buildDescriptors(loaded.spec, await descriptorMeta(db, loaded), loaded.sources);
  return { ...built, slug, version: loaded.version };
}

// ---------------------------------------------------------------------------------------------
// Import

export type DescriptorImportRequest = {
  body: Uint8Array | ArrayBuffer | string;
  /** From the request's address; it wins over the document. Without it the document names the product. */
  slug?: string;
  /** Publish a new product at once (default: when the document's status is active). */
  publish?: boolean;
  version?: string;
  changelog?: string;
  acknowledgeBreaking?: boolean;
};

export type DescriptorPreview = {
  slug: string;
  exists: boolean;
  /** The product service's plan; each check also says where in the documents to fix it. */
  plan: Omit<ChangePlan, "checks"> & { checks: (ChangePlan["checks"][number] & { documentPath: string })[] };
  warnings: DescriptorWarning[];
  /** What Canopy read, for showing before applying. */
  spec: ProductSpec;
  /** Whether saving would publish a new product. */
  publish: boolean;
  /** The version the change would get (new products: 1.0.0). */
  version: string;
  /** The import would change nothing. */
  unchanged: boolean;
};

export type DescriptorApplyResult =
  | { outcome: "saved"; result: SaveResult; warnings: DescriptorWarning[] }
  | { outcome: "unchanged"; slug: string; version: string; warnings: DescriptorWarning[] };

/** The slug an import is about: the address's, else the document's canopySlug, else its name's. */
export function descriptorSlug(parsed: ParsedDescriptors, urlSlug?: string): string {
  if (urlSlug) return urlSlug;
  const doc = parsed.product?.doc;
  const prop = getCustom(doc?.customProperties, CP.slug)?.value;
  return typeof prop === "string" ? prop.trim() : slugify(str(doc?.name) ?? "");
}

function lookups(db: Tx, user: Principal): ImportLookups {
  const visible = visibleProductsWhere(user);
  return {
    resolveContract: async (contractId) => {
      const port = await db.outputPort.findFirst({
        where: { contractId, product: { AND: [visible] } },
        select: { name: true, product: { select: { slug: true } } },
      });
      return port ? { product: port.product.slug, port: port.name } : null;
    },
    resolveTeam: async (name) => {
      const team = await db.team.findFirst({
        where: { OR: [{ slug: name }, { slug: slugify(name) }, { name: { equals: name, mode: "insensitive" } }] },
        select: { slug: true },
      });
      return team?.slug ?? null;
    },
    resolveDomain: async (name) => {
      const domain = await db.domain.findFirst({
        where: { OR: [{ slug: name }, { slug: slugify(name) }, { name: { equals: name, mode: "insensitive" } }] },
        select: { slug: true },
      });
      return domain?.slug ?? null;
    },
    existingUsers: async (emails) => {
      const users = await db.user.findMany({ where: { email: { in: [...emails], mode: "insensitive" } }, select: { email: true } });
      return users.map((u) => u.email);
    },
  };
}

/** Errors of the product service, re-keyed to the document's paths. */
function inDocumentTerms(err: unknown, imported: ImportedDescriptors): unknown {
  if (!(err instanceof UserError) || err instanceof BreakingChangeError || !err.fieldErrors) return err;
  if (err instanceof PolicyBlockedError) return err.withFieldErrors(toDocumentFieldErrors(err.fieldErrors, imported.origins) ?? {});
  return new UserError(err.message, { status: err.status, code: err.code, fieldErrors: toDocumentFieldErrors(err.fieldErrors, imported.origins) });
}

type Prepared = {
  imported: ImportedDescriptors;
  current: LoadedProduct | null;
  warnings: DescriptorWarning[];
};

/**
 * Reads a body into a spec with what it needs from the catalogue. An address slug naming a product
 * the user may not read is "not found"; one they may not change is "forbidden" — both before the
 * body is read.
 */
async function prepare(db: Db, user: Principal, req: DescriptorImportRequest): Promise<Prepared> {
  if (req.slug) {
    const existing = await db.dataProduct.findUnique({ where: { slug: req.slug }, select: productRefSelect });
    if (existing) {
      const ref = toProductRef(existing);
      if (!can(user, "product.read", ref)) throw new NotFoundError(`No data product "${req.slug}"`);
      if (!can(user, "product.update", ref)) throw new ForbiddenError("Only the product's owners and its domain's stewards may change it");
    }
  }
  const parsed = parseDescriptorBody(req.body);
  const slug = descriptorSlug(parsed, req.slug);
  let current: LoadedProduct | null = null;
  if (slug) {
    const existing = await db.dataProduct.findUnique({ where: { slug }, select: productRefSelect });
    if (existing) {
      if (!can(user, "product.read", toProductRef(existing))) {
        if (req.slug) throw new NotFoundError(`No data product "${slug}"`);
        throw new ConflictError(`The slug "${slug}" is taken; choose another with the ${CP.slug} custom property`);
      }
      current = await loadProductSpec(db, existing.id);
    }
  }
  const imported = await importDescriptors(parsed, {
    ...lookups(db, user),
    slug: req.slug,
    current: current ? { spec: current.spec, sources: current.sources, version: current.version } : null,
  });
  return { imported, current, warnings: [...imported.warnings] };
}

/** How the document's status and version requests play out; warns where Canopy decides otherwise. */
function decide(prep: Prepared, req: DescriptorImportRequest, plan: ChangePlan): { publish: boolean; version: string | undefined; effectiveVersion: string } {
  const { imported, current, warnings } = prep;
  const wanted = imported.requested;
  const warn = (path: string, message: string) => warnings.push({ path, message });
  if (!current) {
    const blocked = blockingChecks(plan.checks).length > 0;
    let publish = req.publish ?? wanted.status === "published";
    if (req.publish === undefined && publish && blocked) {
      publish = false;
      warn("status", "the product is saved as a draft: it cannot be published until the failing checks are fixed");
    }
    if (wanted.status === "deprecated" || wanted.status === "retired")
      warn("status", `a new product starts as a draft or published, not ${wanted.status}`);
    if (wanted.version && wanted.version !== INITIAL_VERSION) warn("version", `a new product starts at version ${INITIAL_VERSION}, not ${wanted.version}`);
    return { publish, version: undefined, effectiveVersion: INITIAL_VERSION };
  }
  if (wanted.status && wanted.status !== current.status)
    warn("status", `the product stays ${current.status}: its lifecycle changes on the product page (publish, deprecate, retire), not by import`);
  if (current.status === "draft") {
    if (wanted.version && wanted.version !== current.version) warn("version", `a draft keeps version ${current.version} until it is published`);
    return { publish: false, version: undefined, effectiveVersion: current.version };
  }
  let version = req.version;
  if (!version && wanted.version && compareVersions(wanted.version, current.version) > 0) version = wanted.version;
  else if (!version && wanted.version && plan.level !== "none")
    warn("version", `version ${wanted.version} is not above the current ${current.version}; the change is published as ${plan.suggestedVersion}`);
  return { publish: false, version, effectiveVersion: version ?? plan.suggestedVersion };
}

/**
 * Nothing to save: the spec is the same and the documents Canopy would serve from it are too (an
 * import of Canopy's own export adds nothing worth a new version).
 */
async function unchangedBy(db: Tx, prep: Prepared, plan: ChangePlan): Promise<boolean> {
  const current = prep.current;
  if (!current || plan.level !== "none") return false;
  if (deepEqual(prep.imported.sources, current.sources)) return true;
  const meta = await descriptorMeta(db, current);
  return deepEqual(buildDescriptors(prep.imported.spec, meta, prep.imported.sources), buildDescriptors(current.spec, meta, current.sources));
}

/** What importing the body would do, changing nothing. Authorizes like saving would. */
export async function previewDescriptorImport(db: Db, user: Principal, req: DescriptorImportRequest): Promise<DescriptorPreview> {
  const prep = await prepare(db, user, req);
  let plan: ChangePlan;
  try {
    plan = await planProductChange(db, user, prep.imported.spec);
  } catch (err) {
    throw inDocumentTerms(err, prep.imported);
  }
  const { publish, effectiveVersion } = decide(prep, req, plan);
  return {
    slug: prep.imported.spec.slug,
    exists: !!prep.current,
    plan: { ...plan, checks: plan.checks.map((c) => ({ ...c, documentPath: documentPathOf(c.path, prep.imported.origins) })) },
    warnings: prep.warnings,
    spec: prep.imported.spec,
    publish,
    version: effectiveVersion,
    unchanged: await unchangedBy(db, prep, plan),
  };
}

/**
 * Imports the body: creates the product or changes it (a new version when it is published).
 * A breaking change without `acknowledgeBreaking` throws the product service's BreakingChangeError.
 */
export async function applyDescriptorImport(
  db: Db,
  ctx: { user: Principal; actor: AuditActor },
  req: DescriptorImportRequest,
): Promise<DescriptorApplyResult> {
  const prep = await prepare(db, ctx.user, req);
  try {
    const plan = await planProductChange(db, ctx.user, prep.imported.spec);
    const { publish, version } = decide(prep, req, plan);
    if (await unchangedBy(db, prep, plan)) return { outcome: "unchanged", slug: prep.current!.spec.slug, version: prep.current!.version, warnings: prep.warnings };
    const result = await saveProduct(db, ctx, prep.imported.spec, {
      publish,
      version,
      changelog: req.changelog,
      acknowledgeBreaking: req.acknowledgeBreaking,
      sources: prep.imported.sources,
      via: "descriptor import",
    });
    if (publish && result.status !== "published") prep.warnings.push({ path: "status", message: "the product was saved as a draft" });
    return { outcome: "saved", result, warnings: prep.warnings };
  } catch (err) {
    throw inDocumentTerms(err, prep.imported);
  }
}
