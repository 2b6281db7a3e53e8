import { beforeEach, expect, it } from "vitest";
import { enqueueJob, retryJob } from "@/lib/jobs/outbox";
import { createWorker, type JobHandler } from "@/lib/jobs/worker";
import { IntegrationError } from "@/lib/integrations/http";
import { describeEachDatabase } from "@/test/support/db";

const noBackoff = { baseMs: 1_000, maxMs: 1_000 };

describeEachDatabase("outbox and worker", (testDb, kind) => {
  let clock: Date;
  const now = () => clock;
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  beforeEach(async () => {
    // Jobs from earlier tests must not be picked up by later ones.
    await testDb().prisma.job.deleteMany({});
    clock = new Date("2026-11-27T10:00:00Z");
  });

  const enqueue = (key: string, kindName = "test.op", maxAttempts = 8) =>
    testDb().prisma.$transaction((tx) => enqueueJob(tx, { kind: kindName, payload: { key }, idempotencyKey: key, maxAttempts, runAt: clock }));

  it("enqueues a side effect once per idempotency key", async () => {
    const a = await enqueue("k1");
    const b = await enqueue("k1");
    expect(b.id).toBe(a.id);
    expect(await testDb().prisma.job.count()).toBe(1);
  });

  it("drops the job when the state change it belongs to rolls back", async () => {
    await expect(
      testDb().prisma.$transaction(async (tx) => {
        await enqueueJob(tx, { kind: "test.op", payload: {}, idempotencyKey: "rolled-back" });
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(await testDb().prisma.job.count()).toBe(0);
  });

  it("retries a transient failure with backoff until it succeeds", async () => {
    let calls = 0;
    const handlers: Record<string, JobHandler> = {
      "test.op": async () => {
        calls++;
        if (calls < 3) throw new IntegrationError("kubernetes", "503 Service Unavailable", { transient: true, status: 503 });
        return { created: true };
      },
    };
    const worker = createWorker({ db: testDb().prisma, handlers, now, backoff: noBackoff, leaseMs: 60_000 });
    const job = await enqueue("transient");
    expect(await worker.runOnce()).toBe(1);
    let row = await testDb().prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "503 Service Unavailable" });
    // not due yet: backoff in effect
    expect(await worker.runOnce()).toBe(0);
    advance(1_000);
    expect(await worker.runOnce()).toBe(1);
    advance(1_000);
    expect(await worker.runOnce()).toBe(1);
    row = await testDb().prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "succeeded", attempts: 3, lastError: null, result: { created: true } });
    expect(calls).toBe(3);
  });

  it("parks a job as failed after its last attempt, keeping the error", async () => {
    const worker = createWorker({
      db: testDb().prisma,
      handlers: { "test.op": async () => Promise.reject(new Error("connection reset")) },
      now,
      backoff: noBackoff,
    });
    const job = await enqueue("always-fails", "test.op", 3);
    for (let i = 0; i < 3; i++) {
      expect(await worker.runOnce()).toBe(1);
      advance(1_000);
    }
    expect(await worker.runOnce()).toBe(0);
    const row = await testDb().prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "failed", attempts: 3, lastError: "connection reset" });
    expect(row.finishedAt).not.toBeNull();
  });

  it("does not retry a permanent error", async () => {
    let calls = 0;
    const worker = createWorker({
      db: testDb().prisma,
      handlers: {
        "test.op": async () => {
          calls++;
          throw new IntegrationError("kubernetes", 'namespaces "x" is forbidden', { status: 403, reason: "Forbidden" });
        },
      },
      now,
    });
    const job = await enqueue("forbidden");
    await worker.drain();
    advance(3_600_000);
    await worker.drain();
    expect(calls).toBe(1);
    expect(await testDb().prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "failed", lastError: 'namespaces "x" is forbidden' });
  });

  it("fails a job nobody can run", async () => {
    const worker = createWorker({ db: testDb().prisma, handlers: {}, now });
    const job = await enqueue("orphan", "no.such.kind");
    await worker.drain();
    expect(await testDb().prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "failed",
      lastError: 'No handler for job kind "no.such.kind"',
    });
  });

  it("takes over a job whose worker crashed, and the idempotent handler creates the resource once", async () => {
    // The external system: an idempotent apply creates a resource only when it is missing.
    const resources = new Set<string>();
    let creations = 0;
    const createOnce = (key: string) => {
      if (resources.has(key)) return;
      resources.add(key);
      creations++;
    };
    const handler: JobHandler = async (job) => {
      createOnce(job.idempotencyKey);
      return { resource: job.idempotencyKey };
    };
    let crashedRuns = 0;
    const crashing = createWorker({
      db: testDb().prisma,
      workerId: "crashing",
      leaseMs: 30_000,
      now,
      handlers: {
        "test.op": async (job) => {
          crashedRuns++;
          createOnce(job.idempotencyKey);
          // the process dies here: the job is never finished
          return new Promise(() => undefined);
        },
      },
    });
    const job = await enqueue("crash");
    void crashing.runOnce();
    await new Promise((r) => setTimeout(r, 200));
    expect(await testDb().prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", lockedBy: "crashing" });

    const healthy = createWorker({ db: testDb().prisma, workerId: "healthy", leaseMs: 30_000, now, handlers: { "test.op": handler } });
    expect(await healthy.runOnce()).toBe(0); // the lease still holds
    advance(30_001);
    expect(await healthy.runOnce()).toBe(1);
    const row = await testDb().prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "succeeded", attempts: 2, lockedBy: null });
    expect(crashedRuns).toBe(1);
    expect([...resources]).toEqual(["crash"]);
    expect(creations).toBe(1);
  });

  // PGlite serves one connection, so only PostgreSQL can show workers racing for jobs.
  if (kind === "postgres") it("hands each job to exactly one of several concurrent workers", async () => {
    const runs = new Map<string, number>();
    const handlers: Record<string, JobHandler> = {
      "test.op": async (job) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
      },
    };
    for (let i = 0; i < 30; i++) await enqueue(`parallel-${i}`);
    const workers = [1, 2, 3].map((n) => createWorker({ db: testDb().prisma, workerId: `w${n}`, handlers, now, batchSize: 2 }));
    await Promise.all(workers.map((w) => w.drain()));
    expect(runs.size).toBe(30);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(await testDb().prisma.job.count({ where: { status: "succeeded" } })).toBe(30);
  });

  it("lets an admin put a failed job back in the queue, audited; other states are refused", async () => {
    const db = testDb().prisma;
    const job = await enqueue("retry-me", "test.op", 1);
    await createWorker({ db, handlers: { "test.op": async () => Promise.reject(new Error("boom")) }, now }).drain();
    await db.$transaction((tx) => retryJob(tx, { id: null, label: "admin@example.test" }, job.id));
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "pending", attempts: 0 });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "job.retry", targetId: job.id } });
    expect(audit.before).toMatchObject({ status: "failed", lastError: "boom" });
    await expect(db.$transaction((tx) => retryJob(tx, { id: null, label: "admin" }, job.id))).rejects.toThrow(/Only failed jobs can be retried/);
  });
});
