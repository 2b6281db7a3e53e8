import { z } from "zod";

/**
 * Limits and input shapes of wizard drafts. Client-safe: the wizard checks the size before it
 * sends, the server checks again.
 */

/** Largest draft, measured as UTF-8 JSON. */
export const DRAFT_MAX_BYTES = 512 * 1024;
/** Most drafts one user keeps at a time. */
export const DRAFT_MAX_PER_USER = 50;

/** The wizard's steps, in order; a draft remembers the index of the step it was left on. */
export const WIZARD_STEPS = [
  { key: "basics", label: "Basics" },
  { key: "ports", label: "Output ports" },
  { key: "contracts", label: "Contracts" },
  { key: "inputs", label: "Inputs" },
  { key: "checks", label: "Checks" },
  { key: "review", label: "Review" },
] as const;
export type WizardStepKey = (typeof WIZARD_STEPS)[number]["key"];
export const LAST_STEP = WIZARD_STEPS.length - 1;

export function stepLabel(step: number): string {
  return WIZARD_STEPS[Math.min(Math.max(0, Math.trunc(step)), LAST_STEP)]!.label;
}

/** Size of a value as UTF-8 JSON, in bytes. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? "").length;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Work in progress is not validated field by field (the whole product is, at submit); it only has
 * to be a JSON object of bounded size.
 */
export const draftData = z
  .custom<Record<string, unknown>>(isPlainObject, { message: "A draft is a JSON object" })
  .superRefine((data, ctx) => {
    const bytes = jsonBytes(data);
    if (bytes > DRAFT_MAX_BYTES) {
      ctx.addIssue({
        code: "custom",
        message: `This draft is too large to save (${Math.ceil(bytes / 1024)} KB; the limit is ${DRAFT_MAX_BYTES / 1024} KB). Remove columns or shorten long texts.`,
      });
    }
  });

export const draftStep = z.number().int().min(0).max(LAST_STEP);

export const saveDraftInput = z.object({
  /** Absent: a new draft. */
  id: z.uuid("Not a draft id").optional(),
  /** The revision this save is based on; required with an id. */
  revision: z.number().int().min(0).optional(),
  step: draftStep,
  data: draftData,
});
export type SaveDraftInput = z.infer<typeof saveDraftInput>;
