import { beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/permissions";
import { seedDemoMesh } from "@/lib/demo/seed";
import { DRAFT_MAX_BYTES, DRAFT_MAX_PER_USER, saveDraftInput } from "@/lib/drafts/schemas";
import { countDrafts, discardDraft, draftTitle, getDraft, listDrafts, saveDraft } from "@/lib/drafts/service";
import { ConflictError, NotFoundError, UserError } from "@/lib/errors";
import { describeEachDatabase } from "@/test/support/db";
import { personaPrincipal } from "@/test/support/seeded";

const ctxOf = (user: Principal) => ({ user, actor: { id: user.id, label: user.email } });

describeEachDatabase("wizard drafts", (testDb) => {
  let olivia: Principal;
  let sofia: Principal;
  let carlos: Principal;

  beforeAll(async () => {
    const db = testDb().prisma;
    await seedDemoMesh(db);
    olivia = await personaPrincipal(db, "owner");
    sofia = await personaPrincipal(db, "steward");
    carlos = await personaPrincipal(db, "consumer");
  });

  it("creates a draft, saves over it with the current revision, and resumes it as saved", async () => {
    const db = testDb().prisma;
    const created = await saveDraft(db, ctxOf(olivia), { step: 0, data: { v: 1, name: "  Sales   Returns ", summary: "" } });
    expect(created.revision).toBe(1);
    const saved = await saveDraft(db, ctxOf(olivia), { id: created.id, revision: 1, step: 2, data: { v: 1, name: "Sales Returns", summary: "Every return" } });
    expect(saved).toMatchObject({ id: created.id, revision: 2 });
    const d = await getDraft(db, olivia.id, created.id);
    expect(d).toMatchObject({ id: created.id, title: "Sales Returns", step: 2, revision: 2, data: { v: 1, name: "Sales Returns", summary: "Every return" } });
    expect((await listDrafts(db, olivia.id)).map((x) => x.id)).toContain(created.id);
    const audit = await db.auditEvent.findMany({ where: { targetType: "product_draft", targetId: created.id }, select: { action: true, actorId: true } });
    expect(audit).toEqual([{ action: "draft.create", actorId: olivia.id }]);
  });

  it("keeps drafts private: another user cannot list, read, save over or discard them", async () => {
    const db = testDb().prisma;
    const mine = await saveDraft(db, ctxOf(olivia), { step: 0, data: { name: "Private work" } });
    expect((await listDrafts(db, sofia.id)).map((d) => d.id)).not.toContain(mine.id);
    await expect(getDraft(db, sofia.id, mine.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(saveDraft(db, ctxOf(sofia), { id: mine.id, revision: mine.revision, step: 1, data: { name: "Hijacked" } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(discardDraft(db, ctxOf(sofia), mine.id)).rejects.toBeInstanceOf(NotFoundError);
    // Nothing changed.
    expect(await getDraft(db, olivia.id, mine.id)).toMatchObject({ title: "Private work", revision: 1, step: 0 });
  });

  it("answers ids that are not drafts, or not ids at all, with not found", async () => {
    const db = testDb().prisma;
    await expect(getDraft(db, olivia.id, "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
    await expect(getDraft(db, olivia.id, "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a save based on an older revision and keeps the newer one", async () => {
    const db = testDb().prisma;
    const d = await saveDraft(db, ctxOf(olivia), { step: 0, data: { name: "Two tabs" } });
    // Tab A saves first; tab B still holds revision 1.
    await saveDraft(db, ctxOf(olivia), { id: d.id, revision: 1, step: 1, data: { name: "From tab A" } });
    const err = await saveDraft(db, ctxOf(olivia), { id: d.id, revision: 1, step: 0, data: { name: "From tab B" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/another tab or window/);
    expect(await getDraft(db, olivia.id, d.id)).toMatchObject({ title: "From tab A", step: 1, revision: 2 });
    await expect(saveDraft(db, ctxOf(olivia), { id: d.id, step: 0, data: {} })).rejects.toBeInstanceOf(UserError);
  });

  it("refuses drafts larger than the limit, and data that is not an object", async () => {
    const db = testDb().prisma;
    const big = { name: "Big", description: "x".repeat(DRAFT_MAX_BYTES) };
    const err = await saveDraft(db, ctxOf(olivia), { step: 0, data: big }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ status: 413, code: "draft_too_large" });
    expect((err as Error).message).toMatch(/too large to save.*512 KB/);
    await expect(saveDraft(db, ctxOf(olivia), { step: 0, data: [] as unknown as Record<string, unknown> })).rejects.toBeInstanceOf(UserError);
    await expect(saveDraft(db, ctxOf(olivia), { step: 9, data: {} })).rejects.toBeInstanceOf(UserError);
    // The action's input schema says the same before anything runs.
    expect(saveDraftInput.safeParse({ step: 0, data: big }).success).toBe(false);
    expect(saveDraftInput.safeParse({ step: 0, data: [] }).success).toBe(false);
    expect(saveDraftInput.safeParse({ step: 0, data: "text" }).success).toBe(false);
    expect(saveDraftInput.safeParse({ step: 6, data: {} }).success).toBe(false);
    expect(saveDraftInput.safeParse({ id: "nope", revision: 1, step: 0, data: {} }).success).toBe(false);
    expect(saveDraftInput.safeParse({ step: 0, data: { anything: [1, { deep: true }] } }).success).toBe(true);
  });

  it(`limits a user to ${DRAFT_MAX_PER_USER} drafts; saving over an existing one still works at the limit`, async () => {
    const db = testDb().prisma;
    const have = await countDrafts(db, sofia.id);
    let last = null as Awaited<ReturnType<typeof saveDraft>> | null;
    for (let i = have; i < DRAFT_MAX_PER_USER; i++) last = await saveDraft(db, ctxOf(sofia), { step: 0, data: { name: `Draft ${i}` } });
    expect(await countDrafts(db, sofia.id)).toBe(DRAFT_MAX_PER_USER);
    const err = await saveDraft(db, ctxOf(sofia), { step: 0, data: { name: "One too many" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ code: "draft_limit" });
    expect(await countDrafts(db, sofia.id)).toBe(DRAFT_MAX_PER_USER);
    await saveDraft(db, ctxOf(sofia), { id: last!.id, revision: last!.revision, step: 1, data: { name: "Still editable" } });
    // Another user is not affected by Sofia's limit.
    await saveDraft(db, ctxOf(olivia), { step: 0, data: { name: "Olivia is fine" } });
    // Discarding one makes room again.
    await discardDraft(db, ctxOf(sofia), last!.id);
    await saveDraft(db, ctxOf(sofia), { step: 0, data: { name: "Room again" } });
  });

  it("does not let someone who may publish in no domain start drafts", async () => {
    const db = testDb().prisma;
    const err = await saveDraft(db, ctxOf(carlos), { step: 0, data: { name: "Carlos's product" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ status: 403 });
    expect(await countDrafts(db, carlos.id)).toBe(0);
  });

  it("discards a draft, audited, after which it is gone", async () => {
    const db = testDb().prisma;
    const d = await saveDraft(db, ctxOf(olivia), { step: 3, data: { name: "Short-lived" } });
    await discardDraft(db, ctxOf(olivia), d.id);
    await expect(getDraft(db, olivia.id, d.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(discardDraft(db, ctxOf(olivia), d.id)).rejects.toBeInstanceOf(NotFoundError);
    const audit = await db.auditEvent.findMany({ where: { targetId: d.id }, orderBy: { id: "asc" }, select: { action: true, before: true } });
    expect(audit.map((a) => a.action)).toEqual(["draft.create", "draft.discard"]);
    expect(audit[1]!.before).toEqual({ title: "Short-lived", step: 3 });
  });

  it("lists a user's drafts, most recently saved first", async () => {
    const db = testDb().prisma;
    const tick = () => new Promise((r) => setTimeout(r, 5));
    const a = await saveDraft(db, ctxOf(olivia), { step: 0, data: { name: "Older" } });
    await tick();
    const b = await saveDraft(db, ctxOf(olivia), { step: 0, data: { name: "Newer" } });
    await tick();
    await saveDraft(db, ctxOf(olivia), { id: a.id, revision: a.revision, step: 1, data: { name: "Older, touched last" } });
    const list = await listDrafts(db, olivia.id);
    expect(list[0]!.id).toBe(a.id);
    expect(list.findIndex((d) => d.id === b.id)).toBeGreaterThan(0);
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.updatedAt >= list[i]!.updatedAt).toBe(true);
  });
});

describe("draftTitle", () => {
  it("is the typed name, trimmed and bounded, or empty", () => {
    expect(draftTitle({ name: "  Sales\n Returns " })).toBe("Sales Returns");
    expect(draftTitle({ name: "x".repeat(500) })).toHaveLength(200);
    expect(draftTitle({ name: 42 })).toBe("");
    expect(draftTitle({})).toBe("");
  });
});
