import { expect, it } from "vitest";
import { enqueueJob, pruneSucceededJobs } from "@/lib/jobs/outbox";
import { describeEachDatabase } from "@/test/support/db";

describeEachDatabase("pruning the outbox", (testDb) => {
  it("deletes succeeded jobs older than the retention and keeps recent, pending and failed ones", async () => {
    const db = testDb().prisma;
    const now = new Date("2026-11-28T12:00:00Z");
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const make = async (key: string, status: "pending" | "succeeded" | "failed", finishedAt: Date | null) => {
      const job = await db.$transaction((tx) => enqueueJob(tx, { kind: "test.noop", payload: {}, idempotencyKey: key }));
      await db.job.update({ where: { id: job.id }, data: { status, finishedAt } });
    };
    await make("old-ok", "succeeded", daysAgo(30));
    await make("recent-ok", "succeeded", daysAgo(2));
    await make("old-failed", "failed", daysAgo(30));
    await make("pending", "pending", null);
    expect(await pruneSucceededJobs(db, now)).toBe(1);
    const left = await db.job.findMany({ select: { idempotencyKey: true }, orderBy: { idempotencyKey: "asc" } });
    expect(left.map((j) => j.idempotencyKey)).toEqual(["old-failed", "pending", "recent-ok"]);
  });
});
