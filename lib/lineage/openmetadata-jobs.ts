import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Db, Tx } from "@/lib/db/client";
import { NotFoundError, UserError } from "@/lib/errors";
import type { OpenMetadataClient } from "@/lib/integrations/openmetadata/types";
import { enqueueJob, jobSelect, toJobDto, type JobDto } from "@/lib/jobs/outbox";
import { isPermanent, type JobHandler } from "@/lib/jobs/worker";
import {
  OM_DEFAULT_DEPTH,
  OM_LINEAGE_SWEEP_JOB,
  OM_LINEAGE_SYNC_JOB,
  OM_NOT_CONFIGURED,
  OM_REFRESH_AFTER_MS,
  OM_SWEEP_BATCH,
  OM_SWEEP_EVERY_MS,
  parseDepth,
  recordFailedSync,
  syncProductLineage,
  type OmSyncPayload,
  type OmSyncSummary,
} from "@/lib/lineage/openmetadata";

/**
 * The OpenMetadata lineage sync as outbox jobs: "Sync now" queues one product, a periodic sweep
 * queues the products that changed (or were not synced for a day); the status the product page shows.
 */

// ---------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------

const describeError = (err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg;
};

/** The outbox handler: a no-op with a clear result when OpenMetadata is not configured. */
export function openMetadataLineageSyncHandler(om: OpenMetadataClient): JobHandler {
  return async (job, { db, log }) => {
    const payload = job.payload as OmSyncPayload;
    if (om.mode !== "connected") return { synced: false, reason: OM_NOT_CONFIGURED };
    try {
      const { importId, summary } = await syncProductLineage(db, om, payload.productId, { depth: payload.depth, actor: payload.actor });
      return { synced: true, importId, added: summary.edges.added, removed: summary.edges.removed, pushed: summary.pushed.added.length };
    } catch (err) {
      // Recorded once, when the worker will not try again; earlier attempts show as the job's last error.
      if (err instanceof NotFoundError) return { synced: false, reason: "The product no longer exists" };
      if (isPermanent(err) || job.attempt >= job.maxAttempts) {
        await recordFailedSync(db, payload.productId, payload.actor, describeError(err)).catch((e: unknown) =>
          log.warn({ err: e }, "could not record the failed OpenMetadata lineage sync"),
        );
      }
      throw err;
    }
  };
}

const syncKey = (productId: string, slot: string) => `lineage-om:${productId}:${slot}`;

async function activeSyncJob(db: Tx, productId: string) {
  return db.job.findFirst({
    where: { kind: OM_LINEAGE_SYNC_JOB, targetType: "product", targetId: productId, status: { in: ["pending", "running"] } },
    orderBy: { createdAt: "desc" },
    select: jobSelect,
  });
}

/**
 * Queues a sync of one product ("Sync now"), audited in the same transaction. A sync already
 * waiting or running is returned instead of a second one, and so is one that ran within the same minute.
 */
export async function requestOpenMetadataSync(
  tx: Tx,
  actor: AuditActor,
  product: { id: string; slug: string },
  opts: { configured: boolean; depth?: number; now?: Date },
): Promise<{ job: JobDto; queued: boolean }> {
  if (!opts.configured) throw new UserError(OM_NOT_CONFIGURED, { status: 409, code: "not_configured" });
  const depth = parseDepth(opts.depth);
  const active = await activeSyncJob(tx, product.id);
  if (active) return { job: toJobDto(active), queued: false };
  const now = opts.now ?? new Date();
  const job = await enqueueJob(tx, {
    kind: OM_LINEAGE_SYNC_JOB,
    payload: { productId: product.id, depth, actor: { id: actor.id, label: actor.label }, reason: "manual" },
    idempotencyKey: syncKey(product.id, `manual:${Math.floor(now.getTime() / 60_000)}`),
    target: { type: "product", id: product.id },
    maxAttempts: 3,
    runAt: now,
  });
  // The same minute's sync ran already: it is the answer (a minute is the shortest interval between runs).
  if (job.status !== "pending") return { job: toJobDto(job), queued: false };
  await recordAudit(tx, actor, {
    action: "lineage.openmetadata_sync_requested",
    target: { type: "product", id: product.id },
    after: { slug: product.slug, jobId: job.id, depth },
  });
  return { job: toJobDto(job), queued: true };
}

/**
 * The sweep: queues a sync for every product with a trino_table port or an input that changed since
 * its last sync, or was last synced more than a day ago (oldest first, a batch per sweep).
 */
export async function queueDueSyncs(db: Db, now = new Date(), batch = OM_SWEEP_BATCH): Promise<{ queued: number }> {
  const products = await db.dataProduct.findMany({
    where: { OR: [{ outputPorts: { some: { type: "trino_table" } } }, { dependencies: { some: {} } }] },
    select: { id: true, updatedAt: true },
  });
  if (!products.length) return { queued: 0 };
  const last = await db.lineageImport.groupBy({
    by: ["productId"],
    where: { source: "openmetadata", productId: { not: null } },
    _max: { createdAt: true },
  });
  const lastRun = new Map(last.map((r) => [r.productId!, r._max.createdAt]));
  const active = new Set(
    (
      await db.job.findMany({
        where: { kind: OM_LINEAGE_SYNC_JOB, targetType: "product", status: { in: ["pending", "running"] } },
        select: { targetId: true },
      })
    ).map((j) => j.targetId),
  );
  const staleBefore = now.getTime() - OM_REFRESH_AFTER_MS;
  const due = products
    .map((p) => ({ id: p.id, at: lastRun.get(p.id)?.getTime() ?? 0, changed: p.updatedAt.getTime() }))
    .filter((p) => !active.has(p.id) && (p.at < p.changed || p.at < staleBefore))
    .sort((a, b) => a.at - b.at)
    .slice(0, batch);
  if (!due.length) return { queued: 0 };
  const slot = Math.floor(now.getTime() / OM_SWEEP_EVERY_MS);
  await db.$transaction(async (tx) => {
    for (const p of due) {
      await enqueueJob(tx, {
        kind: OM_LINEAGE_SYNC_JOB,
        payload: { productId: p.id, depth: OM_DEFAULT_DEPTH, actor: null, reason: p.at < p.changed ? "changed" : "refresh" },
        idempotencyKey: syncKey(p.id, `sweep:${slot}`),
        target: { type: "product", id: p.id },
        maxAttempts: 3,
        runAt: now,
      });
    }
  });
  return { queued: due.length };
}

export function openMetadataLineageSweepHandler(om: OpenMetadataClient): JobHandler {
  return async (_job, { db }) => {
    if (om.mode !== "connected") return { queued: 0, reason: OM_NOT_CONFIGURED };
    return queueDueSyncs(db);
  };
}

/** Enqueues one sweep per period; replicas racing to enqueue it make one job (same key). */
export async function scheduleOpenMetadataLineageSweep(db: Db, now = new Date()) {
  const slot = Math.floor(now.getTime() / OM_SWEEP_EVERY_MS);
  return db.$transaction((tx) =>
    enqueueJob(tx, { kind: OM_LINEAGE_SWEEP_JOB, payload: {}, idempotencyKey: `lineage-om-sweep:${slot}`, maxAttempts: 1, runAt: now }),
  );
}

// ---------------------------------------------------------------------------------------------
// Status
// ---------------------------------------------------------------------------------------------

export type OmSyncRun = {
  id: string;
  status: "succeeded" | "failed";
  at: string;
  actor: string;
  summary: OmSyncSummary | null;
  error: string | null;
};

export type OmSyncStatus = {
  configured: boolean;
  /** Why there is nothing to sync, when OpenMetadata is not configured. */
  message: string | null;
  lastRun: OmSyncRun | null;
  /** The sync waiting or running now (its lastError tells of a failed attempt that will be retried). */
  job: JobDto | null;
};

export async function openMetadataSyncStatus(db: Tx, productId: string, configured: boolean): Promise<OmSyncStatus> {
  const [run, job] = await Promise.all([
    db.lineageImport.findFirst({
      where: { source: "openmetadata", productId },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true, createdAt: true, actor: true, summary: true, error: true },
    }),
    activeSyncJob(db, productId),
  ]);
  const summary = run?.summary as OmSyncSummary | undefined;
  return {
    configured,
    message: configured ? null : OM_NOT_CONFIGURED,
    lastRun: run
      ? {
          id: run.id,
          status: run.status === "failed" ? "failed" : "succeeded",
          at: run.createdAt.toISOString(),
          actor: run.actor,
          summary: summary && "edges" in summary ? summary : null,
          error: run.error,
        }
      : null,
    job: job ? toJobDto(job) : null,
  };
}
