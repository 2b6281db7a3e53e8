import type { AuditActor } from "@/lib/audit/record";
import { recordAudit } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { NotFoundError, UserError } from "@/lib/errors";

/**
 * The outbox. A state change that needs an external system writes a job here in the same transaction;
 * the worker (lib/jobs/worker.ts) runs it later, with retries. Users never wait on Kubernetes or Trino.
 */

export type EnqueueInput = {
  kind: string;
  payload: Prisma.InputJsonValue;
  /** The same key never makes a second job: enqueueing is idempotent. */
  idempotencyKey: string;
  target?: { type: string; id: string };
  maxAttempts?: number;
  runAt?: Date;
};

export async function enqueueJob(tx: Tx, input: EnqueueInput) {
  await tx.job.createMany({
    data: [
      {
        kind: input.kind,
        payload: input.payload,
        idempotencyKey: input.idempotencyKey,
        targetType: input.target?.type ?? null,
        targetId: input.target?.id ?? null,
        maxAttempts: input.maxAttempts ?? 8,
        runAt: input.runAt ?? new Date(),
      },
    ],
    skipDuplicates: true,
  });
  return tx.job.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey }, select: jobSelect });
}

export const jobSelect = {
  id: true,
  kind: true,
  status: true,
  attempts: true,
  maxAttempts: true,
  runAt: true,
  lastError: true,
  result: true,
  targetType: true,
  targetId: true,
  createdAt: true,
  updatedAt: true,
  finishedAt: true,
} satisfies Prisma.JobSelect;

export type JobDto = {
  id: string;
  kind: string;
  status: "pending" | "running" | "succeeded" | "failed";
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lastError: string | null;
  targetType: string | null;
  targetId: string | null;
  createdAt: string;
  finishedAt: string | null;
};

export function toJobDto(j: Prisma.JobGetPayload<{ select: typeof jobSelect }>): JobDto {
  return {
    id: j.id,
    kind: j.kind,
    status: j.status,
    attempts: j.attempts,
    maxAttempts: j.maxAttempts,
    runAt: j.runAt.toISOString(),
    lastError: j.lastError,
    targetType: j.targetType,
    targetId: j.targetId,
    createdAt: j.createdAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

export async function listJobs(db: Tx, where: Prisma.JobWhereInput = {}, take = 50): Promise<JobDto[]> {
  const rows = await db.job.findMany({ where, select: jobSelect, orderBy: { createdAt: "desc" }, take });
  return rows.map(toJobDto);
}

/** Puts a failed job back in the queue (an admin's retry button), audited. */
export async function retryJob(tx: Tx, actor: AuditActor, jobId: string) {
  const job = await tx.job.findUnique({ where: { id: jobId }, select: { id: true, status: true, kind: true, attempts: true, lastError: true } });
  if (!job) throw new NotFoundError("No such job");
  if (job.status !== "failed") throw new UserError(`Only failed jobs can be retried; this one is ${job.status}`, { status: 409, code: "conflict" });
  const updated = await tx.job.updateMany({
    where: { id: jobId, status: "failed" },
    data: { status: "pending", attempts: 0, runAt: new Date(), finishedAt: null, lockedBy: null, lockedUntil: null },
  });
  if (updated.count !== 1) throw new UserError("The job changed meanwhile; reload and try again", { status: 409, code: "conflict" });
  await recordAudit(tx, actor, {
    action: "job.retry",
    target: { type: "job", id: jobId },
    before: { status: job.status, attempts: job.attempts, lastError: job.lastError },
    after: { status: "pending" },
  });
}

/** Succeeded jobs are kept this long for the admin page, then deleted; failed (parked) ones stay until handled. */
export const SUCCEEDED_JOB_RETENTION_DAYS = 14;

export async function pruneSucceededJobs(db: Tx, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - SUCCEEDED_JOB_RETENTION_DAYS * 86_400_000);
  const { count } = await db.job.deleteMany({ where: { status: "succeeded", finishedAt: { lt: before } } });
  return count;
}
