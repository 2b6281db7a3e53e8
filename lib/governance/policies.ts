import { z } from "zod";
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from "@/lib/audit/record";
import { authorize, type Principal } from "@/lib/auth/permissions";
import { config } from "@/lib/config";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { ConflictError, NotFoundError, UserError } from "@/lib/errors";
import { DEFAULT_POLICIES } from "@/lib/governance/defaults";
import type { EvaluablePolicy } from "@/lib/governance/evaluate";
import {
  effectiveParams,
  effectiveSeverity,
  loosenings,
  parseDefinition,
  policyKeySchema,
  refinementSchema,
  issuesOf,
  type ParamValue,
  type PolicyDefinition,
  type Refinement,
  type RulesDefinition,
} from "@/lib/governance/rules";
import type { PolicyAppliesTo, PolicyDetail, PolicyOrigin, PolicySummary, PolicyVersionEntry } from "@/lib/governance/types";
import { enqueueJob } from "@/lib/jobs/outbox";
import { diffLines } from "@/lib/products/versions";

/**
 * Policies as data: listing what is in force for a domain (global policies, each tightened by the
 * domain's refinement if it has one, plus the domain's own), reading a policy with its history, and
 * creating, changing, disabling and re-enabling policies — versioned (who, why, the diff), audited,
 * authorized through `policy.manage`, and followed by a re-evaluation job over the products in scope.
 */

export const GOVERNANCE_REEVALUATE_JOB = "governance.reevaluate";
export type ReevaluatePayload = { domainId: string | null; policyId: string; version: number };

export type PolicyContext = { user: Principal; actor: AuditActor };

// ---------------------------------------------------------------------------------------------
// Inputs (shared with the routes and forms)

const reason = z.string().trim().min(3, "Say why (at least 3 characters)").max(1000, "At most 1000 characters");

export const createPolicyInput = z.object({
  /** The domain's slug; null or absent for a global policy. */
  domain: z.string().trim().max(63).nullish().transform((v) => v || null),
  key: policyKeySchema,
  /** True: `key` names the global policy this domain tightens, and `definition` is a refinement. */
  refines: z.boolean().default(false),
  definition: z.unknown(),
  reason,
});
export type CreatePolicyInput = z.input<typeof createPolicyInput>;

export const updatePolicyInput = z
  .object({
    definition: z.unknown().optional(),
    enabled: z.boolean().optional(),
    reason,
  })
  .refine((v) => v.definition !== undefined || v.enabled !== undefined, { message: "Change the definition or whether the policy is enabled", path: ["definition"] });
export type UpdatePolicyInput = z.input<typeof updatePolicyInput>;

function invalid(fieldErrors: Record<string, string[]>, message = "The policy needs attention"): never {
  throw new UserError(message, { status: 400, code: "invalid_policy", fieldErrors });
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) invalid(issuesOf(r.error), "Some fields need attention");
  return r.data;
}

function prefixed(errors: Record<string, string[]>, prefix: string) {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k === "_" ? prefix : `${prefix}.${k}`, v]));
}

/** A full definition, or field errors under "definition.…". OPA policies need OPA_URL. */
function validDefinition(raw: unknown): PolicyDefinition {
  const r = parseDefinition(raw);
  if (!r.ok) invalid(prefixed(r.fieldErrors, "definition"));
  if (r.definition.engine === "opa" && config().integrations.opa.mode !== "connected")
    invalid({ "definition.engine": ["OPA is not configured (OPA_URL), so a policy cannot be evaluated by OPA; use rules"] });
  return r.definition;
}

function validRefinement(raw: unknown, global: PolicyDefinition): Refinement {
  const r = refinementSchema.safeParse(raw ?? {});
  if (!r.success) invalid(prefixed(issuesOf(r.error), "definition"));
  const loose = loosenings(global, r.data);
  if (Object.keys(loose).length) {
    const first = Object.values(loose)[0]![0]!;
    throw new UserError(first, { status: 422, code: "policy_loosens", fieldErrors: prefixed(loose, "definition") });
  }
  return r.data;
}

// ---------------------------------------------------------------------------------------------
// Loading

const policySelect = {
  id: true,
  key: true,
  scope: true,
  domainId: true,
  refinesId: true,
  appliesTo: true,
  engine: true,
  enabled: true,
  currentVersion: true,
  updatedAt: true,
  versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, definition: true, changedBy: true } },
} satisfies Prisma.PolicySelect;

type PolicyRow = Prisma.PolicyGetPayload<{ select: typeof policySelect }>;

type DomainInfo = { id: string; slug: string; name: string };

const originOf = (row: { domainId: string | null }, domains: Map<string, DomainInfo>): PolicyOrigin => {
  if (!row.domainId) return { kind: "global" };
  const d = domains.get(row.domainId);
  return { kind: "domain", domainSlug: d?.slug ?? "", domainName: d?.name ?? "" };
};

function render(text: string, params: Record<string, ParamValue>): string {
  return text.replace(/\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : Array.isArray(v) ? v.join(", ") : String(v);
  });
}

function currentDefinition(row: PolicyRow): unknown {
  return row.versions[0]?.definition ?? null;
}

/** A resolved policy: what it says, with a refinement applied over its global policy. */
type Resolved = {
  row: PolicyRow;
  origin: PolicyOrigin;
  refines: string | null;
  definition: PolicyDefinition;
  refinement: Refinement | null;
  title: string;
  rationale: string;
  remediation: string;
  severity: PolicySummary["severity"];
  params: Record<string, ParamValue>;
  enabled: boolean;
};

function resolve(row: PolicyRow, global: PolicyRow | null, domains: Map<string, DomainInfo>): Resolved | null {
  const origin = originOf(row, domains);
  if (row.refinesId) {
    if (!global) return null;
    const gdef = parseDefinition(currentDefinition(global));
    const ref = refinementSchema.safeParse(currentDefinition(row) ?? {});
    if (!gdef.ok || !ref.success) return null;
    const d = gdef.definition;
    const params = d.engine === "rules" ? effectiveParams(d, ref.data) : {};
    const note = ref.data.remediation ? `\n\n${ref.data.remediation}` : "";
    return {
      row,
      origin,
      refines: global.key,
      definition: d,
      refinement: ref.data,
      title: d.title,
      rationale: d.rationale,
      remediation: render(d.remediation, params) + note,
      severity: effectiveSeverity(d.severity, ref.data.severity),
      params,
      // A refinement applies while both it and its global policy are enabled.
      enabled: row.enabled && global.enabled,
    };
  }
  const parsed = parseDefinition(currentDefinition(row));
  if (!parsed.ok) return null;
  const d = parsed.definition;
  const params = d.engine === "rules" ? effectiveParams(d as RulesDefinition) : {};
  return {
    row,
    origin,
    refines: null,
    definition: d,
    refinement: null,
    title: d.title,
    rationale: d.rationale,
    remediation: render(d.remediation, params),
    severity: d.severity,
    params,
    enabled: row.enabled,
  };
}

async function domainsById(db: Tx, ids: (string | null)[]): Promise<Map<string, DomainInfo>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const rows = wanted.length ? await db.domain.findMany({ where: { id: { in: wanted } }, select: { id: true, slug: true, name: true } }) : [];
  return new Map(rows.map((d) => [d.id, d]));
}

async function labelsOf(db: Tx, rows: PolicyRow[]) {
  return rows.map((r) => r.versions[0]?.changedBy ?? null);
}

function summary(r: Resolved, updatedBy: string | null): PolicySummary {
  return {
    id: r.row.id,
    key: r.row.key,
    title: r.title,
    rationale: r.rationale,
    remediation: r.remediation,
    severity: r.severity,
    appliesTo: r.row.appliesTo as PolicyAppliesTo,
    origin: r.origin,
    refines: r.refines,
    version: r.row.currentVersion,
    enabled: r.enabled,
    engine: r.definition.engine,
    updatedAt: r.row.updatedAt.toISOString(),
    updatedBy,
  };
}

/**
 * The policies in force for a domain (enabled only), ready to evaluate: each global policy, replaced
 * by the domain's refinement of it when there is one, and the domain's own policies. No authorization
 * (evaluation runs for every product); `appliesTo` picks product or access policies.
 */
export async function effectivePolicies(db: Tx, domainId: string, appliesTo: PolicyAppliesTo): Promise<EvaluablePolicy[]> {
  const rows = await db.policy.findMany({
    where: { appliesTo, OR: [{ domainId: null }, { domainId }] },
    select: policySelect,
    orderBy: [{ key: "asc" }],
  });
  return resolveForDomain(db, rows, domainId).then((list) =>
    list
      .filter((r) => r.enabled)
      .map((r) => ({
        key: r.row.key,
        title: r.title,
        severity: r.severity,
        remediation: r.remediation,
        origin: r.origin,
        appliesTo,
        version: r.row.currentVersion,
        definition: r.definition,
        params: r.params,
      })),
  );
}

async function resolveForDomain(db: Tx, rows: PolicyRow[], domainId: string | null): Promise<Resolved[]> {
  const domains = await domainsById(db, rows.map((r) => r.domainId));
  const globals = new Map(rows.filter((r) => !r.domainId).map((r) => [r.id, r]));
  const refined = new Set(rows.filter((r) => r.refinesId && r.domainId === domainId && r.enabled).map((r) => r.refinesId!));
  const out: Resolved[] = [];
  for (const row of rows) {
    if (!row.domainId && refined.has(row.id)) continue; // replaced by the domain's tightening
    if (row.refinesId && !row.enabled) continue; // a disabled refinement leaves the global policy in force
    const res = resolve(row, row.refinesId ? (globals.get(row.refinesId) ?? null) : null, domains);
    if (res) out.push(res);
  }
  return out;
}

export type PolicyListFilter = { domain?: string | null; appliesTo?: PolicyAppliesTo; includeDisabled?: boolean };

/**
 * Policies for the governance pages (`governance.view`). With a domain slug: what is in force there,
 * with where each rule comes from (global, the domain's tightening, the domain's own). Without: the
 * global policies and every domain's own and tightening policies.
 */
export async function listPolicies(db: Tx, user: Principal, filter: PolicyListFilter = {}): Promise<PolicySummary[]> {
  authorize(user, "governance.view", null);
  let domainId: string | null = null;
  if (filter.domain) {
    const d = await db.domain.findUnique({ where: { slug: filter.domain }, select: { id: true } });
    if (!d) throw new NotFoundError(`No domain "${filter.domain}"`);
    domainId = d.id;
  }
  const rows = await db.policy.findMany({
    where: { ...(filter.appliesTo ? { appliesTo: filter.appliesTo } : {}), ...(domainId ? { OR: [{ domainId: null }, { domainId }] } : {}) },
    select: policySelect,
    orderBy: [{ key: "asc" }, { createdAt: "asc" }],
  });
  let resolved: Resolved[];
  if (domainId) resolved = await resolveForDomain(db, rows, domainId);
  else {
    const domains = await domainsById(db, rows.map((r) => r.domainId));
    const globals = new Map(rows.filter((r) => !r.domainId).map((r) => [r.id, r]));
    resolved = rows.map((r) => resolve(r, r.refinesId ? (globals.get(r.refinesId) ?? null) : null, domains)).filter((x): x is Resolved => !!x);
  }
  const labels = await labelsOf(db, resolved.map((r) => r.row));
  return resolved.map((r, i) => summary(r, labels[i] ?? null)).filter((s) => filter.includeDisabled !== false || s.enabled);
}

async function loadPolicy(db: Tx, id: string): Promise<PolicyRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("No such policy");
  const row = await db.policy.findUnique({ where: { id }, select: policySelect });
  if (!row) throw new NotFoundError("No such policy");
  return row;
}

/** One policy with every version (who, when, why, the diff to the one before). `governance.view`. */
export async function getPolicy(db: Tx, user: Principal, id: string): Promise<PolicyDetail> {
  authorize(user, "governance.view", null);
  const row = await loadPolicy(db, id);
  const global = row.refinesId ? await db.policy.findUnique({ where: { id: row.refinesId }, select: policySelect }) : null;
  const domains = await domainsById(db, [row.domainId]);
  const res = resolve(row, global, domains);
  if (!res) throw new UserError("This policy's stored definition cannot be read", { status: 500, code: "invalid_policy" });
  const versions = await db.policyVersion.findMany({
    where: { policyId: id },
    orderBy: { version: "asc" },
    select: { version: true, definition: true, enabled: true, changedBy: true, reason: true, createdAt: true },
  });
  const text = (v: { definition: unknown; enabled: boolean }) => `${JSON.stringify(v.definition, null, 2)}\nenabled: ${v.enabled}`;
  const entries: PolicyVersionEntry[] = versions.map((v, i) => ({
    version: v.version,
    changedBy: v.changedBy,
    reason: v.reason,
    createdAt: v.createdAt.toISOString(),
    diff: i === 0 ? [] : diffLines(text(versions[i - 1]!), text(v)),
    definition: v.definition,
  }));
  return {
    ...summary(res, versions.at(-1)?.changedBy ?? null),
    scope: row.scope as PolicyDetail["scope"],
    domainId: row.domainId,
    definition: currentDefinition(row),
    versions: entries.reverse(),
  };
}

// ---------------------------------------------------------------------------------------------
// Changing

async function enqueueReevaluation(tx: Tx, row: { id: string; domainId: string | null; appliesTo: string }, version: number) {
  if (row.appliesTo !== "product") return null;
  const payload: ReevaluatePayload = { domainId: row.domainId, policyId: row.id, version };
  return enqueueJob(tx, {
    kind: GOVERNANCE_REEVALUATE_JOB,
    payload,
    idempotencyKey: `governance-reevaluate:${row.id}:${version}`,
    target: { type: "policy", id: row.id },
  });
}

/**
 * Creates a policy: global (platform admins), a domain's own (its stewards), or a domain's tightening
 * of a global policy (`refines: true`; its stewards; only stricter parameters and severity). Version 1
 * is recorded with the reason, the change audited, and the products in scope re-evaluated by a job.
 */
export async function createPolicy(db: Db, ctx: PolicyContext, raw: CreatePolicyInput): Promise<PolicySummary> {
  const input = parse(createPolicyInput, raw);
  return db.$transaction(async (tx) => {
    let domain: DomainInfo | null = null;
    if (input.domain) {
      domain = await tx.domain.findUnique({ where: { slug: input.domain }, select: { id: true, slug: true, name: true } });
      if (!domain) invalid({ domain: [`No domain "${input.domain}"`] });
    }
    authorize(ctx.user, "policy.manage", { domainId: domain?.id ?? null });
    const global = await tx.policy.findFirst({ where: { key: input.key, domainId: null }, select: policySelect });
    let definition: unknown;
    let appliesTo: string;
    let engine: string;
    let refinesId: string | null = null;
    if (input.refines) {
      if (!domain) invalid({ refines: ["Only a domain tightens a global policy; a global policy is changed instead"] });
      if (!global) invalid({ key: [`No global policy "${input.key}" to tighten`] });
      const gdef = parseDefinition(currentDefinition(global));
      if (!gdef.ok) throw new UserError("The global policy's stored definition cannot be read", { status: 500, code: "invalid_policy" });
      definition = validRefinement(input.definition, gdef.definition);
      appliesTo = global.appliesTo;
      engine = global.engine;
      refinesId = global.id;
    } else {
      if (domain && global)
        invalid({ key: [`"${input.key}" is a global policy: tighten it for ${domain.name} instead of adding a policy with the same key`] });
      if (!domain) {
        const clash = await tx.policy.findFirst({ where: { key: input.key, domainId: { not: null }, refinesId: null }, select: { id: true } });
        if (clash) invalid({ key: [`A domain already has its own policy "${input.key}"; choose another key`] });
      }
      const d = validDefinition(input.definition);
      definition = d;
      appliesTo = d.appliesTo;
      engine = d.engine;
    }
    const taken = await tx.policy.findFirst({ where: { key: input.key, domainId: domain?.id ?? null }, select: { id: true } });
    if (taken) throw new ConflictError(domain ? `${domain.name} already has a policy "${input.key}"` : `A global policy "${input.key}" exists already`);
    const now = new Date();
    const created = await tx.policy.create({
      data: {
        key: input.key,
        scope: domain ? "domain" : "global",
        domainId: domain?.id ?? null,
        refinesId,
        appliesTo,
        engine,
        enabled: true,
        currentVersion: 1,
        createdAt: now,
        updatedAt: now,
        versions: {
          create: {
            version: 1,
            definition: definition as Prisma.InputJsonValue,
            enabled: true,
            changedById: ctx.actor.id,
            changedBy: ctx.actor.label,
            reason: input.reason,
            createdAt: now,
          },
        },
      },
      select: policySelect,
    });
    await recordAudit(tx, ctx.actor, {
      action: "policy.created",
      target: { type: "policy", id: created.id },
      after: { key: input.key, scope: created.scope, domain: domain?.slug ?? null, refines: input.refines ? input.key : null, version: 1, reason: input.reason, definition },
    });
    await enqueueReevaluation(tx, created, 1);
    const domains = new Map(domain ? [[domain.id, domain]] : []);
    const res = resolve(created, refinesId ? global : null, domains)!;
    return summary(res, ctx.actor.label);
  });
}

/**
 * Changes a policy's definition and/or whether it is enabled, as a new version with the reason.
 * Global policies: platform admins. Domain policies and tightenings: the domain's stewards (and
 * admins); a tightening is checked again against the global policy as it stands.
 */
export async function updatePolicy(db: Db, ctx: PolicyContext, id: string, raw: UpdatePolicyInput): Promise<PolicySummary> {
  const input = parse(updatePolicyInput, raw);
  return db.$transaction(async (tx) => {
    const row = await loadPolicy(tx, id);
    authorize(ctx.user, "policy.manage", { domainId: row.domainId });
    // One change at a time per policy, so two editors cannot both write version n+1.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`policy:${id}`}))`;
    const fresh = await loadPolicy(tx, id);
    const global = fresh.refinesId ? await tx.policy.findUnique({ where: { id: fresh.refinesId }, select: policySelect }) : null;
    let definition: unknown = currentDefinition(fresh);
    if (input.definition !== undefined) {
      if (fresh.refinesId) {
        const gdef = parseDefinition(global ? currentDefinition(global) : null);
        if (!gdef.ok) throw new UserError("The global policy's stored definition cannot be read", { status: 500, code: "invalid_policy" });
        definition = validRefinement(input.definition, gdef.definition);
      } else {
        const d = validDefinition(input.definition);
        if (d.appliesTo !== fresh.appliesTo)
          invalid({ "definition.appliesTo": [`This policy applies to ${fresh.appliesTo === "product" ? "products" : "access requests"}; create a new policy for the other`] });
        definition = d;
      }
    }
    const enabled = input.enabled ?? fresh.enabled;
    if (JSON.stringify(definition) === JSON.stringify(currentDefinition(fresh)) && enabled === fresh.enabled)
      throw new UserError("Nothing changed: the policy is already like this", { code: "no_change" });
    const version = fresh.currentVersion + 1;
    const now = new Date();
    await tx.policyVersion.create({
      data: { policyId: id, version, definition: definition as Prisma.InputJsonValue, enabled, changedById: ctx.actor.id, changedBy: ctx.actor.label, reason: input.reason, createdAt: now },
    });
    const updated = await tx.policy.update({
      where: { id },
      data: {
        currentVersion: version,
        enabled,
        updatedAt: now,
        ...(definition && typeof definition === "object" && "engine" in definition ? { engine: String((definition as { engine: unknown }).engine) } : {}),
      },
      select: policySelect,
    });
    const action = enabled !== fresh.enabled ? (enabled ? "policy.enabled" : "policy.disabled") : "policy.updated";
    await recordAudit(tx, ctx.actor, {
      action,
      target: { type: "policy", id },
      before: { version: fresh.currentVersion, enabled: fresh.enabled, definition: currentDefinition(fresh) },
      after: { version, enabled, definition, reason: input.reason },
    });
    await enqueueReevaluation(tx, updated, version);
    const domains = await domainsById(tx, [updated.domainId]);
    return summary(resolve(updated, global, domains)!, ctx.actor.label);
  });
}

/** Disables a policy (a new version, so the history shows who and why). */
export function disablePolicy(db: Db, ctx: PolicyContext, id: string, why: string) {
  return updatePolicy(db, ctx, id, { enabled: false, reason: why });
}

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * Seeds the default global policies into an empty policies table, audited as the system. Does
 * nothing when any policy exists (an admin's deletions and changes are never undone). Returns how
 * many were created.
 */
export async function seedDefaultPolicies(tx: Tx, opts: { now?: Date; actor?: AuditActor } = {}): Promise<number> {
  const actor = opts.actor ?? SYSTEM_ACTOR;
  // Serialize concurrent start-ups (several replicas) on the same check.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('governance:default-policies'))`;
  if (await tx.policy.findFirst({ select: { id: true } })) return 0;
  const now = opts.now ?? new Date();
  for (const p of DEFAULT_POLICIES) {
    const created = await tx.policy.create({
      data: {
        key: p.key,
        scope: "global",
        appliesTo: p.definition.appliesTo,
        engine: p.definition.engine,
        enabled: true,
        currentVersion: 1,
        createdAt: now,
        updatedAt: now,
        versions: {
          create: {
            version: 1,
            definition: p.definition as unknown as Prisma.InputJsonValue,
            enabled: true,
            changedById: actor.id,
            changedBy: actor.label,
            reason: "Default policy shipped with Canopy",
            createdAt: now,
          },
        },
      },
      select: { id: true },
    });
    await recordAudit(tx, actor, {
      action: "policy.created",
      target: { type: "policy", id: created.id },
      after: { key: p.key, scope: "global", version: 1, reason: "Default policy shipped with Canopy" },
    });
  }
  return DEFAULT_POLICIES.length;
}

/** Start-up: default policies for an empty table, in their own transaction. */
export async function ensureDefaultPolicies(db: Db): Promise<number> {
  if (await db.policy.findFirst({ select: { id: true } })) return 0;
  return db.$transaction((tx) => seedDefaultPolicies(tx));
}
