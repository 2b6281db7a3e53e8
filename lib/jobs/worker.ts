import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/lib/db/client";
import { UserError } from "@/lib/errors";
import { backoffDelay, IntegrationError } from "@/lib/integrations/http";
import { logger as rootLogger, type Logger } from "@/lib/log";

/**
 * The outbox worker. Claims due jobs with `FOR UPDATE SKIP LOCKED` (safe with several replicas or a
 * separate `npm run worker` process), runs each through its handler, and records the outcome:
 * success; a retry later with exponential backoff; or, after maxAttempts or a permanent error,
 * parked as failed with its last error. A job whose worker died is picked up again once its lease
 * runs out, so handlers must be idempotent (they get the job's idempotency key for that).
 */

export type ClaimedJob = {
  id: string;
  kind: string;
  payload: unknown;
  attempt: number;
  maxAttempts: number;
  idempotencyKey: string;
};

export type JobContext = { db: Db; log: Logger; signal: AbortSignal };
export type JobHandler = (job: ClaimedJob, ctx: JobContext) => Promise<unknown>;

export type WorkerOptions = {
  db: Db;
  handlers: Record<string, JobHandler>;
  workerId?: string;
  /** How long a claim lasts before another worker may take the job over. */
  leaseMs?: number;
  pollMs?: number;
  batchSize?: number;
  backoff?: { baseMs: number; maxMs: number };
  now?: () => Date;
  log?: Logger;
};

type Row = { id: string; kind: string; payload: unknown; attempts: number; max_attempts: number; idempotency_key: string };

/** Permanent errors are not worth another attempt. */
export function isPermanent(err: unknown): boolean {
  if (err instanceof IntegrationError) return !err.transient;
  return err instanceof UserError;
}

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg;
}

export function createWorker(opts: WorkerOptions) {
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;
  const pollMs = opts.pollMs ?? 2_000;
  const batch = opts.batchSize ?? 5;
  const backoff = opts.backoff ?? { baseMs: 5_000, maxMs: 15 * 60_000 };
  const now = opts.now ?? (() => new Date());
  const log = (opts.log ?? rootLogger).child({ component: "worker", workerId });
  const db = opts.db;

  async function claim(): Promise<ClaimedJob[]> {
    const t = now();
    const rows = await db.$queryRawUnsafe<Row[]>(
      `UPDATE "jobs" SET "status" = 'running', "locked_by" = $1, "locked_until" = $2, "attempts" = "attempts" + 1, "updated_at" = $3
       WHERE "id" IN (
         SELECT "id" FROM "jobs"
         WHERE ("status" = 'pending' AND "run_at" <= $3) OR ("status" = 'running' AND "locked_until" < $3)
         ORDER BY "run_at" LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING "id", "kind", "payload", "attempts", "max_attempts", "idempotency_key"`,
      workerId,
      new Date(t.getTime() + leaseMs),
      t,
      batch,
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      payload: r.payload,
      attempt: r.attempts,
      maxAttempts: r.max_attempts,
      idempotencyKey: r.idempotency_key,
    }));
  }

  async function finish(job: ClaimedJob, outcome: { ok: true; result: unknown } | { ok: false; error: unknown }) {
    const t = now();
    const mine = { id: job.id, lockedBy: workerId, status: "running" as const };
    if (outcome.ok) {
      const result = outcome.result === undefined ? undefined : JSON.parse(JSON.stringify(outcome.result));
      await db.job.updateMany({
        where: mine,
        data: { status: "succeeded", result, lastError: null, finishedAt: t, lockedBy: null, lockedUntil: null },
      });
      log.info({ jobId: job.id, kind: job.kind, attempt: job.attempt }, "job succeeded");
      return;
    }
    const error = describe(outcome.error);
    if (isPermanent(outcome.error) || job.attempt >= job.maxAttempts) {
      await db.job.updateMany({
        where: mine,
        data: { status: "failed", lastError: error, finishedAt: t, lockedBy: null, lockedUntil: null },
      });
      log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempt, error }, "job failed; parked");
      return;
    }
    const delay = backoffDelay(job.attempt, backoff.baseMs, backoff.maxMs);
    await db.job.updateMany({
      where: mine,
      data: { status: "pending", lastError: error, runAt: new Date(t.getTime() + delay), lockedBy: null, lockedUntil: null },
    });
    log.info({ jobId: job.id, kind: job.kind, attempt: job.attempt, retryInMs: delay, error }, "job will be retried");
  }

  async function run(job: ClaimedJob, signal: AbortSignal) {
    const handler = opts.handlers[job.kind];
    if (!handler) {
      await finish(job, { ok: false, error: new UserError(`No handler for job kind "${job.kind}"`) });
      return;
    }
    try {
      const result = await handler(job, { db, log: log.child({ jobId: job.id, kind: job.kind }), signal });
      await finish(job, { ok: true, result });
    } catch (error) {
      await finish(job, { ok: false, error });
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let inFlight: Promise<number> | undefined;
  const controller = new AbortController();

  /** Claims and runs one batch; returns how many jobs ran. */
  async function runOnce(): Promise<number> {
    const jobs = await claim();
    for (const job of jobs) await run(job, controller.signal);
    return jobs.length;
  }

  async function loop() {
    if (stopped) return;
    try {
      inFlight = runOnce();
      const n = await inFlight;
      timer = setTimeout(loop, n > 0 ? 0 : pollMs);
    } catch (err) {
      log.error({ err }, "worker loop failed; retrying");
      timer = setTimeout(loop, pollMs * 5);
    }
  }

  return {
    workerId,
    runOnce,
    /** Runs until nothing is due (tests and `npm run worker -- --once`). */
    async drain(maxRounds = 100) {
      let total = 0;
      for (let i = 0; i < maxRounds; i++) {
        const n = await runOnce();
        if (n === 0) break;
        total += n;
      }
      return total;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      log.info({ pollMs, leaseMs }, "worker started");
      timer = setTimeout(loop, 0);
      timer.unref?.();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort();
      await inFlight?.catch(() => undefined);
    },
  };
}

export type Worker = ReturnType<typeof createWorker>;
