import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { Principal } from "@/lib/auth/permissions";
import type { Db, Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { ConflictError, NotFoundError, UserError } from "@/lib/errors";
import { DRAFT_MAX_BYTES, DRAFT_MAX_PER_USER, jsonBytes, LAST_STEP } from "@/lib/drafts/schemas";
import { creatableDomains } from "@/lib/drafts/wizard-options";

/**
 * Wizard drafts: a user's work in progress on a new data product, saved as they type. A draft
 * belongs to exactly one user; every read and write has the user in its `where`, and someone
 * else's draft answers "not found". Saves carry the revision they are based on, so a second tab
 * cannot silently overwrite a newer save.
 */

export type DraftSummary = { id: string; title: string; step: number; revision: number; createdAt: string; updatedAt: string };
export type DraftDetail = DraftSummary & { data: Record<string, unknown> };
export type SavedDraft = { id: string; revision: number; savedAt: string };

type Ctx = { user: Principal; actor: AuditActor };

const summarySelect = { id: true, title: true, step: true, revision: true, createdAt: true, updatedAt: true } satisfies Prisma.ProductDraftSelect;
type SummaryRow = Prisma.ProductDraftGetPayload<{ select: typeof summarySelect }>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = () => new NotFoundError("This draft does not exist or was discarded");

function toSummary(d: SummaryRow): DraftSummary {
  return { id: d.id, title: d.title, step: d.step, revision: d.revision, createdAt: d.createdAt.toISOString(), updatedAt: d.updatedAt.toISOString() };
}

/** The title shown in "My drafts": the product name typed so far. */
export function draftTitle(data: Record<string, unknown>): string {
  return typeof data.name === "string" ? data.name.trim().replace(/\s+/g, " ").slice(0, 200) : "";
}

function checkData(data: unknown, step: number): asserts data is Record<string, unknown> {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UserError("A draft is a JSON object", { fieldErrors: { data: ["A draft is a JSON object"] } });
  }
  const bytes = jsonBytes(data);
  if (bytes > DRAFT_MAX_BYTES) {
    const message = `This draft is too large to save (${Math.ceil(bytes / 1024)} KB; the limit is ${DRAFT_MAX_BYTES / 1024} KB). Remove columns or shorten long texts.`;
    throw new UserError(message, { status: 413, code: "draft_too_large", fieldErrors: { data: [message] } });
  }
  if (!Number.isInteger(step) || step < 0 || step > LAST_STEP) throw new UserError("Unknown wizard step", { fieldErrors: { step: ["Unknown wizard step"] } });
}

export async function listDrafts(db: Tx, userId: string): Promise<DraftSummary[]> {
  const rows = await db.productDraft.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    select: summarySelect,
    take: DRAFT_MAX_PER_USER,
  });
  return rows.map(toSummary);
}

export async function countDrafts(db: Tx, userId: string): Promise<number> {
  return db.productDraft.count({ where: { userId } });
}

/** One of the user's drafts; NotFoundError for anyone else's, and for ids that do not exist. */
export async function getDraft(db: Tx, userId: string, id: string): Promise<DraftDetail> {
  if (!UUID_RE.test(id)) throw notFound();
  const d = await db.productDraft.findFirst({ where: { id, userId }, select: { ...summarySelect, data: true } });
  if (!d) throw notFound();
  const data = typeof d.data === "object" && d.data !== null && !Array.isArray(d.data) ? (d.data as Record<string, unknown>) : {};
  return { ...toSummary(d), data };
}

/**
 * Creates a draft (no id) or saves over one (id + the revision it was loaded or last saved at).
 * A save based on an older revision is refused with ConflictError and changes nothing.
 */
export async function saveDraft(
  db: Db,
  ctx: Ctx,
  input: { id?: string; revision?: number; step: number; data: Record<string, unknown> },
): Promise<SavedDraft> {
  checkData(input.data, input.step);
  const title = draftTitle(input.data);
  const data = input.data as Prisma.InputJsonObject;

  if (!input.id) {
    if ((await creatableDomains(db, ctx.user)).length === 0) {
      throw new UserError("You are not a member of any domain, so you cannot start a data product.", { status: 403, code: "forbidden" });
    }
    return db.$transaction(async (tx) => {
      const count = await tx.productDraft.count({ where: { userId: ctx.user.id } });
      if (count >= DRAFT_MAX_PER_USER) {
        throw new UserError(`You already have ${DRAFT_MAX_PER_USER} drafts. Discard drafts you no longer need in My drafts, then try again.`, {
          status: 409,
          code: "draft_limit",
        });
      }
      const d = await tx.productDraft.create({
        data: { userId: ctx.user.id, title, step: input.step, data, revision: 1 },
        select: { id: true, revision: true, updatedAt: true },
      });
      await recordAudit(tx, ctx.actor, { action: "draft.create", target: { type: "product_draft", id: d.id }, after: { title, step: input.step } });
      return { id: d.id, revision: d.revision, savedAt: d.updatedAt.toISOString() };
    });
  }

  if (!UUID_RE.test(input.id)) throw notFound();
  if (input.revision === undefined) throw new UserError("A save needs the draft's revision", { fieldErrors: { revision: ["Required"] } });
  const updated = await db.productDraft.updateMany({
    where: { id: input.id, userId: ctx.user.id, revision: input.revision },
    data: { title, step: input.step, data, revision: { increment: 1 } },
  });
  if (updated.count === 0) {
    const exists = await db.productDraft.findFirst({ where: { id: input.id, userId: ctx.user.id }, select: { revision: true } });
    if (!exists) throw notFound();
    throw new ConflictError(
      "This draft was saved from another tab or window after you opened it. Reload to continue from the latest version; changes made here since then are not saved.",
    );
  }
  const d = await db.productDraft.findFirstOrThrow({ where: { id: input.id, userId: ctx.user.id }, select: { revision: true, updatedAt: true } });
  return { id: input.id, revision: d.revision, savedAt: d.updatedAt.toISOString() };
}

/** Deletes one of the user's drafts; NotFoundError for anyone else's. */
export async function discardDraft(db: Db, ctx: Ctx, id: string): Promise<{ id: string }> {
  if (!UUID_RE.test(id)) throw notFound();
  return db.$transaction(async (tx) => {
    const d = await tx.productDraft.findFirst({ where: { id, userId: ctx.user.id }, select: { title: true, step: true } });
    if (!d) throw notFound();
    await tx.productDraft.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, { action: "draft.discard", target: { type: "product_draft", id }, before: d });
    return { id };
  });
}
