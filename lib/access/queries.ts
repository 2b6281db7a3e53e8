import { effectiveClassification, readContract } from "@/lib/access/approvers";
import { ACCESS_JOB_TARGET } from "@/lib/access/jobs";
import { ACCESS_DURATIONS, MAX_ACCESS_DAYS, OPEN_STATUSES, type InboxFilter } from "@/lib/access/schemas";
import { can, isPlatformAdmin, type AccessRequestRef, type Principal } from "@/lib/auth/permissions";
import { productRefSelect, toProductRef } from "@/lib/catalog/queries";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { AccessRequestStatus } from "@/lib/db/generated/enums";
import { PURPOSE_CATEGORIES } from "@/lib/products/spec";

/**
 * Access-request reads. Each permission of the access workflow has a `where` twin here that selects
 * exactly the requests `can()` allows (test/access/permissions.test.ts checks them against each other
 * for every persona), and every list is filtered by one of them: nobody sees a request they may not.
 */

const DAY_MS = 86_400_000;

const stewardDomains = (user: Principal) => user.domains.filter((d) => d.role === "steward").map((d) => d.domainId);

/** Products the user owns, directly or through a team (the `where` twin of `ownsProduct`). */
function ownedProductsWhere(user: Principal): Prisma.DataProductWhereInput {
  return {
    OR: [{ owners: { some: { userId: user.id } } }, ...(user.teamIds.length ? [{ ownerTeamId: { in: [...user.teamIds] } }] : [])],
  };
}

/** Products the user owns or governs as steward of their domain. */
function answerableProductsWhere(user: Principal): Prisma.DataProductWhereInput {
  const stewardOf = stewardDomains(user);
  return { OR: [...(ownedProductsWhere(user).OR ?? []), ...(stewardOf.length ? [{ domainId: { in: stewardOf } }] : [])] };
}

/** The `where` clause equivalent of `can(user, "access.view", request)`. */
export function viewableRequestsWhere(user: Principal): Prisma.AccessRequestWhereInput {
  if (isPlatformAdmin(user)) return {};
  return {
    OR: [
      { requesterId: user.id },
      { approverIds: { has: user.id } },
      { secondApproverIds: { has: user.id } },
      { approvals: { some: { deciderId: user.id } } },
      { port: { product: answerableProductsWhere(user) } },
    ],
  };
}

/** The `where` clause equivalent of `can(user, "access.decide", request)`. */
export function decidableRequestsWhere(user: Principal): Prisma.AccessRequestWhereInput {
  const and: Prisma.AccessRequestWhereInput[] = [
    { requesterId: { not: user.id } },
    { NOT: { status: "pending", approvals: { some: { deciderId: user.id, decision: "approved" } } } },
  ];
  if (!isPlatformAdmin(user)) {
    const stewardOf = stewardDomains(user);
    and.push({
      OR: [
        { approverIds: { has: user.id } },
        { approverIds: { isEmpty: true }, port: { product: ownedProductsWhere(user) } },
        ...(stewardOf.length ? [{ port: { product: { domainId: { in: stewardOf } } } }] : []),
      ],
    });
  }
  return { AND: and };
}

/** The `where` clause equivalent of `can(user, "access.cancel", request)` and of "access.extend". */
export function ownRequestsWhere(user: Principal): Prisma.AccessRequestWhereInput {
  return { requesterId: user.id };
}

/** The `where` clause equivalent of `can(user, "access.revoke", request)`. */
export function revocableRequestsWhere(user: Principal): Prisma.AccessRequestWhereInput {
  if (isPlatformAdmin(user)) return {};
  return { port: { product: answerableProductsWhere(user) } };
}

/** The `where` clause equivalent of `can(user, "access.retry", request)`. */
export function retryableRequestsWhere(user: Principal): Prisma.AccessRequestWhereInput {
  if (isPlatformAdmin(user)) return {};
  return { port: { product: ownedProductsWhere(user) } };
}

/** What the permission module needs to decide about a request (see toAccessRequestRef). */
export const accessRequestRefSelect = {
  requesterId: true,
  status: true,
  approverIds: true,
  secondApproverIds: true,
  approvals: { select: { deciderId: true, decision: true } },
  port: { select: { product: { select: productRefSelect } } },
} satisfies Prisma.AccessRequestSelect;

type RefRow = Prisma.AccessRequestGetPayload<{ select: typeof accessRequestRefSelect }>;

export function toAccessRequestRef(r: RefRow): AccessRequestRef {
  const deciders = r.approvals.map((a) => a.deciderId).filter((id): id is string => !!id);
  return {
    requesterId: r.requesterId,
    status: r.status,
    product: toProductRef(r.port.product),
    approverIds: r.approverIds,
    followerIds: [...new Set([...r.secondApproverIds, ...deciders])],
    // A pending request's approvals are those of its earlier steps.
    earlierApproverIds:
      r.status === "pending" ? r.approvals.filter((a) => a.decision === "approved" && a.deciderId).map((a) => a.deciderId!) : [],
  };
}

// ---------------------------------------------------------------------------------------------
// What a user may do with a request now (permission and state together)

export type AccessActions = {
  approve: boolean;
  reject: boolean;
  cancel: boolean;
  revoke: boolean;
  /** Ask for an extension. */
  extend: boolean;
  /** Approve or reject the extension asked for. */
  decideExtension: boolean;
  retry: boolean;
};

export const REVOCABLE_STATUSES: readonly AccessRequestStatus[] = ["approved", "provisioning", "active", "failed"];

/** Extensions (in days) the requester may still ask for: the new end stays within the policy cap from now. */
export function extensionOptions(expiresAt: Date | null, now: Date): number[] {
  if (!expiresAt || expiresAt.getTime() <= now.getTime()) return [];
  const cap = now.getTime() + MAX_ACCESS_DAYS * DAY_MS;
  return ACCESS_DURATIONS.filter((d) => expiresAt.getTime() + d * DAY_MS <= cap);
}

type StateRow = { status: AccessRequestStatus; extensionDays: number | null; expiresAt: Date | null };

/** A grant that is active and has not run out (the expiry sweep may not have marked it yet). */
export const isLive = (r: StateRow, now: Date) => r.status === "active" && (!r.expiresAt || r.expiresAt.getTime() > now.getTime());

export function allowedActions(user: Principal, ref: AccessRequestRef, r: StateRow, now: Date): AccessActions {
  const decide = can(user, "access.decide", ref);
  return {
    approve: decide && r.status === "pending",
    reject: decide && r.status === "pending",
    cancel: can(user, "access.cancel", ref) && r.status === "pending",
    revoke: can(user, "access.revoke", ref) && REVOCABLE_STATUSES.includes(r.status),
    extend: can(user, "access.extend", ref) && isLive(r, now) && r.extensionDays === null && extensionOptions(r.expiresAt, now).length > 0,
    decideExtension: decide && isLive(r, now) && r.extensionDays !== null,
    retry: can(user, "access.retry", ref) && r.status === "failed",
  };
}

// ---------------------------------------------------------------------------------------------
// List items

const itemSelect = {
  id: true,
  status: true,
  revision: true,
  purpose: true,
  purposeCategory: true,
  termsAcceptedAt: true,
  durationDays: true,
  principalType: true,
  principalRef: true,
  workload: true,
  level: true,
  levels: true,
  extensionDays: true,
  piiUnmasked: true,
  createdAt: true,
  decidedAt: true,
  expiresAt: true,
  revokedAt: true,
  updatedAt: true,
  decisionNote: true,
  requesterId: true,
  approverIds: true,
  secondApproverIds: true,
  approvals: { select: { deciderId: true, decision: true } },
  requester: { select: { id: true, name: true, email: true } },
  decidedBy: { select: { name: true } },
  port: {
    select: {
      id: true,
      name: true,
      type: true,
      classification: true,
      fields: { select: { classification: true, pii: true } },
      product: { select: { ...productRefSelect, classification: true, domain: { select: { slug: true, name: true } } } },
    },
  },
} satisfies Prisma.AccessRequestSelect;

type ItemRow = Prisma.AccessRequestGetPayload<{ select: typeof itemSelect }>;

export type ColumnSummary = { total: number; public: number; internal: number; confidential: number; restricted: number; pii: number };

export type AccessPrincipal = { type: "user" | "group" | "product"; ref: string; label: string };

export type ExistingAccess = { requestId: string; port: string; status: AccessRequestStatus; expiresAt: string | null };

export type AccessRequestItem = {
  id: string;
  status: AccessRequestStatus;
  /** Pass back when deciding, so a decision made on a stale page is refused instead of applied twice. */
  revision: number;
  purpose: string;
  purposeCategory: string | null;
  purposeCategoryLabel: string | null;
  /** When the requester accepted the port's terms of use. */
  termsAcceptedAt: string | null;
  durationDays: number;
  principal: AccessPrincipal;
  workload: string | null;
  /** The step waiting for a decision, and how many steps the request needs. */
  level: number;
  levels: number;
  /** Days of extension asked for and not yet decided. */
  extensionDays: number | null;
  piiUnmasked: boolean;
  createdAt: string;
  decidedAt: string | null;
  /** When the grant ends (set on approval). */
  expiresAt: string | null;
  /** The end date asked for, while the request waits for a decision (null when a duration was asked for). */
  requestedUntil: string | null;
  revokedAt: string | null;
  decisionNote: string | null;
  requester: { id: string; name: string; email: string };
  decidedBy: string | null;
  /** The port's name. */
  port: string;
  portType: string;
  /** The port's classification, or its product's when the port has none. */
  classification: string;
  columns: ColumnSummary;
  product: { slug: string; name: string; domain: { slug: string; name: string } };
  /** The requester's other live or provisioning grants on this product. */
  existingAccess: ExistingAccess[];
  actions: AccessActions;
};

function summarizeColumns(fields: { classification: string; pii: boolean }[]): ColumnSummary {
  const out: ColumnSummary = { total: fields.length, public: 0, internal: 0, confidential: 0, restricted: 0, pii: 0 };
  for (const f of fields) {
    if (f.classification in out) out[f.classification as "public"]++;
    if (f.pii) out.pii++;
  }
  return out;
}

/** Display names for the principals of a set of requests, in three queries at most. */
async function principalLabels(db: Tx, rows: { principalType: string; principalRef: string; requesterId: string; requester: { name: string } }[]) {
  const userIds = [...new Set(rows.filter((r) => r.principalType === "user" && r.principalRef !== r.requesterId).map((r) => r.principalRef))];
  const groups = [...new Set(rows.filter((r) => r.principalType === "group").map((r) => r.principalRef))];
  const products = [...new Set(rows.filter((r) => r.principalType === "product").map((r) => r.principalRef))];
  const [users, teams, prods] = await Promise.all([
    userIds.length ? db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [],
    groups.length ? db.team.findMany({ where: { slug: { in: groups } }, select: { slug: true, name: true } }) : [],
    products.length ? db.dataProduct.findMany({ where: { slug: { in: products } }, select: { slug: true, name: true } }) : [],
  ]);
  const userName = new Map(users.map((u) => [u.id, u.name]));
  const teamName = new Map(teams.map((t) => [t.slug, t.name]));
  const productName = new Map(prods.map((p) => [p.slug, p.name]));
  return (r: (typeof rows)[number]): AccessPrincipal => {
    const type = r.principalType as AccessPrincipal["type"];
    if (type === "user") return { type, ref: r.principalRef, label: r.principalRef === r.requesterId ? r.requester.name : (userName.get(r.principalRef) ?? "a former user") };
    if (type === "group") return { type, ref: r.principalRef, label: teamName.get(r.principalRef) ?? r.principalRef };
    return { type, ref: r.principalRef, label: productName.get(r.principalRef) ?? r.principalRef };
  };
}

/** The requesters' live and provisioning grants on the products of these rows. */
async function existingAccessOf(db: Tx, rows: ItemRow[], now: Date) {
  if (!rows.length) return () => [] as ExistingAccess[];
  const grants = await db.accessRequest.findMany({
    where: {
      requesterId: { in: [...new Set(rows.map((r) => r.requesterId))] },
      port: { productId: { in: [...new Set(rows.map((r) => r.port.product.id))] } },
      status: { in: ["provisioning", "active"] },
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    orderBy: { createdAt: "asc" },
    select: { id: true, requesterId: true, status: true, expiresAt: true, port: { select: { name: true, productId: true } } },
  });
  return (row: ItemRow): ExistingAccess[] =>
    grants
      .filter((g) => g.id !== row.id && g.requesterId === row.requesterId && g.port.productId === row.port.product.id)
      .map((g) => ({ requestId: g.id, port: g.port.name, status: g.status, expiresAt: g.expiresAt?.toISOString() ?? null }));
}

async function toItems(db: Tx, user: Principal, rows: ItemRow[], now: Date): Promise<AccessRequestItem[]> {
  const [label, existing] = await Promise.all([principalLabels(db, rows), existingAccessOf(db, rows, now)]);
  return rows.map((r) => {
    const ref = toAccessRequestRef(r);
    const pending = r.status === "pending";
    return {
      id: r.id,
      status: r.status,
      revision: r.revision,
      purpose: r.purpose,
      purposeCategory: r.purposeCategory,
      termsAcceptedAt: r.termsAcceptedAt?.toISOString() ?? null,
      purposeCategoryLabel: r.purposeCategory ? (PURPOSE_CATEGORIES[r.purposeCategory as keyof typeof PURPOSE_CATEGORIES] ?? r.purposeCategory) : null,
      durationDays: r.durationDays,
      principal: label(r),
      workload: r.workload,
      level: r.level,
      levels: r.levels,
      extensionDays: r.extensionDays,
      piiUnmasked: r.piiUnmasked,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      expiresAt: pending ? null : (r.expiresAt?.toISOString() ?? null),
      requestedUntil: pending ? (r.expiresAt?.toISOString() ?? null) : null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
      decisionNote: r.decisionNote,
      requester: r.requester,
      decidedBy: r.decidedBy?.name ?? null,
      port: r.port.name,
      portType: r.port.type,
      classification: effectiveClassification(r.port, r.port.product),
      columns: summarizeColumns(r.port.fields),
      product: { slug: r.port.product.slug, name: r.port.product.name, domain: r.port.product.domain },
      existingAccess: existing(r),
      actions: allowedActions(user, ref, r, now),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The inbox

export const INBOX_LIMIT = 200;

const DECIDED_STATUSES: AccessRequestStatus[] = ["approved", "rejected", "provisioning", "active", "expired", "revoked", "failed"];

/** Requests waiting on the user: pending steps they may decide, and extensions of live grants. */
export function waitingOnWhere(user: Principal, now: Date): Prisma.AccessRequestWhereInput {
  return {
    AND: [
      decidableRequestsWhere(user),
      { OR: [{ status: "pending" }, { status: "active", extensionDays: { not: null }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }] },
    ],
  };
}

function tabWhere(user: Principal, tab: InboxFilter["tab"], now: Date): Prisma.AccessRequestWhereInput {
  if (tab === "waiting") return waitingOnWhere(user, now);
  if (tab === "mine") return ownRequestsWhere(user);
  // Decided: no longer pending, among the requests the user could decide or did decide.
  return {
    AND: [
      { status: { in: DECIDED_STATUSES } },
      { OR: [decidableRequestsWhere(user), { approvals: { some: { deciderId: user.id } } }, { revokedById: user.id }] },
      viewableRequestsWhere(user),
    ],
  };
}

/**
 * The approvals inbox: "waiting" (on the user's decision, oldest first), "mine" (the user's own
 * requests, newest first) and "decided" (requests the user decides on that are no longer pending,
 * newest first); filters by product and domain slug, requester (part of name or e-mail) and age.
 */
export async function listAccessInbox(db: Tx, user: Principal, filter: Partial<InboxFilter> = {}, now = new Date()): Promise<AccessRequestItem[]> {
  const tab = filter.tab ?? "waiting";
  const and: Prisma.AccessRequestWhereInput[] = [tabWhere(user, tab, now)];
  if (filter.product) and.push({ port: { product: { slug: filter.product } } });
  if (filter.domain) and.push({ port: { product: { domain: { slug: filter.domain } } } });
  if (filter.requester)
    and.push({
      requester: { OR: [{ name: { contains: filter.requester, mode: "insensitive" } }, { email: { contains: filter.requester, mode: "insensitive" } }] },
    });
  if (filter.minAgeDays) and.push({ createdAt: { lte: new Date(now.getTime() - filter.minAgeDays * DAY_MS) } });
  const sort = filter.sort ?? (tab === "waiting" ? "oldest" : "newest");
  const rows = await db.accessRequest.findMany({
    where: { AND: and },
    select: itemSelect,
    orderBy: [{ createdAt: sort === "oldest" ? "asc" : "desc" }, { id: "asc" }],
    take: INBOX_LIMIT,
  });
  // The where clause already selects what the user may see; asking the permission module as well
  // keeps a mistake in one from showing rows.
  return toItems(db, user, rows.filter((r) => can(user, "access.view", toAccessRequestRef(r))), now);
}

/** The number shown next to "Access" in the navigation. */
export function countWaiting(db: Tx, user: Principal, now = new Date()): Promise<number> {
  return db.accessRequest.count({ where: waitingOnWhere(user, now) });
}

/** The user's own requests, newest first. */
export function listMyRequests(db: Tx, user: Principal, now = new Date()) {
  return listAccessInbox(db, user, { tab: "mine" }, now);
}

/** Requests waiting on the user's decision, oldest first. */
export function listWaitingOnMe(db: Tx, user: Principal, now = new Date()) {
  return listAccessInbox(db, user, { tab: "waiting" }, now);
}

// ---------------------------------------------------------------------------------------------
// One request

export type TimelineEntry = {
  at: string;
  action: string;
  /** Who acted: an e-mail, "rule:<name>" for an automatic decision, or "system" for jobs. */
  actor: string;
  summary: string;
  note: string | null;
};

export type AccessApprovalEntry = {
  /** The step decided; 0 for a decision on an extension. */
  level: number;
  decision: "approved" | "rejected";
  decider: { name: string; email: string } | null;
  /** The auto-approval rule, when a rule decided. */
  rule: string | null;
  note: string;
  at: string;
};

export type AccessRequestDetail = AccessRequestItem & {
  port: string;
  portDetail: {
    name: string;
    type: string;
    location: string;
    description: string;
    classification: string;
    columns: { name: string; type: string; classification: string; pii: boolean; masked: boolean }[];
  };
  terms: { purpose: string; limitations: string; usage: string };
  /** Who decides the current step (named approvers, else the owners), and the second step's named approvers while step 1 is open. */
  approvers: { current: { name: string; email: string }[]; currentAreOwners: boolean; next: { name: string; email: string }[] };
  approvals: AccessApprovalEntry[];
  timeline: TimelineEntry[];
  revokedBy: string | null;
  remindedAt: string | null;
  /** Extension lengths the requester may ask for now. */
  extensionOptions: number[];
  /** The latest provisioning or revocation job. */
  job: { kind: string; status: string; attempts: number; maxAttempts: number; lastError: string | null; updatedAt: string } | null;
};

/** The rule names the auto-approval writes, with what people read. */
export const AUTO_APPROVAL_RULES = {
  "same-team": "the requester is in the team that owns the product",
  "public-port": "the port is classified public",
} as const;

const SUMMARIES: Record<string, string> = {
  "access.requested": "Requested access",
  "access.step_approved": "Approved a step",
  "access.approved": "Approved",
  "access.rejected": "Rejected",
  "access.cancelled": "Cancelled the request",
  "access.revoked": "Revoked access",
  "access.extension_requested": "Asked for an extension",
  "access.extension_approved": "Approved the extension",
  "access.extension_rejected": "Rejected the extension",
  "access.retried": "Retried provisioning",
  // Written by the grant job and the expiry sweep.
  "access.activated": "Access is active",
  "access.failed": "Setting up access failed",
  "access.expired": "Access expired",
  "access.reminded": "Reminded that access ends soon",
  "access.deprovisioned": "Access removed from the connected systems",
  "access.deprovision_failed": "Removing access failed",
};

function summaryOf(action: string, after: unknown): string {
  const a = after && typeof after === "object" ? (after as Record<string, unknown>) : {};
  if (action === "access.step_approved" && typeof a.level === "number") return `Approved step ${a.level} of ${String(a.levels ?? 2)}`;
  if (action === "access.approved" && typeof a.rule === "string")
    return `Approved automatically: ${AUTO_APPROVAL_RULES[a.rule as keyof typeof AUTO_APPROVAL_RULES] ?? a.rule}`;
  if (action === "access.extension_requested" && typeof a.extensionDays === "number") return `Asked for ${a.extensionDays} more days`;
  return SUMMARIES[action] ?? action.replace(/^access\./, "").replace(/[_.-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

const needsMask = (f: { pii: boolean; classification: string }, piiUnmasked: boolean) =>
  f.pii ? !piiUnmasked : f.classification === "restricted";

/**
 * One request as its page shows it; null when it does not exist or the user may not see it (both
 * are "not found" to the user).
 */
export async function getRequestDetail(db: Tx, user: Principal, id: string, now = new Date()): Promise<AccessRequestDetail | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const row = await db.accessRequest.findUnique({
    where: { id },
    select: {
      ...itemSelect,
      remindedAt: true,
      revokedById: true,
      approvals: {
        orderBy: { createdAt: "asc" },
        select: { deciderId: true, decision: true, level: true, rule: true, note: true, createdAt: true },
      },
      port: {
        select: {
          ...itemSelect.port.select,
          location: true,
          description: true,
          contract: true,
          fields: { orderBy: { position: "asc" }, select: { name: true, type: true, classification: true, pii: true } },
        },
      },
    },
  });
  if (!row) return null;
  const ref = toAccessRequestRef(row);
  if (!can(user, "access.view", ref)) return null;

  const [item] = await toItems(db, user, [row], now);
  const contract = readContract(row.port.contract);
  const people = [...new Set([...row.approverIds, ...row.secondApproverIds, ...row.approvals.map((a) => a.deciderId).filter((x): x is string => !!x), ...(row.revokedById ? [row.revokedById] : [])])];
  const [users, ownerUsers, events, job] = await Promise.all([
    people.length ? db.user.findMany({ where: { id: { in: people } }, select: { id: true, name: true, email: true } }) : [],
    row.approverIds.length
      ? []
      : db.user.findMany({
          where: {
            OR: [
              { ownedProducts: { some: { productId: row.port.product.id } } },
              ...(row.port.product.ownerTeamId ? [{ teamMemberships: { some: { teamId: row.port.product.ownerTeamId } } }] : []),
            ],
          },
          orderBy: { name: "asc" },
          select: { name: true, email: true },
        }),
    db.auditEvent.findMany({
      where: { targetType: ACCESS_JOB_TARGET, targetId: row.id },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { at: true, action: true, actorLabel: true, after: true },
    }),
    db.job.findFirst({
      where: { targetType: ACCESS_JOB_TARGET, targetId: row.id },
      orderBy: { createdAt: "desc" },
      select: { kind: true, status: true, attempts: true, maxAttempts: true, lastError: true, updatedAt: true },
    }),
  ]);
  const person = new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
  const named = (ids: readonly string[]) => ids.map((i) => person.get(i)).filter((p): p is { name: string; email: string } => !!p);
  const noteOf = (after: unknown) => {
    const n = after && typeof after === "object" ? (after as Record<string, unknown>).note : undefined;
    return typeof n === "string" && n ? n : null;
  };
  const portClassification = effectiveClassification(row.port, row.port.product);

  return {
    ...item!,
    portDetail: {
      name: row.port.name,
      type: row.port.type,
      location: row.port.location,
      description: row.port.description,
      classification: portClassification,
      columns: row.port.fields.map((f) => ({ ...f, masked: needsMask(f, row.piiUnmasked || (row.status === "pending" && contract.piiPurposes.includes(row.purposeCategory as never))) })),
    },
    terms: contract.terms,
    approvers: {
      current: row.approverIds.length ? named(row.approverIds) : ownerUsers,
      currentAreOwners: row.approverIds.length === 0,
      next: row.status === "pending" && row.level < row.levels ? named(row.secondApproverIds) : [],
    },
    approvals: row.approvals.map((a) => ({
      level: a.level,
      decision: a.decision === "rejected" ? "rejected" : "approved",
      decider: a.deciderId ? (person.get(a.deciderId) ?? { name: "a former user", email: "" }) : null,
      rule: a.rule,
      note: a.note,
      at: a.createdAt.toISOString(),
    })),
    timeline: events.map((e) => ({ at: e.at.toISOString(), action: e.action, actor: e.actorLabel, summary: summaryOf(e.action, e.after), note: noteOf(e.after) })),
    revokedBy: row.revokedById ? (person.get(row.revokedById)?.name ?? null) : null,
    remindedAt: row.remindedAt?.toISOString() ?? null,
    extensionOptions: item!.actions.extend ? extensionOptions(row.expiresAt, now) : [],
    job: job ? { ...job, updatedAt: job.updatedAt.toISOString() } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// A product's grants, and the user's own access to a product

export type ProductGrant = {
  requestId: string;
  port: string;
  status: AccessRequestStatus;
  principal: AccessPrincipal;
  requester: { name: string; email: string };
  purpose: string;
  purposeCategory: string | null;
  piiUnmasked: boolean;
  expiresAt: string | null;
  extensionDays: number | null;
  canRevoke: boolean;
};

/**
 * Who has access to a product: its live and provisioning grants, soonest to expire first. Null when
 * the user does not answer for the product (only its owners, its domain's stewards and admins see it).
 */
export async function listProductGrants(db: Tx, user: Principal, productId: string, now = new Date()): Promise<ProductGrant[] | null> {
  const product = await db.dataProduct.findUnique({ where: { id: productId }, select: productRefSelect });
  if (!product) return null;
  const probe: AccessRequestRef = { requesterId: "", status: "active", product: toProductRef(product) };
  if (!can(user, "access.revoke", probe)) return null;
  const rows = await db.accessRequest.findMany({
    where: {
      port: { productId },
      OR: [{ status: "provisioning" }, { status: "active", OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }],
    },
    orderBy: [{ expiresAt: "asc" }, { createdAt: "asc" }],
    select: {
      id: true,
      status: true,
      principalType: true,
      principalRef: true,
      requesterId: true,
      purpose: true,
      purposeCategory: true,
      piiUnmasked: true,
      expiresAt: true,
      extensionDays: true,
      requester: { select: { name: true, email: true } },
      port: { select: { name: true } },
    },
  });
  const label = await principalLabels(db, rows);
  return rows.map((r) => ({
    requestId: r.id,
    port: r.port.name,
    status: r.status,
    principal: label(r),
    requester: r.requester,
    purpose: r.purpose,
    purposeCategory: r.purposeCategory,
    piiUnmasked: r.piiUnmasked,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    extensionDays: r.extensionDays,
    canRevoke: true,
  }));
}

export type MyPortAccess = {
  requestId: string;
  status: AccessRequestStatus;
  expiresAt: string | null;
  /** Through whom: the user themself, or a team/group they are in. */
  principal: { type: "user" | "group"; ref: string };
  extensionDays: number | null;
};

const RANK: Partial<Record<AccessRequestStatus, number>> = { active: 0, provisioning: 1, approved: 2, pending: 3, failed: 4 };

/**
 * The user's access to each port of a product, keyed by port name: the most useful open request or
 * grant for them or for a team/group they are in (a live grant first, then provisioning, pending,
 * failed). Ports without one are absent.
 */
export async function myAccessToProduct(db: Tx, user: Principal, productId: string, now = new Date()): Promise<Record<string, MyPortAccess>> {
  const [me, teams] = await Promise.all([
    db.user.findUnique({ where: { id: user.id }, select: { groups: true } }),
    user.teamIds.length ? db.team.findMany({ where: { id: { in: [...user.teamIds] } }, select: { slug: true } }) : [],
  ]);
  const groups = [...new Set([...(me?.groups ?? []), ...teams.map((t) => t.slug)])];
  const rows = await db.accessRequest.findMany({
    where: {
      port: { productId },
      status: { in: [...OPEN_STATUSES, "failed"] },
      OR: [
        { principalType: "user", principalRef: user.id },
        ...(groups.length ? [{ principalType: "group" as const, principalRef: { in: groups } }] : []),
      ],
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, expiresAt: true, extensionDays: true, principalType: true, principalRef: true, port: { select: { name: true } } },
  });
  const out: Record<string, MyPortAccess> = {};
  for (const r of rows) {
    if (r.status === "active" && r.expiresAt && r.expiresAt.getTime() <= now.getTime()) continue;
    const current = out[r.port.name];
    if (current && (RANK[current.status] ?? 9) <= (RANK[r.status] ?? 9)) continue;
    out[r.port.name] = {
      requestId: r.id,
      status: r.status,
      expiresAt: r.status === "pending" ? null : (r.expiresAt?.toISOString() ?? null),
      principal: { type: r.principalType as "user" | "group", ref: r.principalRef },
      extensionDays: r.extensionDays,
    };
  }
  return out;
}
