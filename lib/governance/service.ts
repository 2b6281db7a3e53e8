import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/permissions";
import { authorize, can } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef, visibleProductsWhere } from "@/lib/catalog/queries";
import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { buildDescriptors } from "@/lib/descriptors/build";
import { descriptorMeta } from "@/lib/descriptors/meta";
import { NotFoundError, UserError } from "@/lib/errors";
import {
  buildAccessDocument,
  buildProductDocument,
  type AccessFacts,
  type AccessDocument,
  type ProductDocument,
  type ProductFacts,
} from "@/lib/governance/document";
import { blockingFailures, evaluatePolicies, scoreOf, type EvaluablePolicy, type OpaEvaluator } from "@/lib/governance/evaluate";
import { effectivePolicies, GOVERNANCE_REEVALUATE_JOB, type ReevaluatePayload } from "@/lib/governance/policies";
import type { EvaluationTrigger, PolicyAppliesTo, PolicyOrigin, PolicyResult, ProductEvaluation } from "@/lib/governance/types";
import type { JobHandler } from "@/lib/jobs/worker";
import { highestLevel, classifyChanges } from "@/lib/products/changes";
import { loadProductSpec, parseSpec } from "@/lib/products/service";
import { bumpVersion, type ProductSpec } from "@/lib/products/spec";

/**
 * Evaluating products and access requests against the policies in force, storing product
 * evaluations over time, and the gates: a blocking policy that fails refuses publishing (422
 * `policy_blocked`) and refuses access requests. Product saves evaluate in their own transaction
 * (the gate needs the answer before commit, and the evaluation is in-memory work); policy changes
 * re-evaluate the products in scope through the outbox job `governance.reevaluate`, in batches.
 */

/** Refusal of a gate: the failing blocking results, each with its remediation. */
export class PolicyBlockedError extends UserError {
  static readonly kind: string = "PolicyBlockedError";
  declare readonly details: { results: PolicyResult[] };
  constructor(message: string, results: PolicyResult[], fieldErrors?: Record<string, string[]>) {
    const byPath: Record<string, string[]> = {};
    if (!fieldErrors)
      for (const r of results)
        for (const f of r.findings.length ? r.findings : [{ path: "", message: r.title }]) (byPath[f.path || "_"] ??= []).push(`${f.message}. ${r.remediation}`);
    super(message, { status: 422, code: "policy_blocked", fieldErrors: fieldErrors ?? byPath, details: { results } });
    this.name = "PolicyBlockedError";
  }

  /** The same refusal with its field errors keyed differently (e.g. to an imported document's paths). */
  withFieldErrors(fieldErrors: Record<string, string[]>): PolicyBlockedError {
    return new PolicyBlockedError(this.message, this.details.results, fieldErrors);
  }
}

function blockedMessage(what: string, failing: PolicyResult[]) {
  return `${what} while ${failing.length === 1 ? "a blocking policy fails" : `${failing.length} blocking policies fail`}: ${failing
    .map((r) => `${r.title} — ${r.remediation}`)
    .join("; ")}`;
}

// ---------------------------------------------------------------------------------------------
// Policies in force, with a per-run cache and the OPA adapter only when a policy needs it

export type PolicyCache = Map<string, EvaluablePolicy[]>;

async function policiesFor(db: Tx, domainId: string, appliesTo: PolicyAppliesTo, cache?: PolicyCache): Promise<EvaluablePolicy[]> {
  const key = `${appliesTo}:${domainId}`;
  const hit = cache?.get(key);
  if (hit) return hit;
  const list = await effectivePolicies(db, domainId, appliesTo);
  cache?.set(key, list);
  return list;
}

async function opaFor(policies: readonly EvaluablePolicy[], given?: OpaEvaluator): Promise<OpaEvaluator | undefined> {
  if (given || !policies.some((p) => p.definition.engine === "opa")) return given;
  const { getIntegrations } = await import("@/lib/integrations/registry");
  return (await getIntegrations()).opa;
}

// ---------------------------------------------------------------------------------------------
// Documents

/** The product document of a stored product: its spec, catalogue facts, descriptors and the change since its previous version. */
export async function productDocumentFor(db: Tx, productId: string): Promise<{ doc: ProductDocument; domainId: string; slug: string; version: string }> {
  const loaded = await loadProductSpec(db, productId);
  const [meta, domain, previous] = await Promise.all([
    descriptorMeta(db, loaded),
    db.domain.findUniqueOrThrow({ where: { slug: loaded.spec.domain }, select: { id: true, name: true } }),
    loaded.status === "draft"
      ? Promise.resolve(null)
      : db.productVersion.findFirst({ where: { productId, version: { not: loaded.version } }, orderBy: { createdAt: "desc" }, select: { version: true, spec: true } }),
  ]);
  const facts: ProductFacts = {
    status: loaded.status,
    version: loaded.version,
    domainName: domain.name,
    previous: previous ? { version: previous.version, spec: previous.spec as unknown as ProductSpec } : null,
  };
  return { doc: buildProductDocument(loaded.spec, facts, buildDescriptors(loaded.spec, meta, loaded.sources)), domainId: domain.id, slug: loaded.spec.slug, version: loaded.version };
}

/**
 * The input document a policy sees for a product the user may read: what the policy page shows
 * (and what an OPA policy receives as `input`).
 */
export async function policyInputDocument(db: Tx, user: Principal, productSlug: string): Promise<ProductDocument> {
  authorize(user, "governance.view", null);
  const p = await db.dataProduct.findUnique({ where: { slug: productSlug }, select: productRefSelect });
  if (!p || !can(user, "product.read", toProductRef(p))) throw new NotFoundError("No such product");
  return (await productDocumentFor(db, p.id)).doc;
}

/** An example access document (what access policies see), for the policy page. */
export function exampleAccessDocument(): AccessDocument {
  return buildAccessDocument({
    request: { durationDays: 90, purpose: "Weekly churn dashboard for the retention team", purposeCategory: "analytics", principalType: "user", extension: false },
    port: { name: "orders", type: "trino_table", classification: "restricted", hasPii: true },
    product: { slug: "sales-orders", domain: "sales", classification: "confidential", status: "published" },
  });
}

// ---------------------------------------------------------------------------------------------
// Products

export type EvaluateOptions = { cache?: PolicyCache; opa?: OpaEvaluator; now?: Date };

/**
 * Evaluates a stored product against the policies in force for its domain and stores the
 * evaluation (score, blocking count, each policy's result) with its time and trigger.
 */
export async function evaluateProduct(tx: Tx, productId: string, trigger: EvaluationTrigger, opts: EvaluateOptions = {}): Promise<ProductEvaluation> {
  const { doc, domainId, slug, version } = await productDocumentFor(tx, productId);
  const policies = await policiesFor(tx, domainId, "product", opts.cache);
  const results = await evaluatePolicies(policies, doc, await opaFor(policies, opts.opa));
  return storeEvaluation(tx, { productId, slug, version, trigger, results, now: opts.now ?? new Date() });
}

async function storeEvaluation(
  tx: Tx,
  e: { productId: string; slug: string; version: string; trigger: EvaluationTrigger; results: PolicyResult[]; now: Date },
): Promise<ProductEvaluation> {
  const score = scoreOf(e.results);
  const blocking = blockingFailures(e.results).length;
  const evaluation = await tx.policyEvaluation.create({
    data: {
      productId: e.productId,
      evaluatedAt: e.now,
      score,
      blocking,
      failing: e.results.filter((r) => r.outcome === "fail").length,
      trigger: e.trigger,
      version: e.version,
    },
    select: { id: true },
  });
  if (e.results.length)
    await tx.policyResultRecord.createMany({
      data: e.results.map((r) => ({
        evaluationId: evaluation.id,
        policyKey: r.policyKey,
        policyVersion: r.policyVersion ?? 1,
        title: r.title,
        severity: r.severity,
        origin: r.origin as unknown as Prisma.InputJsonValue,
        outcome: r.outcome,
        findings: r.findings as unknown as Prisma.InputJsonValue,
        remediation: r.remediation,
      })),
    });
  return { productSlug: e.slug, evaluatedAt: e.now.toISOString(), score, blocking, results: e.results, trigger: e.trigger };
}

/**
 * The publish gate, inside the save transaction: evaluates the product as it now stands, stores
 * the evaluation, and, when `gate` (publishing or a new version), throws PolicyBlockedError if a
 * blocking policy fails — which rolls the whole save back.
 */
export async function evaluateAndGate(tx: Tx, productId: string, opts: { gate: boolean; what?: string } & EvaluateOptions): Promise<ProductEvaluation> {
  const evaluation = await evaluateProduct(tx, productId, "product_change", opts);
  if (opts.gate) {
    const failing = blockingFailures(evaluation.results);
    if (failing.length) throw new PolicyBlockedError(blockedMessage(opts.what ?? "This product cannot be published", failing), failing);
  }
  return evaluation;
}

export type EvaluateSpecOptions = { version?: string };

/**
 * The wizard's server checks: an unsaved spec against the policies in force for its domain. For a
 * product that exists (and the user may read), the change rules compare with its current version.
 * Nothing is stored.
 */
export async function evaluateSpec(db: Tx, user: Principal, rawSpec: unknown, opts: EvaluateSpecOptions = {}): Promise<PolicyResult[]> {
  authorize(user, "governance.view", null);
  const spec = parseSpec(rawSpec);
  const domain = await db.domain.findUnique({ where: { slug: spec.domain }, select: { id: true, name: true } });
  if (!domain) throw new UserError("Some fields need attention", { status: 400, code: "invalid_input", fieldErrors: { domain: [`No domain "${spec.domain}"`] } });
  const existing = await db.dataProduct.findUnique({ where: { slug: spec.slug }, select: productRefSelect });
  let facts: ProductFacts = { status: "draft", version: opts.version ?? "1.0.0", domainName: domain.name, previous: null };
  if (existing && can(user, "product.read", toProductRef(existing)) && existing.domainId === domain.id) {
    const current = await loadProductSpec(db, existing.id);
    if (current.status !== "draft") {
      const level = highestLevel(classifyChanges(current.spec, spec));
      const suggested = bumpVersion(current.version, level === "none" ? "patch" : level);
      facts = { status: current.status, version: opts.version ?? suggested, domainName: domain.name, previous: { version: current.version, spec: current.spec } };
    }
  }
  const policies = await effectivePolicies(db, domain.id, "product");
  return evaluatePolicies(policies, buildProductDocument(spec, facts), await opaFor(policies));
}

// ---------------------------------------------------------------------------------------------
// Access requests

/**
 * The access gate: evaluates an access request (or extension) against the access policies in force
 * for the product's domain and throws PolicyBlockedError (422) with each failing policy's
 * remediation when a blocking one fails. Returns all results otherwise.
 */
export async function gateAccessRequest(db: Tx, domainId: string, facts: AccessFacts, opts: { cache?: PolicyCache; opa?: OpaEvaluator } = {}): Promise<PolicyResult[]> {
  const policies = await policiesFor(db, domainId, "access", opts.cache);
  if (!policies.length) return [];
  const results = await evaluatePolicies(policies, buildAccessDocument(facts), await opaFor(policies, opts.opa));
  const failing = blockingFailures(results);
  if (failing.length)
    throw new PolicyBlockedError(blockedMessage(facts.request.extension ? "This extension cannot be requested" : "Access cannot be requested", failing), failing);
  return results;
}

// ---------------------------------------------------------------------------------------------
// Reading stored evaluations

type StoredEvaluation = Prisma.PolicyEvaluationGetPayload<{
  select: { evaluatedAt: true; score: true; blocking: true; trigger: true; productId: true; results: true };
}>;

function toEvaluation(e: StoredEvaluation, slug: string): ProductEvaluation {
  return {
    productSlug: slug,
    evaluatedAt: e.evaluatedAt.toISOString(),
    score: e.score,
    blocking: e.blocking,
    trigger: e.trigger as EvaluationTrigger,
    results: e.results.map((r) => ({
      policyKey: r.policyKey,
      title: r.title,
      severity: r.severity as PolicyResult["severity"],
      origin: r.origin as unknown as PolicyOrigin,
      outcome: r.outcome as PolicyResult["outcome"],
      findings: r.findings as unknown as PolicyResult["findings"],
      remediation: r.remediation,
      policyVersion: r.policyVersion,
    })),
  };
}

export type EvaluationFilter = { domain?: string; products?: string[]; limit?: number };

/** Each visible product's latest evaluation (products never evaluated are left out). `governance.view`. */
export async function latestEvaluations(db: Tx, user: Principal, filter: EvaluationFilter = {}): Promise<ProductEvaluation[]> {
  authorize(user, "governance.view", null);
  const products = await db.dataProduct.findMany({
    where: {
      AND: [visibleProductsWhere(user), filter.domain ? { domain: { slug: filter.domain } } : {}, filter.products ? { slug: { in: filter.products } } : {}],
    },
    select: { id: true, slug: true },
    orderBy: { slug: "asc" },
    take: Math.min(filter.limit ?? 500, 5000),
  });
  if (!products.length) return [];
  const slugs = new Map(products.map((p) => [p.id, p.slug]));
  const ids = await db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON (product_id) id::text AS id FROM policy_evaluations
    WHERE product_id IN (${Prisma.join(products.map((p) => Prisma.sql`${p.id}::uuid`))})
    ORDER BY product_id, evaluated_at DESC, id DESC`;
  if (!ids.length) return [];
  const rows = await db.policyEvaluation.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    select: { evaluatedAt: true, score: true, blocking: true, trigger: true, productId: true, results: { orderBy: { policyKey: "asc" } } },
  });
  return rows.map((e) => toEvaluation(e, slugs.get(e.productId)!)).sort((a, b) => a.productSlug.localeCompare(b.productSlug));
}

/** A product's evaluations, newest first (compliance over time). `product.read`. */
export async function evaluationHistory(db: Tx, user: Principal, productSlug: string, limit = 50): Promise<ProductEvaluation[]> {
  authorize(user, "governance.view", null);
  const p = await db.dataProduct.findUnique({ where: { slug: productSlug }, select: productRefSelect });
  if (!p || !can(user, "product.read", toProductRef(p))) throw new NotFoundError("No such product");
  const rows = await db.policyEvaluation.findMany({
    where: { productId: p.id },
    orderBy: [{ evaluatedAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 500),
    select: { evaluatedAt: true, score: true, blocking: true, trigger: true, productId: true, results: { orderBy: { policyKey: "asc" } } },
  });
  return rows.map((e) => toEvaluation(e, p.slug));
}

/**
 * Evaluates one product now and stores it (the "Check again now" button), audited in the same
 * transaction. For those who answer for the product (`product.update`); a product the user may not
 * read is not found.
 */
export async function evaluateNow(db: Db, ctx: { user: Principal; actor: AuditActor }, productSlug: string): Promise<ProductEvaluation> {
  const { user } = ctx;
  authorize(user, "governance.view", null);
  return db.$transaction(async (tx) => {
    const p = await tx.dataProduct.findUnique({ where: { slug: productSlug }, select: productRefSelect });
    if (!p || !can(user, "product.read", toProductRef(p))) throw new NotFoundError("No such product");
    authorize(user, "product.update", toProductRef(p));
    const evaluation = await evaluateProduct(tx, p.id, "manual");
    await recordAudit(tx, ctx.actor, {
      action: "product.policies_checked",
      target: { type: "product", id: p.id },
      after: { score: evaluation.score, blocking: evaluation.blocking, evaluatedAt: evaluation.evaluatedAt },
    });
    return evaluation;
  });
}

// ---------------------------------------------------------------------------------------------
// Re-evaluation after a policy change

export const REEVALUATE_BATCH = 100;

/**
 * Re-evaluates every product in a policy's scope (its domain, or all for a global policy) except
 * retired ones, in batches of REEVALUATE_BATCH products per transaction, in id order. Safe to run
 * again: a repeat adds a newer evaluation of the same state.
 */
export async function reevaluateProducts(db: Db, scope: { domainId: string | null }, opts: { now?: () => Date; batch?: number; signal?: AbortSignal } = {}) {
  const batch = opts.batch ?? REEVALUATE_BATCH;
  const cache: PolicyCache = new Map();
  let after: string | null = null;
  let evaluated = 0;
  for (;;) {
    if (opts.signal?.aborted) break;
    const ids: { id: string }[] = await db.dataProduct.findMany({
      where: { status: { not: "retired" }, ...(scope.domainId ? { domainId: scope.domainId } : {}), ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
      take: batch,
    });
    if (!ids.length) break;
    await db.$transaction(
      async (tx) => {
        for (const { id } of ids) await evaluateProduct(tx, id, "policy_change", { cache, now: opts.now?.() });
      },
      { timeout: 120_000 },
    );
    evaluated += ids.length;
    after = ids.at(-1)!.id;
    if (ids.length < batch) break;
  }
  return { evaluated };
}

/** The outbox handler of `governance.reevaluate`. */
export function reevaluateHandler(): JobHandler {
  return async (job, { db, signal }) => {
    const payload = job.payload as Partial<ReevaluatePayload>;
    return reevaluateProducts(db, { domainId: typeof payload.domainId === "string" ? payload.domainId : null }, { signal });
  };
}

export { GOVERNANCE_REEVALUATE_JOB };
