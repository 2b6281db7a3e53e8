import { accessExpiryHandler, accessGrantHandler, accessRevokeHandler } from "@/lib/access/enforcement";
import { ACCESS_EXPIRY_JOB, ACCESS_GRANT_JOB, ACCESS_REVOKE_JOB } from "@/lib/access/jobs";
import { getPrisma, type Db } from "@/lib/db/client";
import { GOVERNANCE_REEVALUATE_JOB, reevaluateHandler } from "@/lib/governance/service";
import { getIntegrations, type Integrations } from "@/lib/integrations/registry";
import { enqueueJob } from "@/lib/jobs/outbox";
import { createWorker, type JobHandler, type Worker } from "@/lib/jobs/worker";
import { OM_LINEAGE_SWEEP_JOB, OM_LINEAGE_SYNC_JOB, OM_SWEEP_EVERY_MS } from "@/lib/lineage/openmetadata";
import { openMetadataLineageSweepHandler, openMetadataLineageSyncHandler, scheduleOpenMetadataLineageSweep } from "@/lib/lineage/openmetadata-jobs";
import { logger } from "@/lib/log";
import { WEBHOOK_JOB, webhookHandler } from "@/lib/notifications/webhook";
import { pushProductMetadataHandler, PUSH_METADATA_JOB } from "@/lib/provisioning/metadata";
import { PROVISION_JOB, provisionProductHandler, reconcileKubernetes } from "@/lib/provisioning/service";

export const RECONCILE_JOB = "kubernetes.reconcile";
const RECONCILE_EVERY_MS = 10 * 60_000;
/** How often grants are checked for expiry and reminders (the Trino rules drop an expired grant at once regardless). */
export const ACCESS_SWEEP_EVERY_MS = 5 * 60_000;

export function jobHandlers(integrations: Integrations): Record<string, JobHandler> {
  return {
    [PROVISION_JOB]: provisionProductHandler(integrations.kubernetes),
    [PUSH_METADATA_JOB]: pushProductMetadataHandler(integrations.openmetadata),
    [RECONCILE_JOB]: async (_job, { db }) => reconcileKubernetes(db, integrations.kubernetes),
    [ACCESS_GRANT_JOB]: accessGrantHandler(integrations),
    [ACCESS_REVOKE_JOB]: accessRevokeHandler(integrations),
    [ACCESS_EXPIRY_JOB]: accessExpiryHandler(),
    [WEBHOOK_JOB]: webhookHandler(),
    [GOVERNANCE_REEVALUATE_JOB]: reevaluateHandler(),
    [OM_LINEAGE_SYNC_JOB]: openMetadataLineageSyncHandler(integrations.openmetadata),
    [OM_LINEAGE_SWEEP_JOB]: openMetadataLineageSweepHandler(integrations.openmetadata),
  };
}

/** Enqueues one reconcile run per period; replicas racing to enqueue it make one job (same key). */
export async function scheduleReconcile(db: Db, now = new Date()) {
  const slot = Math.floor(now.getTime() / RECONCILE_EVERY_MS);
  await db.$transaction((tx) =>
    enqueueJob(tx, { kind: RECONCILE_JOB, payload: {}, idempotencyKey: `reconcile:${slot}`, maxAttempts: 1 }),
  );
}

/** Enqueues one access expiry sweep per period, like the reconciler (the next period's run catches up after a failure). */
export async function scheduleAccessSweep(db: Db, now = new Date()) {
  const slot = Math.floor(now.getTime() / ACCESS_SWEEP_EVERY_MS);
  return db.$transaction((tx) =>
    enqueueJob(tx, { kind: ACCESS_EXPIRY_JOB, payload: {}, idempotencyKey: `access-sweep:${slot}`, maxAttempts: 1, runAt: now }),
  );
}

const globalForWorker = globalThis as unknown as {
  __canopyWorker?: Worker;
  __canopyReconcileTimer?: NodeJS.Timeout;
  __canopyAccessSweepTimer?: NodeJS.Timeout;
  __canopyLineageSweepTimer?: NodeJS.Timeout;
};

/** Starts the outbox worker in this process (web server start-up, or `npm run worker`). */
export async function startWorker(): Promise<Worker> {
  if (globalForWorker.__canopyWorker) return globalForWorker.__canopyWorker;
  const db = await getPrisma();
  const integrations = await getIntegrations();
  const worker = createWorker({ db, handlers: jobHandlers(integrations) });
  worker.start();
  globalForWorker.__canopyWorker = worker;
  if (integrations.kubernetes.mode === "connected") {
    const tick = () => scheduleReconcile(db).catch((err) => logger.warn({ err }, "could not schedule the reconciler"));
    void tick();
    globalForWorker.__canopyReconcileTimer = setInterval(tick, RECONCILE_EVERY_MS);
    globalForWorker.__canopyReconcileTimer.unref();
  }
  // Expiry and reminders matter in every mode: the embedded one too.
  const sweep = () => scheduleAccessSweep(db).catch((err) => logger.warn({ err }, "could not schedule the access expiry sweep"));
  void sweep();
  globalForWorker.__canopyAccessSweepTimer = setInterval(sweep, ACCESS_SWEEP_EVERY_MS);
  globalForWorker.__canopyAccessSweepTimer.unref();
  // Lineage is pulled from (and product dependencies pushed to) OpenMetadata only when it is connected.
  if (integrations.openmetadata.mode === "connected") {
    const lineage = () => scheduleOpenMetadataLineageSweep(db).catch((err) => logger.warn({ err }, "could not schedule the OpenMetadata lineage sweep"));
    void lineage();
    globalForWorker.__canopyLineageSweepTimer = setInterval(lineage, OM_SWEEP_EVERY_MS);
    globalForWorker.__canopyLineageSweepTimer.unref();
  }
  return worker;
}

export async function stopWorker() {
  clearInterval(globalForWorker.__canopyReconcileTimer);
  clearInterval(globalForWorker.__canopyAccessSweepTimer);
  clearInterval(globalForWorker.__canopyLineageSweepTimer);
  await globalForWorker.__canopyWorker?.stop();
  globalForWorker.__canopyWorker = undefined;
}
