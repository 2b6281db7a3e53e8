import { productOwnerIds } from "@/lib/access/approvers";
import { ACCESS_JOB_TARGET, ACCESS_REVOKE_JOB, revokeJobKey } from "@/lib/access/jobs";
import { recordAudit, SYSTEM_ACTOR } from "@/lib/audit/record";
import { config } from "@/lib/config";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { UserError } from "@/lib/errors";
import type { FybrikClient } from "@/lib/integrations/fybrik/types";
import { bucketReadRoleBinding, GRANT_LABEL, grantBindingName, MANAGED_BY, MANAGED_BY_LABEL, PRODUCT_LABEL, productNamespace } from "@/lib/integrations/kubernetes/objects";
import type { KubernetesProvisioner } from "@/lib/integrations/kubernetes/types";
import { fqn } from "@/lib/integrations/openmetadata/client";
import { enqueueJob, pruneSucceededJobs } from "@/lib/jobs/outbox";
import { isPermanent, type ClaimedJob, type JobHandler } from "@/lib/jobs/worker";
import type { Logger } from "@/lib/log";
import { notify } from "@/lib/notifications/service";
import { PURPOSE_CATEGORIES } from "@/lib/products/spec";

/**
 * Enforcement of access grants, run by the outbox worker:
 *
 *   access.grant         provisioning → active. Trino needs no call (its rules are computed from the
 *                        catalogue and include every active, unexpired grant); a bucket port gets a
 *                        RoleBinding to read the bucket's credentials; a named workload gets a
 *                        FybrikApplication. On a permanent error, or when the last attempt fails,
 *                        the request becomes "failed" and whatever was created is removed again.
 *   access.revoke        removes what a grant created, after revocation or expiry.
 *   access.expiry-sweep  active grants past their end become "expired" (and get a revoke job);
 *                        grants ending within 7 days remind their requester once.
 *
 * Without a cluster (embedded mode) bucket grants and Fybrik applications are recorded as planned
 * and the grant still becomes active: the Trino rules are what enforces access there.
 *
 * Objects a grant created are recorded in provisioned_resources under the system "access-grant"
 * (apart from the product's own infrastructure, which the reconciler compares with what the product
 * wants), so the product's Infrastructure panel lists them and revocation finds them.
 */

export const GRANT_RESOURCE_SYSTEM = "access-grant";
/** Reminders go out this long before a grant ends. */
export const REMINDER_WINDOW_MS = 7 * 86_400_000;

export type EnforcementSystems = { kubernetes: KubernetesProvisioner; fybrik: FybrikClient };

export type EnforcementOptions = {
  /** Prefix of product namespaces (default: KUBERNETES_NAMESPACE_PREFIX). */
  namespacePrefix?: string;
  /** The clock (tests). */
  now?: () => Date;
};

/** What a job did in one system, for its result and the audit trail. */
export type EnforcementStep =
  | { system: "trino"; action: "rules"; detail: string }
  | {
      system: "kubernetes";
      action: "applied" | "planned" | "removed" | "nothing-to-remove";
      kind: "RoleBinding";
      namespace: string;
      name: string;
      subject?: { kind: "User" | "Group"; name: string };
      role?: string;
      outcome?: string;
      detail?: string;
    }
  | {
      system: "fybrik";
      action: "applied" | "planned" | "removed" | "nothing-to-remove" | "left-in-place";
      kind: "FybrikApplication";
      namespace: string;
      name: string;
      dataSetID?: string;
      detail?: string;
    };

const requestSelect = {
  id: true,
  status: true,
  revision: true,
  principalType: true,
  principalRef: true,
  purposeCategory: true,
  workload: true,
  expiresAt: true,
  extensionDays: true,
  remindedAt: true,
  requesterId: true,
  requester: { select: { name: true, email: true } },
  port: { select: { id: true, name: true, type: true, location: true, product: { select: { id: true, slug: true, name: true } } } },
} satisfies Prisma.AccessRequestSelect;

type GrantRow = Prisma.AccessRequestGetPayload<{ select: typeof requestSelect }>;

const loadRequest = (db: Tx, id: string) => db.accessRequest.findUnique({ where: { id }, select: requestSelect });

const link = (id: string) => `/access/requests/${id}`;
const what = (r: GrantRow) => `${r.port.product.name} / ${r.port.name}`;
/** "2027-03-01 10:00 UTC": the moment a grant ends, unambiguous for every reader. */
export const when = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;
const message = (err: unknown) => {
  const m = (err instanceof Error ? err.message : String(err)).trim().replace(/\.+$/, "");
  return m.length > 500 ? `${m.slice(0, 500)}…` : m;
};

/** The FybrikApplication of a grant: one per request, in the workload's namespace. */
export const fybrikApplicationName = (requestId: string) => `canopy-${requestId}`;

/**
 * Fybrik's data-catalog connector knows assets by id: for a Trino table Canopy uses the table's
 * OpenMetadata name (`trino.<catalog>.<schema>.<table>`, as Canopy pushes it there), for other
 * ports their location.
 */
export function fybrikDataSetId(port: { type: string; location: string }): string {
  if (port.type === "trino_table") {
    const parts = port.location.split(".");
    if (parts.length === 3 && parts.every(Boolean)) return fqn("trino", ...parts);
  }
  return port.location;
}

function parseWorkload(workload: string): { namespace: string; name: string } {
  const m = /^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\/([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)$/.exec(workload);
  if (!m) throw new UserError(`The workload "${workload}" is not namespace/name`, { code: "invalid_workload" });
  return { namespace: m[1]!, name: m[2]! };
}

/**
 * Who a bucket grant binds. A user is bound by e-mail (the user name an API server with OIDC
 * `--oidc-username-claim=email` sees); a group by its name; a data product by the group of all
 * service accounts in its namespace (`system:serviceaccounts:<prefix><slug>`), so its workloads can
 * read the credentials.
 */
export async function bucketSubject(db: Tx, r: Pick<GrantRow, "principalType" | "principalRef">, namespacePrefix: string): Promise<{ kind: "User" | "Group"; name: string }> {
  switch (r.principalType) {
    case "user": {
      const u = await db.user.findUnique({ where: { id: r.principalRef }, select: { email: true } });
      if (!u) throw new UserError("The user this grant is for no longer exists", { code: "unknown_principal" });
      return { kind: "User", name: u.email };
    }
    case "group":
      return { kind: "Group", name: r.principalRef };
    case "product":
      return { kind: "Group", name: `system:serviceaccounts:${productNamespace(r.principalRef, namespacePrefix)}` };
  }
}

/** The product's bucket claim for a port, as provisioning recorded it. */
async function bucketClaim(db: Tx, r: GrantRow) {
  return db.provisionedResource.findFirst({
    where: { productId: r.port.product.id, system: "kubernetes", kind: "ObjectBucketClaim", name: r.port.name },
    select: { namespace: true, name: true, state: true },
  });
}

async function recordResource(db: Tx, r: GrantRow, row: { kind: string; namespace: string; name: string; state: "applied" | "planned"; details: Prisma.InputJsonValue }, now: Date) {
  const key = { productId: r.port.product.id, system: GRANT_RESOURCE_SYSTEM, kind: row.kind, namespace: row.namespace, name: row.name };
  const data = { state: row.state, details: row.details, appliedAt: row.state === "applied" ? now : null, checkedAt: now, driftReason: null };
  await db.provisionedResource.upsert({ where: { productId_system_kind_namespace_name: key }, create: { ...key, ...data }, update: data });
}

function nsPrefix(opts: EnforcementOptions) {
  return opts.namespacePrefix ?? config().integrations.kubernetes.namespacePrefix;
}

// ---------------------------------------------------------------------------------------------
// Granting

/** Applies (or, without a cluster, plans) what the grant needs in each system. Idempotent. */
async function provisionGrant(db: Db, systems: EnforcementSystems, r: GrantRow, opts: EnforcementOptions, now: Date, log: Logger): Promise<EnforcementStep[]> {
  const steps: EnforcementStep[] = [];
  if (r.port.type === "trino_table") {
    steps.push({ system: "trino", action: "rules", detail: "The access rules Canopy serves to Trino include this grant while it is active and unexpired" });
  }

  if (r.port.type === "s3_bucket") {
    const prefix = nsPrefix(opts);
    const subject = await bucketSubject(db, r, prefix);
    const claim = await bucketClaim(db, r);
    const k8s = systems.kubernetes;
    if (k8s.mode === "connected") {
      if (!claim || claim.state === "planned") {
        // Provisioning may still be running (a product published a moment ago): a later attempt can succeed.
        throw new Error(`The bucket of port "${r.port.name}" is not provisioned in the cluster yet; provision ${r.port.product.name} first`);
      }
      const res = await k8s.grantBucketRead({ namespace: claim.namespace, claim: claim.name, subject, grantId: r.id });
      const role = (res.object as { roleRef?: { name?: string } }).roleRef?.name;
      const step = { system: "kubernetes", action: "applied", kind: "RoleBinding", namespace: claim.namespace, name: res.object.metadata.name, subject, role, outcome: res.action } as const;
      await recordResource(db, r, { kind: "RoleBinding", namespace: step.namespace, name: step.name, state: "applied", details: { grantId: r.id, subject, role: role ?? null, claim: claim.name } }, now);
      steps.push(step);
      log.info({ requestId: r.id, namespace: step.namespace, name: step.name, outcome: res.action }, "bucket read access granted");
    } else {
      const namespace = claim?.namespace || productNamespace(r.port.product.slug, prefix);
      const { roleBinding, role } = bucketReadRoleBinding({ namespace, claim: claim?.name ?? r.port.name, subject, grantId: r.id });
      await recordResource(
        db,
        r,
        { kind: "RoleBinding", namespace, name: roleBinding.metadata.name, state: "planned", details: { grantId: r.id, subject, role: role.metadata.name, claim: claim?.name ?? r.port.name } },
        now,
      );
      steps.push({
        system: "kubernetes",
        action: "planned",
        kind: "RoleBinding",
        namespace,
        name: roleBinding.metadata.name,
        subject,
        role: role.metadata.name,
        detail: "Kubernetes is not connected: recorded as planned, not applied",
      });
    }
  }

  if (r.workload) {
    const { namespace, name: workloadName } = parseWorkload(r.workload);
    const name = fybrikApplicationName(r.id);
    const dataSetID = fybrikDataSetId(r.port);
    if (systems.fybrik.mode === "connected") {
      await systems.fybrik.applyApplication({
        name,
        namespace,
        workloadLabels: { app: workloadName },
        intent: r.purposeCategory ? (PURPOSE_CATEGORIES[r.purposeCategory as keyof typeof PURPOSE_CATEGORIES] ?? r.purposeCategory) : "Unspecified",
        role: "consumer",
        assets: [{ dataSetID, flow: "read" }],
        labels: { [GRANT_LABEL]: r.id, [PRODUCT_LABEL]: r.port.product.slug, [MANAGED_BY_LABEL]: MANAGED_BY },
      });
      await recordResource(db, r, { kind: "FybrikApplication", namespace, name, state: "applied", details: { grantId: r.id, workload: r.workload, dataSetID } }, now);
      steps.push({ system: "fybrik", action: "applied", kind: "FybrikApplication", namespace, name, dataSetID });
      log.info({ requestId: r.id, namespace, name }, "FybrikApplication applied");
    } else {
      await recordResource(db, r, { kind: "FybrikApplication", namespace, name, state: "planned", details: { grantId: r.id, workload: r.workload, dataSetID } }, now);
      steps.push({ system: "fybrik", action: "planned", kind: "FybrikApplication", namespace, name, dataSetID, detail: "Fybrik is not enabled: recorded as planned, not applied" });
    }
  }
  return steps;
}

/**
 * Removes what a grant created (the inverse of provisionGrant), looking objects up by the grant's
 * id, so it also cleans up after a grant job that died half-way. Idempotent.
 */
async function removeGrant(db: Db, systems: EnforcementSystems, r: GrantRow, opts: EnforcementOptions, log: Logger): Promise<EnforcementStep[]> {
  const steps: EnforcementStep[] = [];
  if (r.port.type === "trino_table") {
    steps.push({ system: "trino", action: "rules", detail: `The access rules Canopy serves to Trino no longer include this grant (it is ${r.status})` });
  }
  const recorded = await db.provisionedResource.findMany({
    where: { productId: r.port.product.id, system: GRANT_RESOURCE_SYSTEM, name: { in: [grantBindingName(r.id), fybrikApplicationName(r.id)] } },
    select: { id: true, kind: true, namespace: true, name: true, state: true },
  });
  const done: string[] = [];

  if (r.port.type === "s3_bucket") {
    const row = recorded.find((x) => x.kind === "RoleBinding");
    const name = grantBindingName(r.id);
    if (systems.kubernetes.mode === "connected") {
      const namespace = row?.namespace || (await bucketClaim(db, r))?.namespace || productNamespace(r.port.product.slug, nsPrefix(opts));
      await systems.kubernetes.revokeBucketRead({ namespace, grantId: r.id });
      steps.push({ system: "kubernetes", action: "removed", kind: "RoleBinding", namespace, name });
      if (row) done.push(row.id);
      log.info({ requestId: r.id, namespace }, "bucket read access removed");
    } else if (row && row.state !== "planned") {
      steps.push({ system: "kubernetes", action: "nothing-to-remove", kind: "RoleBinding", namespace: row.namespace, name, detail: "Kubernetes is not connected any more: delete this RoleBinding in the cluster by hand" });
    } else {
      steps.push({ system: "kubernetes", action: "nothing-to-remove", kind: "RoleBinding", namespace: row?.namespace ?? "", name, detail: "Only planned, never applied" });
      if (row) done.push(row.id);
    }
  }

  const app = recorded.find((x) => x.kind === "FybrikApplication");
  if (r.workload || app) {
    const namespace = app?.namespace || parseWorkload(r.workload!).namespace;
    const name = fybrikApplicationName(r.id);
    if (systems.fybrik.mode === "connected") {
      await systems.fybrik.deleteApplication(namespace, name);
      steps.push({ system: "fybrik", action: "removed", kind: "FybrikApplication", namespace, name });
      if (app) done.push(app.id);
    } else if (app && app.state !== "planned") {
      steps.push({ system: "fybrik", action: "left-in-place", kind: "FybrikApplication", namespace, name, detail: "Fybrik is not enabled any more: delete this FybrikApplication by hand" });
    } else {
      steps.push({ system: "fybrik", action: "nothing-to-remove", kind: "FybrikApplication", namespace, name, detail: "Only planned, never applied" });
      if (app) done.push(app.id);
    }
  }
  if (done.length) await db.provisionedResource.deleteMany({ where: { id: { in: done } } });
  return steps;
}

/** The request moves provisioning → active with the revision check; false when it is no longer provisioning. */
async function activate(db: Db, id: string, steps: EnforcementStep[], job: ClaimedJob, now: Date): Promise<{ activated: true; row: GrantRow } | { activated: false; row: GrantRow | null }> {
  for (let round = 0; round < 3; round++) {
    const r = await loadRequest(db, id);
    if (!r || r.status !== "provisioning") return { activated: false, row: r };
    const ok = await db.$transaction(async (tx) => {
      const { count } = await tx.accessRequest.updateMany({
        where: { id, revision: r.revision, status: "provisioning" },
        data: { status: "active", revision: { increment: 1 }, updatedAt: now },
      });
      if (count !== 1) return false;
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: "access.activated",
        target: { type: ACCESS_JOB_TARGET, id },
        before: { status: "provisioning" },
        after: { status: "active", expiresAt: r.expiresAt, jobId: job.id, enforcement: steps },
      });
      await notify(tx, {
        userIds: [r.requesterId],
        kind: "access.active",
        title: `Access to ${what(r)} is active${r.expiresAt ? ` until ${when(r.expiresAt)}` : ""}`,
        body: activeBody(r, steps),
        link: link(id),
      });
      return true;
    });
    if (ok) return { activated: true, row: r };
  }
  // Changed under us three times in a row: let the worker try again later.
  throw new Error("The access request kept changing while its access was being set up");
}

function activeBody(r: GrantRow, steps: EnforcementStep[]): string {
  const parts: string[] = [];
  if (steps.some((s) => s.system === "trino")) parts.push("You can query the table in Trino now.");
  const rb = steps.find((s) => s.system === "kubernetes");
  if (rb && rb.system === "kubernetes")
    parts.push(
      rb.action === "applied"
        ? `The bucket's credentials are readable for ${rb.subject?.name ?? "the grantee"} in namespace ${rb.namespace} (Secret and ConfigMap "${r.port.name}").`
        : "The bucket grant is planned; no cluster is connected.",
    );
  const app = steps.find((s) => s.system === "fybrik");
  if (app && app.system === "fybrik")
    parts.push(app.action === "applied" ? `FybrikApplication ${app.namespace}/${app.name} was created for workload ${r.workload}.` : `A FybrikApplication for workload ${r.workload} is planned; Fybrik is not enabled.`);
  if (r.expiresAt) parts.push(`It ends on ${when(r.expiresAt)}; you will be reminded a week before.`);
  return parts.join(" ");
}

/** Provisioning failed for good: status failed, audited, requester and owners told. */
async function markFailed(db: Db, id: string, err: unknown, job: ClaimedJob, cleanup: string, now: Date): Promise<boolean> {
  const r = await loadRequest(db, id);
  if (!r || r.status !== "provisioning") return false;
  return db.$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({
      where: { id, revision: r.revision, status: "provisioning" },
      data: { status: "failed", revision: { increment: 1 }, updatedAt: now },
    });
    if (count !== 1) return false;
    const reason = message(err);
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "access.failed",
      target: { type: ACCESS_JOB_TARGET, id },
      before: { status: "provisioning" },
      after: { status: "failed", error: reason, jobId: job.id, attempt: job.attempt, maxAttempts: job.maxAttempts, cleanup },
    });
    const owners = await productOwnerIds(tx, r.port.product.id);
    await notify(tx, {
      userIds: [r.requesterId, ...owners],
      kind: "access.failed",
      title: `Setting up access to ${what(r)} failed`,
      body: `${reason}. The product's owners can retry it from the request page once the cause is fixed.`,
      link: link(id),
    });
    return true;
  });
}

/** The grant job: payload { requestId }. */
export function accessGrantHandler(systems: EnforcementSystems, opts: EnforcementOptions = {}): JobHandler {
  return async (job, { db, log }) => {
    const now = opts.now?.() ?? new Date();
    const { requestId } = job.payload as { requestId: string };
    const r = await loadRequest(db, requestId);
    if (!r) return { requestId, skipped: "the request no longer exists" };
    // Only a grant being provisioned is acted on: a re-run after success (or after a revocation) does nothing.
    if (r.status !== "provisioning") return { requestId, skipped: `the request is ${r.status}` };

    let steps: EnforcementStep[];
    try {
      steps = await provisionGrant(db, systems, r, opts, now, log);
    } catch (err) {
      const final = isPermanent(err) || job.attempt >= job.maxAttempts;
      if (!final) throw err;
      // Nothing half-made may outlive a failed grant: the cluster would still let the consumer in.
      let cleanup = "nothing to remove";
      try {
        const removed = await removeGrant(db, systems, { ...r, status: "failed" }, opts, log);
        if (removed.some((s) => s.action === "removed")) cleanup = "removed anything this grant had created";
      } catch (cleanupErr) {
        cleanup = `could not remove what was created (${message(cleanupErr)}); revoking the grant removes it`;
        log.warn({ requestId, err: message(cleanupErr) }, "cleaning up after a failed grant failed");
      }
      await markFailed(db, requestId, err, job, cleanup, now);
      throw err;
    }

    const outcome = await activate(db, requestId, steps, job, now);
    if (outcome.activated) return { requestId, status: "active", enforcement: steps };
    // Revoked (or otherwise ended) while we were applying: the revocation may have run before our
    // objects existed, so remove them here.
    const current = outcome.row;
    const removed = current ? await removeGrant(db, systems, current, opts, log) : [];
    return { requestId, skipped: `the request became ${current?.status ?? "deleted"} meanwhile`, enforcement: steps, removed };
  };
}

// ---------------------------------------------------------------------------------------------
// Revoking

/** The revoke job: payload { requestId }; acts on revoked or expired requests only. */
export function accessRevokeHandler(systems: EnforcementSystems, opts: EnforcementOptions = {}): JobHandler {
  return async (job, { db, log }) => {
    const { requestId } = job.payload as { requestId: string };
    const r = await loadRequest(db, requestId);
    if (!r) return { requestId, skipped: "the request no longer exists" };
    if (r.status !== "revoked" && r.status !== "expired") return { requestId, skipped: `the request is ${r.status}` };
    let steps: EnforcementStep[];
    try {
      steps = await removeGrant(db, systems, r, opts, log);
    } catch (err) {
      if (isPermanent(err) || job.attempt >= job.maxAttempts) {
        // The grant has ended in Canopy but the cluster may still let the consumer in: say so loudly.
        await db.$transaction(async (tx) => {
          await recordAudit(tx, SYSTEM_ACTOR, {
            action: "access.deprovision_failed",
            target: { type: ACCESS_JOB_TARGET, id: requestId },
            after: { status: r.status, error: message(err), jobId: job.id, attempt: job.attempt },
          });
          await notify(tx, {
            userIds: await productOwnerIds(tx, r.port.product.id),
            kind: "access.deprovision_failed",
            title: `Removing access to ${what(r)} failed`,
            body: `${message(err)}. Canopy's rules for Trino no longer include the grant, but the cluster may still allow it; a platform admin can retry the job from Admin → Integrations.`,
            link: link(requestId),
          });
        });
      }
      throw err;
    }
    await db.$transaction((tx) =>
      recordAudit(tx, SYSTEM_ACTOR, {
        action: "access.deprovisioned",
        target: { type: ACCESS_JOB_TARGET, id: requestId },
        after: { status: r.status, jobId: job.id, enforcement: steps },
      }),
    );
    return { requestId, status: r.status, enforcement: steps };
  };
}

// ---------------------------------------------------------------------------------------------
// The expiry sweep

export type SweepResult = { expired: string[]; reminded: string[] };

const BATCH = 200;

/**
 * Expires active grants whose end has come (status expired, revoke job, audit, requester and owners
 * told) and reminds requesters of grants ending within 7 days, once per grant (remindedAt; an
 * approved extension clears it, so the new end is reminded too). Grants without an end are never
 * touched. Each grant changes in its own transaction with the revision check, so a decision made at
 * the same moment wins cleanly and the grant is picked up by the next sweep if still due.
 */
export async function sweepAccess(db: Db, now: Date = new Date()): Promise<SweepResult> {
  const expired: string[] = [];
  const reminded: string[] = [];
  const seen = new Set<string>();

  // Each pass takes a batch, acts on it, and skips what it has seen, so a grant that could not be
  // changed (a decision won the race) is not picked again in this sweep.
  const inBatches = async (where: Prisma.AccessRequestWhereInput, act: (r: GrantRow) => Promise<boolean>, done: string[]) => {
    for (let round = 0; round < 50; round++) {
      const batch = await db.accessRequest.findMany({
        where: { ...where, id: { notIn: [...seen] } },
        orderBy: { expiresAt: "asc" },
        take: BATCH,
        select: requestSelect,
      });
      for (const r of batch) {
        seen.add(r.id);
        if (await act(r)) done.push(r.id);
      }
      if (batch.length < BATCH) break;
    }
  };
  await inBatches({ status: "active", expiresAt: { lte: now } }, (r) => expire(db, r, now), expired);
  await inBatches(
    { status: "active", remindedAt: null, expiresAt: { gt: now, lte: new Date(now.getTime() + REMINDER_WINDOW_MS) } },
    (r) => remind(db, r, now),
    reminded,
  );
  return { expired, reminded };
}

async function expire(db: Db, r: GrantRow, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({
      where: { id: r.id, revision: r.revision, status: "active", expiresAt: { lte: now } },
      data: { status: "expired", extensionDays: null, revision: { increment: 1 }, updatedAt: now },
    });
    if (count !== 1) return false;
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "access.expired",
      target: { type: ACCESS_JOB_TARGET, id: r.id },
      before: { status: "active", expiresAt: r.expiresAt, ...(r.extensionDays !== null ? { extensionDays: r.extensionDays } : {}) },
      after: { status: "expired" },
    });
    await enqueueJob(tx, { kind: ACCESS_REVOKE_JOB, payload: { requestId: r.id }, idempotencyKey: revokeJobKey(r.id), target: { type: ACCESS_JOB_TARGET, id: r.id }, runAt: now });
    const owners = await productOwnerIds(tx, r.port.product.id);
    await notify(tx, {
      userIds: [r.requesterId, ...owners],
      kind: "access.expired",
      title: `Access to ${what(r)} expired`,
      body: `${r.requester.name}'s access${forWhom(r)} ended on ${when(r.expiresAt!)}.${r.extensionDays !== null ? ` The extension asked for (${r.extensionDays} days) was not decided in time.` : ""} Request access again if it is still needed.`,
      link: link(r.id),
    });
    return true;
  });
}

async function remind(db: Db, r: GrantRow, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({
      where: { id: r.id, revision: r.revision, status: "active", remindedAt: null },
      data: { remindedAt: now, revision: { increment: 1 }, updatedAt: now },
    });
    if (count !== 1) return false;
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: "access.reminded",
      target: { type: ACCESS_JOB_TARGET, id: r.id },
      after: { remindedAt: now, expiresAt: r.expiresAt },
    });
    await notify(tx, {
      userIds: [r.requesterId],
      kind: "access.expiring",
      title: `Your access to ${what(r)} expires on ${r.expiresAt!.toISOString().slice(0, 10)}`,
      body:
        r.extensionDays !== null
          ? `Access${forWhom(r)} ends on ${when(r.expiresAt!)}. Your extension of ${r.extensionDays} days is waiting for a decision.`
          : `Access${forWhom(r)} ends on ${when(r.expiresAt!)}; ask for an extension on the request page if you still need it.`,
      link: link(r.id),
    });
    return true;
  });
}

function forWhom(r: GrantRow): string {
  if (r.principalType === "group") return ` for group ${r.principalRef}`;
  if (r.principalType === "product") return ` for data product ${r.principalRef}`;
  return "";
}

/** The scheduled sweep job: payload {}. */
export function accessExpiryHandler(opts: Pick<EnforcementOptions, "now"> = {}): JobHandler {
  return async (_job, { db, log }) => {
    const now = opts.now?.() ?? new Date();
    const result = await sweepAccess(db, now);
    // The sweep runs every few minutes everywhere, so it also keeps the outbox from growing forever.
    const pruned = await pruneSucceededJobs(db, now);
    if (result.expired.length || result.reminded.length || pruned)
      log.info({ expired: result.expired.length, reminded: result.reminded.length, pruned }, "access expiry sweep");
    return {
      expired: result.expired.length,
      reminded: result.reminded.length,
      pruned,
      ids: { expired: result.expired.slice(0, 50), reminded: result.reminded.slice(0, 50) },
    };
  };
}
