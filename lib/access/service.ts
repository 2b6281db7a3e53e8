import type { z } from "zod";
import { effectiveClassification, readContract, resolveApprovers, stepDeciderIds } from "@/lib/access/approvers";
import { gateAccessRequest } from "@/lib/governance/service";
import { ACCESS_GRANT_JOB, ACCESS_JOB_TARGET, ACCESS_REVOKE_JOB, grantJobKey, revokeJobKey } from "@/lib/access/jobs";
import {
  accessRequestRefSelect,
  AUTO_APPROVAL_RULES,
  extensionOptions,
  getRequestDetail,
  isLive,
  REVOCABLE_STATUSES,
  toAccessRequestRef,
  type AccessRequestDetail,
} from "@/lib/access/queries";
import {
  decideExtensionInput,
  decideInput,
  decideManyInput,
  extensionInput,
  MAX_ACCESS_DAYS,
  OPEN_STATUSES,
  requestAccessInput,
  requestRefInput,
  revokeInput,
  type DecideInput,
  type DecideManyInput,
  type RequestAccessInput,
  type RequestAccessValues,
} from "@/lib/access/schemas";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { authorize, can, ownsProduct, type AccessRequestRef, type Principal, type ProductRef } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { ConflictError, ForbiddenError, NotFoundError, UserError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/http/operation";
import { enqueueJob } from "@/lib/jobs/outbox";
import { notify } from "@/lib/notifications/service";
import { scopesAllow, scopesFor } from "@/lib/tokens/scopes";

export {
  countWaiting,
  getRequestDetail,
  listAccessInbox,
  listProductGrants,
  myAccessToProduct,
  type AccessActions,
  type AccessRequestDetail,
  type AccessRequestItem,
  type MyPortAccess,
  type ProductGrant,
} from "@/lib/access/queries";

/**
 * The access-request workflow: request, decide (one or two steps, or an auto-approval rule),
 * cancel, revoke, extend, retry. Every transition runs in one transaction that
 *   - re-reads the request and checks the permission module and the request's state,
 *   - writes the change with `updateMany({ where: { id, revision } })` and increments the revision:
 *     when someone else changed the request first the update matches nothing, the transaction rolls
 *     back and the caller gets a 409 that says what happened ("Already decided by … a moment ago"),
 *   - records the audit event, notifies the people concerned and enqueues the outbox job, if any.
 * Final approval moves the request to "provisioning" and enqueues ACCESS_GRANT_JOB; revocation
 * enqueues ACCESS_REVOKE_JOB. Every function takes the clock as a parameter (`now`) for tests.
 */

export type AccessContext = { user: Principal; actor: AuditActor };

const DAY_MS = 86_400_000;
/** Room for many approvers deciding at the same moment: each waits its turn for the row. */
const TX_OPTIONS = { maxWait: 20_000, timeout: 30_000 };
const TARGET = ACCESS_JOB_TARGET;

const link = (id: string) => `/access/requests/${id}`;
const day = (d: Date) => d.toISOString().slice(0, 10);
const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** How long ago, for messages: "a moment ago", "5 minutes ago", "3 days ago", "on 2026-01-31". */
export function ago(at: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (s < 90) return "a moment ago";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minutes ago`;
  const h = Math.round(m / 60);
  if (h < 24) return h === 1 ? "an hour ago" : `${h} hours ago`;
  const d = Math.round(h / 24);
  if (d === 1) return "yesterday";
  if (d < 31) return `${d} days ago`;
  return `on ${day(at)}`;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new UserError("Some fields need attention", { status: 400, code: "invalid_input", fieldErrors: fieldErrorsOf(r.error) });
  return r.data;
}

/** The user as far as seeing things goes, whatever an API token in use is scoped to. */
const seeing = (user: Principal): Principal => ({ ...user, tokenScopes: undefined });

type RequestAction = "access.decide" | "access.cancel" | "access.extend" | "access.revoke" | "access.retry";

/** Like authorize(), with a message that says who may do it instead of a bare "forbidden". */
function allow(user: Principal, action: RequestAction, ref: AccessRequestRef, why: string): void {
  if (can(user, action, ref)) return;
  // Only the API token's scopes are in the way: authorize() says which scope is missing.
  if (user.tokenScopes && can(seeing(user), action, ref)) authorize(user, action, ref);
  throw new ForbiddenError(why);
}

/**
 * Refuses an API token whose scopes do not cover reading access requests (lists and counts filter
 * rows by permission, so without this a token would get an empty answer instead of a clear 403).
 */
export function requireAccessReadScope(user: Principal): void {
  if (!user.tokenScopes || scopesAllow(user.tokenScopes, "access.view")) return;
  throw new UserError(`This API token does not have the scope this needs (${scopesFor("access.view").join(" or ")})`, { status: 403, code: "insufficient_scope" });
}

function whyNotDecide(user: Principal, ref: AccessRequestRef, level: number): string {
  if (ref.requesterId === user.id) return "Nobody decides on their own request; the port's approvers, the product's owners or a steward will";
  if (ref.earlierApproverIds?.includes(user.id)) return `You approved step ${level - 1}; step ${level} needs someone else`;
  if (ref.approverIds?.length)
    return "Only the approvers the port's contract names for this step, stewards of the product's domain and platform admins decide on this request";
  return "Only the product's owners, stewards of its domain and platform admins decide on this request";
}

// ---------------------------------------------------------------------------------------------
// Loading a request for a transition

const transitionSelect = {
  ...accessRequestRefSelect,
  id: true,
  revision: true,
  level: true,
  levels: true,
  purpose: true,
  purposeCategory: true,
  durationDays: true,
  expiresAt: true,
  extensionDays: true,
  decidedAt: true,
  revokedAt: true,
  revokedById: true,
  updatedAt: true,
  approvals: { orderBy: { createdAt: "asc" }, select: { deciderId: true, decision: true, level: true, rule: true, createdAt: true } },
  requester: { select: { name: true } },
  decidedBy: { select: { name: true } },
  port: { select: { id: true, name: true, contract: true, product: { select: { ...productRefSelect, classification: true } } } },
} as const;

type Loaded = NonNullable<Awaited<ReturnType<typeof loadRequest>>>;

async function loadRequest(tx: Tx, id: string) {
  return tx.accessRequest.findUnique({ where: { id }, select: transitionSelect });
}

/** Loads a request the user may see, or answers "not found" (also for ones they may not see). */
async function loadVisible(tx: Tx, user: Principal, id: string): Promise<{ r: Loaded; ref: AccessRequestRef }> {
  const r = await loadRequest(tx, id);
  const ref = r ? toAccessRequestRef(r) : null;
  if (!r || !ref || !can(seeing(user), "access.view", ref)) throw new NotFoundError("No such access request");
  return { r, ref };
}

const what = (r: Loaded) => `${r.port.product.name} / ${r.port.name}`;

async function nameOf(tx: Tx, userId: string | null | undefined): Promise<string> {
  if (!userId) return "someone";
  return (await tx.user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? "a former user";
}

/** Who made the decision that closed step `level` (or the request), for messages. */
async function deciderLabel(tx: Tx, r: Loaded, level?: number): Promise<{ who: string; at: Date; decision: string } | null> {
  const approvals = r.approvals.filter((a) => level === undefined || a.level === level);
  const last = approvals.at(-1);
  if (!last) return null;
  const who = last.rule ? `an automatic rule (${AUTO_APPROVAL_RULES[last.rule as keyof typeof AUTO_APPROVAL_RULES] ?? last.rule})` : await nameOf(tx, last.deciderId);
  return { who, at: last.createdAt, decision: last.decision };
}

/** Thrown inside a transaction when the row's revision moved on: someone else changed it first. */
class StaleRequest extends Error {}

/**
 * Why a decision cannot be made on the request as it stands now: what happened to it, by whom and
 * when. Used both when the state is already wrong on reading and when a concurrent writer won.
 */
async function decisionConflict(tx: Tx, r: Loaded, now: Date): Promise<ConflictError> {
  if (r.status === "pending") {
    const earlier = r.level > 1 ? await deciderLabel(tx, r, r.level - 1) : null;
    if (earlier)
      return new ConflictError(`Step ${r.level - 1} was already approved by ${earlier.who} ${ago(earlier.at, now)}; the request now waits for step ${r.level}`);
    return new ConflictError("This request changed since you opened it; reload it and decide again");
  }
  if (r.status === "cancelled") return new ConflictError(`${r.requester.name} cancelled this request ${ago(r.updatedAt, now)}; there is nothing to decide`);
  const d = await deciderLabel(tx, r);
  const decision = r.status === "rejected" ? "rejected" : "approved";
  const who = d ? d.who : r.decidedBy?.name ?? "someone";
  const at = d?.at ?? r.decidedAt ?? r.updatedAt;
  const after =
    r.status === "revoked" ? "; access has since been revoked" : r.status === "expired" ? "; the grant has since expired" : "";
  return new ConflictError(`Already decided by ${who} ${ago(at, now)} (${decision})${after}`);
}

/** Runs a transition; a lost race is answered with what the winner did. */
async function transition<T>(db: Db, id: string, now: Date, conflict: (tx: Tx, latest: Loaded) => Promise<ConflictError>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(fn, TX_OPTIONS);
  } catch (err) {
    if (!(err instanceof StaleRequest)) throw err;
    const latest = await loadRequest(db, id);
    if (!latest) throw new NotFoundError("No such access request");
    throw await conflict(db, latest);
  }
}

/** The conditional write every transition makes; count 0 means another writer came first. */
async function write(tx: Tx, r: Loaded, data: Prisma.AccessRequestUncheckedUpdateManyInput, now: Date) {
  const { count } = await tx.accessRequest.updateMany({
    where: { id: r.id, revision: r.revision },
    data: { ...data, revision: { increment: 1 }, updatedAt: now },
  });
  if (count !== 1) throw new StaleRequest();
  return r.revision + 1;
}

// ---------------------------------------------------------------------------------------------
// Requesting

type ProductForRequest = ProductRef & { slug: string; name: string; classification: string };

/** The end of access and the duration in days, from a duration or a last day (UTC). */
function expiryOf(input: RequestAccessValues, now: Date): { durationDays: number; requestedUntil: Date | null } {
  if (input.durationDays !== undefined) return { durationDays: input.durationDays, requestedUntil: null };
  const until = input.until!;
  const first = new Date(`${until}T00:00:00.000Z`);
  if (Number.isNaN(first.getTime()) || day(first) !== until) throw new UserError("Some fields need attention", { fieldErrors: { until: ["Not a date"] } });
  const tomorrow = new Date(startOfDay(now).getTime() + DAY_MS);
  if (first.getTime() < tomorrow.getTime())
    throw new UserError("Some fields need attention", { fieldErrors: { until: [`Choose a day from tomorrow (${day(tomorrow)}) on`] } });
  // Access lasts through the whole last day.
  const end = new Date(first.getTime() + DAY_MS);
  const cap = now.getTime() + MAX_ACCESS_DAYS * DAY_MS;
  if (end.getTime() > cap) {
    const latest = new Date(startOfDay(new Date(cap)).getTime() - DAY_MS);
    throw new UserError("Some fields need attention", { fieldErrors: { until: [`Access lasts at most ${MAX_ACCESS_DAYS} days: choose ${day(latest)} or earlier`] } });
  }
  return { durationDays: Math.ceil((end.getTime() - now.getTime()) / DAY_MS), requestedUntil: end };
}

async function resolvePrincipal(
  db: Tx,
  user: Principal,
  principal: RequestAccessValues["principal"],
  product: ProductForRequest,
): Promise<{ type: "user" | "group" | "product"; ref: string; label: string }> {
  const refused = (message: string): never => {
    throw new UserError("Some fields need attention", { fieldErrors: { "principal.ref": [message] } });
  };
  if (principal.type === "user") return { type: "user", ref: user.id, label: user.name };
  if (principal.type === "group") {
    const [me, teams] = await Promise.all([
      db.user.findUnique({ where: { id: user.id }, select: { groups: true } }),
      user.teamIds.length ? db.team.findMany({ where: { id: { in: [...user.teamIds] } }, select: { slug: true, name: true } }) : [],
    ]);
    const team = teams.find((t) => t.slug === principal.ref);
    if (team) return { type: "group", ref: team.slug, label: team.name };
    if (me?.groups.includes(principal.ref)) return { type: "group", ref: principal.ref, label: principal.ref };
    const yours = [...teams.map((t) => t.slug), ...(me?.groups ?? [])];
    return refused(
      yours.length
        ? `You can request access for a team or group you belong to: ${[...new Set(yours)].sort().join(", ")}`
        : "You belong to no team or group; request access for yourself instead",
    );
  }
  const consumer = await db.dataProduct.findUnique({ where: { slug: principal.ref }, select: { ...productRefSelect } });
  if (!consumer || !can(seeing(user), "product.read", toProductRef(consumer))) return refused(`No data product "${principal.ref}"`);
  if (!ownsProduct(user, toProductRef(consumer))) return refused(`You can request access for a data product you own; you do not own ${consumer.name}`);
  if (consumer.status === "retired") return refused(`${consumer.name} is retired and reads no data`);
  if (consumer.id === product.id) return refused("A data product reads its own ports without a grant");
  return { type: "product", ref: consumer.slug, label: consumer.name };
}

/** The auto-approval rule that lets a request through without a person, if any. Multi-step requests always need people. */
function autoApprovalRule(user: Principal, levels: number, product: { ownerTeamId: string | null }, classification: string): keyof typeof AUTO_APPROVAL_RULES | null {
  if (levels > 1) return null;
  if (product.ownerTeamId && user.teamIds.includes(product.ownerTeamId)) return "same-team";
  if (classification === "public") return "public-port";
  return null;
}

/** Requests access to an output port of a published (or deprecated) product. */
export async function requestAccess(db: Db, ctx: AccessContext, raw: RequestAccessInput, now = new Date()): Promise<AccessRequestDetail> {
  const input = parse(requestAccessInput, raw);
  const user = ctx.user;
  const found = await db.dataProduct.findUnique({
    where: { slug: input.product },
    select: {
      ...productRefSelect,
      classification: true,
      domain: { select: { slug: true } },
      outputPorts: {
        where: { name: input.port },
        select: { id: true, name: true, type: true, classification: true, contract: true, fields: { where: { pii: true }, select: { id: true }, take: 1 } },
      },
    },
  });
  // Whether the product is visible is not what an API token is asked for: its scope covers access.request.
  if (!found || !can(seeing(user), "product.read", toProductRef(found)))
    throw new UserError(`No data product "${input.product}"`, { status: 404, code: "not_found", fieldErrors: { product: [`No data product "${input.product}"`] } });
  const product: ProductForRequest = { ...toProductRef(found), slug: found.slug, name: found.name, classification: found.classification };
  if (product.status !== "published" && product.status !== "deprecated")
    throw new ConflictError(`${found.name} is ${product.status === "draft" ? "not published yet" : "retired"}: access can be requested to published and deprecated products only`);
  authorize(user, "access.request", product);
  const port = found.outputPorts[0];
  if (!port)
    throw new UserError(`${found.name} has no output port "${input.port}"`, { status: 404, code: "not_found", fieldErrors: { port: [`${found.name} has no output port "${input.port}"`] } });

  const principal = await resolvePrincipal(db, user, input.principal, product);
  const { durationDays, requestedUntil } = expiryOf(input, now);
  const contract = readContract(port.contract);
  const classification = effectiveClassification(port, product);
  // Governance: access policies of the product's domain (e.g. maximum duration, purpose category for restricted data).
  await gateAccessRequest(db, product.domainId, {
    request: { durationDays, purpose: input.purpose, purposeCategory: input.purposeCategory ?? null, principalType: principal.type, extension: false },
    port: { name: port.name, type: port.type, classification, hasPii: port.fields.length > 0 },
    product: { slug: product.slug, domain: found.domain.slug, classification: product.classification, status: product.status },
  });

  const id = await db.$transaction(async (tx) => {
    // One request at a time per port and principal, so two submissions cannot both pass the duplicate check.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`access-request:${port.id}:${principal.type}:${principal.ref}`}))`;
    const open = await tx.accessRequest.findFirst({
      where: {
        portId: port.id,
        principalType: principal.type,
        principalRef: principal.ref,
        OR: [
          { status: { in: OPEN_STATUSES.filter((s) => s !== "active") } },
          { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        ],
      },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true },
    });
    if (open) {
      const message = `There is already an open request (${open.status}) for ${found.name} / ${port.name} for ${principal.type === "user" ? "you" : principal.label}: ${link(open.id)}`;
      throw new UserError(message, { status: 409, code: "duplicate_request", fieldErrors: { port: [message] } });
    }

    const approvers = await resolveApprovers(tx, contract);
    const created = await tx.accessRequest.create({
      data: {
        portId: port.id,
        requesterId: user.id,
        principalType: principal.type,
        principalRef: principal.ref,
        purpose: input.purpose,
        purposeCategory: input.purposeCategory ?? null,
        durationDays,
        // For a request with an end date, the date asked for; set for every grant on approval.
        expiresAt: requestedUntil,
        workload: input.workload ?? null,
        termsAcceptedAt: now,
        level: 1,
        levels: approvers.levels,
        approverIds: approvers.approverIds,
        secondApproverIds: approvers.secondApproverIds,
        createdAt: now,
        updatedAt: now,
      },
      select: { id: true },
    });
    await recordAudit(tx, ctx.actor, {
      action: "access.requested",
      target: { type: TARGET, id: created.id },
      after: {
        product: product.slug,
        port: port.name,
        principal: { type: principal.type, ref: principal.ref },
        purpose: input.purpose,
        purposeCategory: input.purposeCategory ?? null,
        durationDays,
        until: requestedUntil,
        workload: input.workload ?? null,
        levels: approvers.levels,
        termsAcceptedAt: now,
      },
    });

    const r = (await loadRequest(tx, created.id))!;
    const forWhom = principal.type === "user" ? user.name : `${user.name} (for ${principal.label})`;
    const rule = autoApprovalRule(user, approvers.levels, product, classification);
    const deciders = await stepDeciderIds(tx, { requesterId: user.id, approverIds: approvers.approverIds, product });
    if (rule) {
      await approve(tx, r, { id: null, label: `rule:${rule}`, requestId: ctx.actor.requestId }, { deciderId: null, rule, note: "" }, now);
      await notify(tx, {
        userIds: deciders,
        kind: "access.auto_approved",
        title: `${forWhom} was granted access to ${what(r)}`,
        body: `Approved automatically: ${AUTO_APPROVAL_RULES[rule]}. Purpose: ${input.purpose}`,
        link: link(r.id),
      });
    } else {
      await notify(tx, {
        userIds: deciders,
        kind: "access.requested",
        title: `${forWhom} requests access to ${what(r)}`,
        body: `${approvers.levels > 1 ? `Step 1 of ${approvers.levels}. ` : ""}For ${durationDays} days. Purpose: ${input.purpose}`,
        link: link(r.id),
      });
    }
    return created.id;
  }, TX_OPTIONS);
  return (await getRequestDetail(db, user, id, now))!;
}

// ---------------------------------------------------------------------------------------------
// Deciding

/** Final approval: provisioning, with the grant's end, PII unmasking for the purpose, and the grant job. */
async function approve(tx: Tx, r: Loaded, actor: AuditActor, by: { deciderId: string | null; rule: string | null; note: string }, now: Date) {
  let expiresAt: Date;
  if (r.expiresAt) {
    if (r.expiresAt.getTime() <= now.getTime())
      throw new ConflictError(`The end date asked for (${day(new Date(r.expiresAt.getTime() - DAY_MS))}) has passed; reject the request and the requester can ask again`);
    expiresAt = r.expiresAt;
  } else expiresAt = new Date(now.getTime() + r.durationDays * DAY_MS);
  const contract = readContract(r.port.contract);
  const piiUnmasked = r.purposeCategory !== null && (contract.piiPurposes as string[]).includes(r.purposeCategory);
  const revision = await write(
    tx,
    r,
    { status: "provisioning", decidedById: by.deciderId, decidedAt: now, decisionNote: by.note || null, expiresAt, piiUnmasked },
    now,
  );
  await tx.accessApproval.create({
    data: { requestId: r.id, level: r.level, decision: "approved", deciderId: by.deciderId, rule: by.rule, note: by.note, createdAt: now },
  });
  await recordAudit(tx, actor, {
    action: "access.approved",
    target: { type: TARGET, id: r.id },
    before: { status: r.status, level: r.level },
    after: { status: "provisioning", level: r.level, levels: r.levels, expiresAt, piiUnmasked, ...(by.rule ? { rule: by.rule } : {}), ...(by.note ? { note: by.note } : {}) },
  });
  await enqueueJob(tx, {
    kind: ACCESS_GRANT_JOB,
    payload: { requestId: r.id },
    idempotencyKey: grantJobKey(r.id, revision),
    target: { type: TARGET, id: r.id },
  });
  const who = by.rule ? `Approved automatically (${AUTO_APPROVAL_RULES[by.rule as keyof typeof AUTO_APPROVAL_RULES] ?? by.rule})` : `${await nameOf(tx, by.deciderId)} approved your request`;
  await notify(tx, {
    userIds: [r.requesterId].filter((id) => id !== by.deciderId),
    kind: "access.approved",
    title: `Access to ${what(r)} approved`,
    body: `${who}${by.note ? `: ${by.note}` : ""}. Canopy is setting it up now; it runs until ${day(expiresAt)}.${piiUnmasked ? " Personal data is shown unmasked for your purpose." : ""}`,
    link: link(r.id),
  });
}

async function decideInTx(tx: Tx, ctx: AccessContext, input: z.output<typeof decideInput>, now: Date) {
  const { r, ref } = await loadVisible(tx, ctx.user, input.requestId);
  // A decision made on a page that is out of date is answered with what changed, before anything else.
  if (input.revision !== undefined && input.revision !== r.revision) throw await decisionConflict(tx, r, now);
  allow(ctx.user, "access.decide", ref, whyNotDecide(ctx.user, ref, r.level));
  if (r.status !== "pending") throw await decisionConflict(tx, r, now);
  const deciderName = ctx.user.name;

  if (input.decision === "reject") {
    await write(tx, r, { status: "rejected", decidedById: ctx.user.id, decidedAt: now, decisionNote: input.note || null, extensionDays: null }, now);
    await tx.accessApproval.create({
      data: { requestId: r.id, level: r.level, decision: "rejected", deciderId: ctx.user.id, note: input.note, createdAt: now },
    });
    await recordAudit(tx, ctx.actor, {
      action: "access.rejected",
      target: { type: TARGET, id: r.id },
      before: { status: r.status, level: r.level },
      after: { status: "rejected", level: r.level, levels: r.levels, ...(input.note ? { note: input.note } : {}) },
    });
    await notify(tx, {
      userIds: [r.requesterId],
      kind: "access.rejected",
      title: `Access to ${what(r)} rejected`,
      body: `${deciderName} rejected your request${input.note ? `: ${input.note}` : "."}`,
      link: link(r.id),
    });
    return;
  }

  if (r.level < r.levels) {
    // An earlier step: the next step's approvers take over.
    const next = r.level + 1;
    await write(tx, r, { level: next, approverIds: r.secondApproverIds, secondApproverIds: [] }, now);
    await tx.accessApproval.create({
      data: { requestId: r.id, level: r.level, decision: "approved", deciderId: ctx.user.id, note: input.note, createdAt: now },
    });
    await recordAudit(tx, ctx.actor, {
      action: "access.step_approved",
      target: { type: TARGET, id: r.id },
      before: { status: r.status, level: r.level },
      after: { status: "pending", level: r.level, levels: r.levels, nextLevel: next, ...(input.note ? { note: input.note } : {}) },
    });
    await notify(tx, {
      userIds: [r.requesterId],
      kind: "access.step_approved",
      title: `Step ${r.level} of ${r.levels} approved: ${what(r)}`,
      body: `${deciderName} approved step ${r.level}${input.note ? `: ${input.note}` : ""}. The request now waits for step ${next}.`,
      link: link(r.id),
    });
    const deciders = await stepDeciderIds(tx, { requesterId: r.requesterId, approverIds: r.secondApproverIds, product: r.port.product });
    await notify(tx, {
      userIds: deciders.filter((id) => id !== ctx.user.id),
      kind: "access.requested",
      title: `Step ${next} of ${r.levels}: ${r.requester.name} requests access to ${what(r)}`,
      body: `${deciderName} approved step ${r.level}. Purpose: ${r.purpose}`,
      link: link(r.id),
    });
    return;
  }
  await approve(tx, r, ctx.actor, { deciderId: ctx.user.id, rule: null, note: input.note }, now);
}

/**
 * Approves or rejects the current step of a pending request. Passing the `revision` the decider saw
 * refuses the decision when the request changed since (for example, step 1 was approved meanwhile).
 */
export async function decideAccess(db: Db, ctx: AccessContext, raw: DecideInput, now = new Date()): Promise<AccessRequestDetail> {
  const input = parse(decideInput, raw);
  await transition(db, input.requestId, now, (tx, latest) => decisionConflict(tx, latest, now), (tx) => decideInTx(tx, ctx, input, now));
  return (await getRequestDetail(db, ctx.user, input.requestId, now))!;
}

/** Decides several requests with the same decision and note; each one on its own, so one refusal does not stop the rest. */
export async function decideMany(
  db: Db,
  ctx: AccessContext,
  raw: DecideManyInput,
  now = new Date(),
): Promise<{ decided: string[]; failed: { id: string; error: string }[] }> {
  const input = parse(decideManyInput, raw);
  const decided: string[] = [];
  const failed: { id: string; error: string }[] = [];
  for (const requestId of input.requestIds) {
    try {
      await transition(db, requestId, now, (tx, latest) => decisionConflict(tx, latest, now), (tx) =>
        decideInTx(tx, ctx, { requestId, decision: input.decision, note: input.note, revision: undefined }, now),
      );
      decided.push(requestId);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      failed.push({ id: requestId, error: err.message });
    }
  }
  return { decided, failed };
}

// ---------------------------------------------------------------------------------------------
// Cancelling, revoking

/** The requester withdraws a request that waits for a decision. */
export async function cancelRequest(db: Db, ctx: AccessContext, raw: { requestId: string }, now = new Date()): Promise<AccessRequestDetail> {
  const { requestId } = parse(requestRefInput, raw);
  const conflict = async (tx: Tx, r: Loaded) =>
    r.status === "cancelled"
      ? new ConflictError(`You already cancelled this request ${ago(r.updatedAt, now)}`)
      : r.status === "pending"
        ? new ConflictError("This request changed since you opened it; reload it and try again")
        : decisionConflict(tx, r, now).then((e) => new ConflictError(`${e.message}; ${r.status === "rejected" ? "there is nothing to cancel" : "ask the product's owners to revoke access if you no longer need it"}`));
  await transition(db, requestId, now, conflict, async (tx) => {
    const { r, ref } = await loadVisible(tx, ctx.user, requestId);
    allow(ctx.user, "access.cancel", ref, "Only the requester can cancel a request");
    if (r.status !== "pending") throw await conflict(tx, r);
    await write(tx, r, { status: "cancelled" }, now);
    await recordAudit(tx, ctx.actor, {
      action: "access.cancelled",
      target: { type: TARGET, id: r.id },
      before: { status: r.status, level: r.level },
      after: { status: "cancelled" },
    });
    await notify(tx, {
      userIds: await stepDeciderIds(tx, { requesterId: r.requesterId, approverIds: r.approverIds, product: r.port.product }),
      kind: "access.cancelled",
      title: `${r.requester.name} cancelled their request for ${what(r)}`,
      body: "Nothing to decide any more.",
      link: link(r.id),
    });
  });
  return (await getRequestDetail(db, ctx.user, requestId, now))!;
}

async function revokeConflict(tx: Tx, r: Loaded, now: Date): Promise<ConflictError> {
  switch (r.status) {
    case "revoked":
      return new ConflictError(`Already revoked by ${await nameOf(tx, r.revokedById)} ${ago(r.revokedAt ?? r.updatedAt, now)}`);
    case "expired":
      return new ConflictError(`This grant already expired${r.expiresAt ? ` on ${day(r.expiresAt)}` : ""}`);
    case "pending":
      return new ConflictError("This request is still waiting for a decision: reject it instead");
    case "rejected":
    case "cancelled":
      return new ConflictError(`This request was ${r.status}; it never granted access`);
    default:
      return new ConflictError("This grant changed since you opened it; reload it and try again");
  }
}

/** Ends a grant before its time (also one still provisioning, or one whose provisioning failed). */
export async function revokeAccess(db: Db, ctx: AccessContext, raw: { requestId: string; note?: string }, now = new Date()): Promise<AccessRequestDetail> {
  const { requestId, note } = parse(revokeInput, raw);
  await transition(db, requestId, now, (tx, r) => revokeConflict(tx, r, now), async (tx) => {
    const { r, ref } = await loadVisible(tx, ctx.user, requestId);
    allow(ctx.user, "access.revoke", ref, "Only the product's owners, stewards of its domain and platform admins can revoke access");
    if (!REVOCABLE_STATUSES.includes(r.status)) throw await revokeConflict(tx, r, now);
    await write(tx, r, { status: "revoked", revokedAt: now, revokedById: ctx.user.id, extensionDays: null }, now);
    await recordAudit(tx, ctx.actor, {
      action: "access.revoked",
      target: { type: TARGET, id: r.id },
      before: { status: r.status, expiresAt: r.expiresAt },
      after: { status: "revoked", revokedAt: now, ...(note ? { note } : {}) },
    });
    await enqueueJob(tx, { kind: ACCESS_REVOKE_JOB, payload: { requestId: r.id }, idempotencyKey: revokeJobKey(r.id), target: { type: TARGET, id: r.id } });
    await notify(tx, {
      userIds: [r.requesterId].filter((id) => id !== ctx.user.id),
      kind: "access.revoked",
      title: `Your access to ${what(r)} was revoked`,
      body: `${ctx.user.name} revoked it${note ? `: ${note}` : "."}`,
      link: link(r.id),
    });
  });
  return (await getRequestDetail(db, ctx.user, requestId, now))!;
}

// ---------------------------------------------------------------------------------------------
// Extensions

function notLive(r: Loaded, now: Date): ConflictError {
  if (r.status === "active" && r.expiresAt && r.expiresAt.getTime() <= now.getTime())
    return new ConflictError(`This grant expired on ${day(r.expiresAt)}; request access again`);
  if (r.status === "expired") return new ConflictError(`This grant expired${r.expiresAt ? ` on ${day(r.expiresAt)}` : ""}; request access again`);
  if (r.status === "pending" || r.status === "provisioning" || r.status === "approved")
    return new ConflictError(`Only an active grant can be extended; this one is ${r.status}`);
  return new ConflictError(`Only an active grant can be extended; this one was ${r.status}`);
}

/** The requester asks for more time on a live grant; the approvers are asked to decide. */
export async function requestExtension(db: Db, ctx: AccessContext, raw: { requestId: string; days: number }, now = new Date()): Promise<AccessRequestDetail> {
  const { requestId, days } = parse(extensionInput, raw);
  const conflict = async (_tx: Tx, r: Loaded) =>
    !isLive(r, now)
      ? notLive(r, now)
      : r.extensionDays !== null
        ? new ConflictError(`An extension of ${r.extensionDays} days is already waiting for a decision`)
        : new ConflictError("This grant changed since you opened it; reload it and try again");
  await transition(db, requestId, now, conflict, async (tx) => {
    const { r, ref } = await loadVisible(tx, ctx.user, requestId);
    allow(ctx.user, "access.extend", ref, "Only the requester can ask for an extension");
    if (!isLive(r, now) || r.extensionDays !== null) throw await conflict(tx, r);
    const options = extensionOptions(r.expiresAt, now);
    if (!options.includes(days)) {
      const message = options.length
        ? `Access lasts at most ${MAX_ACCESS_DAYS} days from today: ask for ${options.join(" or ")} days`
        : `This grant already runs close to the ${MAX_ACCESS_DAYS}-day limit; ask for an extension nearer its end`;
      throw new UserError(message, { fieldErrors: { days: [message] } });
    }
    const port = await tx.outputPort.findUniqueOrThrow({
      where: { id: r.port.id },
      select: { name: true, type: true, classification: true, fields: { where: { pii: true }, select: { id: true }, take: 1 }, product: { select: { domain: { select: { slug: true } } } } },
    });
    const { principalType } = await tx.accessRequest.findUniqueOrThrow({ where: { id: r.id }, select: { principalType: true } });
    // Governance: the access policies judge the grant as extended (its total length from today).
    await gateAccessRequest(tx, r.port.product.domainId, {
      request: {
        durationDays: Math.ceil((r.expiresAt!.getTime() + days * DAY_MS - now.getTime()) / DAY_MS),
        purpose: r.purpose,
        purposeCategory: r.purposeCategory,
        principalType,
        extension: true,
      },
      port: { name: port.name, type: port.type, classification: effectiveClassification(port, r.port.product), hasPii: port.fields.length > 0 },
      product: { slug: r.port.product.slug, domain: port.product.domain.slug, classification: r.port.product.classification, status: r.port.product.status },
    });
    await write(tx, r, { extensionDays: days }, now);
    await recordAudit(tx, ctx.actor, {
      action: "access.extension_requested",
      target: { type: TARGET, id: r.id },
      before: { expiresAt: r.expiresAt },
      after: { extensionDays: days },
    });
    await notify(tx, {
      userIds: await stepDeciderIds(tx, { requesterId: r.requesterId, approverIds: r.approverIds, product: r.port.product }),
      kind: "access.extension_requested",
      title: `${r.requester.name} asks for ${days} more days on ${what(r)}`,
      body: `Access runs until ${day(r.expiresAt!)}; approved, it would run until ${day(new Date(r.expiresAt!.getTime() + days * DAY_MS))}.`,
      link: link(r.id),
    });
  });
  return (await getRequestDetail(db, ctx.user, requestId, now))!;
}

/** An approver approves (the grant runs `extensionDays` longer) or rejects an extension. */
export async function decideExtension(
  db: Db,
  ctx: AccessContext,
  raw: { requestId: string; decision: "approve" | "reject"; note?: string; revision?: number },
  now = new Date(),
): Promise<AccessRequestDetail> {
  const input = parse(decideExtensionInput, raw);
  const conflict = async (tx: Tx, r: Loaded) => {
    if (!isLive(r, now)) return notLive(r, now);
    if (r.extensionDays === null) {
      const last = await deciderLabel(tx, r, 0);
      return last
        ? new ConflictError(`Already decided by ${last.who} ${ago(last.at, now)} (${last.decision})`)
        : new ConflictError("No extension is waiting for a decision");
    }
    return new ConflictError("This grant changed since you opened it; reload it and decide again");
  };
  await transition(db, input.requestId, now, conflict, async (tx) => {
    const { r, ref } = await loadVisible(tx, ctx.user, input.requestId);
    if (input.revision !== undefined && input.revision !== r.revision) throw await conflict(tx, r);
    allow(ctx.user, "access.decide", ref, whyNotDecide(ctx.user, ref, r.level));
    if (!isLive(r, now) || r.extensionDays === null) throw await conflict(tx, r);
    const days = r.extensionDays;
    const approved = input.decision === "approve";
    const expiresAt = approved ? new Date(r.expiresAt!.getTime() + days * DAY_MS) : r.expiresAt;
    await write(tx, r, approved ? { extensionDays: null, expiresAt, remindedAt: null } : { extensionDays: null }, now);
    // Level 0 marks a decision on an extension rather than on a step.
    await tx.accessApproval.create({
      data: { requestId: r.id, level: 0, decision: approved ? "approved" : "rejected", deciderId: ctx.user.id, note: input.note, createdAt: now },
    });
    await recordAudit(tx, ctx.actor, {
      action: approved ? "access.extension_approved" : "access.extension_rejected",
      target: { type: TARGET, id: r.id },
      before: { expiresAt: r.expiresAt, extensionDays: days },
      after: { expiresAt, extensionDays: null, ...(input.note ? { note: input.note } : {}) },
    });
    await notify(tx, {
      userIds: [r.requesterId],
      kind: approved ? "access.extension_approved" : "access.extension_rejected",
      title: `Extension of your access to ${what(r)} ${approved ? "approved" : "rejected"}`,
      body: approved
        ? `${ctx.user.name} approved ${days} more days: access now runs until ${day(expiresAt!)}.${input.note ? ` ${input.note}` : ""}`
        : `${ctx.user.name} rejected the extension${input.note ? `: ${input.note}` : ""}. Access still ends on ${day(r.expiresAt!)}.`,
      link: link(r.id),
    });
  });
  return (await getRequestDetail(db, ctx.user, input.requestId, now))!;
}

// ---------------------------------------------------------------------------------------------
// Retrying a failed grant

/** Puts a grant whose provisioning failed back to provisioning and enqueues the grant job again. */
export async function retryProvisioning(db: Db, ctx: AccessContext, raw: { requestId: string }, now = new Date()): Promise<AccessRequestDetail> {
  const { requestId } = parse(requestRefInput, raw);
  const conflict = async (_tx: Tx, r: Loaded) =>
    r.status === "failed"
      ? new ConflictError("This grant changed since you opened it; reload it and try again")
      : new ConflictError(
          r.status === "provisioning" ? "Provisioning is already running again" : `Only a grant whose provisioning failed can be retried; this request is ${r.status}`,
        );
  await transition(db, requestId, now, conflict, async (tx) => {
    const { r, ref } = await loadVisible(tx, ctx.user, requestId);
    allow(ctx.user, "access.retry", ref, "Only the product's owners and platform admins can retry provisioning");
    if (r.status !== "failed") throw await conflict(tx, r);
    if (r.expiresAt && r.expiresAt.getTime() <= now.getTime())
      throw new ConflictError(`This grant's end date (${day(r.expiresAt)}) has passed; the requester can ask for access again`);
    const revision = await write(tx, r, { status: "provisioning" }, now);
    await recordAudit(tx, ctx.actor, { action: "access.retried", target: { type: TARGET, id: r.id }, before: { status: r.status }, after: { status: "provisioning" } });
    await enqueueJob(tx, { kind: ACCESS_GRANT_JOB, payload: { requestId: r.id }, idempotencyKey: grantJobKey(r.id, revision), target: { type: TARGET, id: r.id } });
    await notify(tx, {
      userIds: [r.requesterId].filter((id) => id !== ctx.user.id),
      kind: "access.retried",
      title: `Setting up your access to ${what(r)} again`,
      body: `${ctx.user.name} retried provisioning after it failed.`,
      link: link(r.id),
    });
  });
  return (await getRequestDetail(db, ctx.user, requestId, now))!;
}
