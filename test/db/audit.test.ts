import { expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record";
import { describeEachDatabase } from "@/test/support/db";

describeEachDatabase("audit trail", (testDb) => {
  it("commits an audit event together with the change it describes", async () => {
    const db = testDb().prisma;
    await db.$transaction(async (tx) => {
      const d = await tx.domain.create({ data: { slug: "ops", name: "Ops" } });
      await recordAudit(tx, { id: null, label: "system", requestId: "r-1" }, { action: "domain.create", target: { type: "domain", id: d.id }, after: { slug: "ops", at: new Date(0), n: 5n } });
    });
    const e = await db.auditEvent.findFirstOrThrow({ where: { action: "domain.create" } });
    expect(e).toMatchObject({ actorLabel: "system", requestId: "r-1", targetType: "domain", after: { slug: "ops", at: "1970-01-01T00:00:00.000Z", n: "5" } });
  });

  it("rolls the audit event back with a change that fails", async () => {
    const db = testDb().prisma;
    await expect(
      db.$transaction(async (tx) => {
        const d = await tx.domain.create({ data: { slug: "doomed", name: "Doomed" } });
        await recordAudit(tx, { id: null, label: "system" }, { action: "domain.create", target: { type: "domain", id: d.id } });
        await tx.domain.create({ data: { slug: "doomed", name: "Duplicate" } });
      }),
    ).rejects.toThrow();
    expect(await db.domain.count({ where: { slug: "doomed" } })).toBe(0);
    expect(await db.auditEvent.count({ where: { targetType: "domain", action: "domain.create" } })).toBe(1);
  });

  it("is append-only: the database refuses updates and deletes, whoever asks", async () => {
    const db = testDb().prisma;
    const before = await db.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(before.length).toBeGreaterThan(0);
    await expect(db.auditEvent.updateMany({ data: { actorLabel: "someone else" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`UPDATE audit_events SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    expect(await db.auditEvent.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });
});
