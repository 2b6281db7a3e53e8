import { beforeAll, describe, expect, it } from "vitest";
import { auditCsv, auditFilterSchema, listAuditEvents, productHistory } from "@/lib/audit/queries";
import { recordAudit } from "@/lib/audit/record";
import { describeEachDatabase } from "@/test/support/db";

describeEachDatabase("audit trail queries", (testDb) => {
  let productId: string;
  beforeAll(async () => {
    const db = testDb().prisma;
    const domain = await db.domain.create({ data: { slug: "ops", name: "Ops" } });
    const product = await db.dataProduct.create({ data: { slug: "p1", name: "P1", domainId: domain.id } });
    const port = await db.outputPort.create({ data: { productId: product.id, name: "t", type: "trino_table", location: "iceberg.ops.t" } });
    productId = product.id;
    for (let i = 0; i < 7; i++) {
      await db.$transaction((tx) =>
        recordAudit(tx, { id: null, label: i % 2 ? "alice@example.test" : "bob@example.test" }, { action: i < 5 ? "product.update" : "auth.sign_in", target: { type: "product", id: product.id }, after: { i } }),
      );
    }
    await db.$transaction((tx) => recordAudit(tx, { id: null, label: "alice@example.test" }, { action: "port.update", target: { type: "port", id: port.id } }));
    await db.$transaction((tx) => recordAudit(tx, { id: null, label: "system" }, { action: "demo.seed", target: { type: "catalogue", id: "x" } }));
  });

  it("filters by actor, action prefix and target, newest first", async () => {
    const db = testDb().prisma;
    const f = auditFilterSchema.parse({ actor: "ALICE", action: "product." });
    const { events } = await listAuditEvents(db, f);
    expect(events.map((e) => e.after)).toEqual([{ i: 3 }, { i: 1 }]);
    const byTarget = await listAuditEvents(db, auditFilterSchema.parse({ targetType: "catalogue" }));
    expect(byTarget.events.map((e) => e.action)).toEqual(["demo.seed"]);
  });

  it("pages with a cursor, without gaps or repeats", async () => {
    const db = testDb().prisma;
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listAuditEvents(db, auditFilterSchema.parse({ before }), 3);
      seen.push(...page.events.map((e) => e.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    const all = (await db.auditEvent.findMany({ orderBy: { id: "desc" }, select: { id: true } })).map((e) => e.id.toString());
    expect(seen).toEqual(all);
  });

  it("filters by day, both ends inclusive", async () => {
    const db = testDb().prisma;
    const all = await db.auditEvent.findMany({ orderBy: { at: "asc" }, select: { at: true } });
    const from = all[0]!.at.toISOString().slice(0, 10);
    const to = all.at(-1)!.at.toISOString().slice(0, 10);
    expect((await listAuditEvents(db, auditFilterSchema.parse({ from, to }))).events.length).toBe(9);
    expect((await listAuditEvents(db, auditFilterSchema.parse({ from: "2999-01-01" }))).events).toEqual([]);
    expect((await listAuditEvents(db, auditFilterSchema.parse({ to: "2000-01-01" }))).events).toEqual([]);
  });

  it("collects a product's history, its ports included", async () => {
    const history = await productHistory(testDb().prisma, productId);
    expect(history.map((e) => e.action)).toEqual(["port.update", "auth.sign_in", "auth.sign_in", ...Array(5).fill("product.update")]);
  });
});

describe("audit filters and export", () => {
  it("explains bad filters", () => {
    expect(auditFilterSchema.safeParse({ from: "yesterday" }).error!.issues[0]!.message).toBe("from must be a date like 2026-11-27");
    expect(auditFilterSchema.safeParse({ from: "2026-02-01", to: "2026-01-01" }).error!.issues[0]!.message).toBe("from must not be after to");
    expect(auditFilterSchema.safeParse({ before: "1 OR 1=1" }).success).toBe(false);
  });

  it("writes CSV that spreadsheets open safely", () => {
    const csv = auditCsv([
      { id: "1", at: "2026-11-27T10:00:00.000Z", actor: "=HYPERLINK(\"x\")", action: "a", targetType: "t", targetId: "1", before: null, after: { note: 'say "hi"' }, requestId: null },
    ]);
    const [header, row] = csv.trim().split("\r\n");
    expect(header).toBe("id,at,actor,action,target_type,target_id,before,after,request_id");
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row).toContain(`"{""note"":""say \\""hi\\""""}"`);
  });
});
