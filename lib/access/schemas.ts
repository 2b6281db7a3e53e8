import { z } from "zod";
import { PURPOSE_CATEGORIES, slugSchema, type PurposeCategory } from "@/lib/products/spec";

/**
 * Inputs of the access workflow, shared by the request form, the server actions, the REST API and
 * the service (which checks the rules that depend on the clock and the catalogue). Client-safe.
 */

/** Durations offered when requesting access or an extension, in days. */
export const ACCESS_DURATIONS = [30, 90, 180] as const;
export type AccessDuration = (typeof ACCESS_DURATIONS)[number];
/** Policy cap: no grant runs longer than this from the moment it is asked for (an end date, an extension). */
export const MAX_ACCESS_DAYS = 365;
export const PURPOSE_MIN = 10;
export const PURPOSE_MAX = 2000;
export const NOTE_MAX = 2000;
/** How many requests one bulk decision may cover. */
export const BULK_MAX = 100;

/** The statuses of a request that is still going somewhere: a second request for the same port and principal is refused. */
export const OPEN_STATUSES = ["pending", "approved", "provisioning", "active"] as const;

const purposeCategories = Object.keys(PURPOSE_CATEGORIES) as [PurposeCategory, ...PurposeCategory[]];
const DNS_LABEL = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";
const WORKLOAD_RE = new RegExp(`^${DNS_LABEL}/${DNS_LABEL}$`);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Form fields arrive as "" when left empty. */
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const durationSchema = z.coerce
  .number({ error: `Choose ${ACCESS_DURATIONS.join(", ")} days` })
  .refine((n): n is AccessDuration => (ACCESS_DURATIONS as readonly number[]).includes(n), { message: `Choose ${ACCESS_DURATIONS.join(", ")} days` });

const note = z
  .string({ error: "A note is text" })
  .trim()
  .max(NOTE_MAX, `A note is at most ${NOTE_MAX} characters`)
  .optional()
  .transform((v) => v ?? "");

export const requestIdSchema = z.uuid("Not an access request id");

export const principalInput = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("user") }),
    z.object({
      type: z.literal("group"),
      ref: z.string({ error: "Choose a team or group" }).trim().min(1, "Choose a team or group").max(200, "A group name is at most 200 characters"),
    }),
    z.object({ type: z.literal("product"), ref: slugSchema }),
  ],
  { error: "Choose who the access is for: yourself (user), a team or group (group), or one of your data products (product)" },
);
export type PrincipalInput = z.infer<typeof principalInput>;

export const requestAccessInput = z
  .object({
    product: slugSchema,
    port: z.string({ error: "Choose an output port" }).trim().min(1, "Choose an output port").max(63, "A port name is at most 63 characters"),
    principal: principalInput.default({ type: "user" }),
    purpose: z
      .string({ error: "Describe what you will use the data for" })
      .trim()
      .min(PURPOSE_MIN, `Describe what you will use the data for in at least ${PURPOSE_MIN} characters`)
      .max(PURPOSE_MAX, `The purpose is at most ${PURPOSE_MAX} characters`),
    purposeCategory: z.preprocess(
      emptyToUndefined,
      z.enum(purposeCategories, { error: `Choose a purpose category: ${purposeCategories.join(", ")}` }).optional(),
    ),
    durationDays: z.preprocess(emptyToUndefined, durationSchema.optional()),
    /** The last day of access (YYYY-MM-DD, UTC), instead of a duration. */
    until: z.preprocess(emptyToUndefined, z.string().trim().regex(DATE_RE, "Enter a date as YYYY-MM-DD").optional()),
    acceptTerms: z.literal(true, { error: "Accept the terms of use to request access" }),
    /** A Fybrik workload (namespace/name) that will read the data. */
    workload: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .trim()
        .max(127, "A workload is at most 127 characters")
        .regex(WORKLOAD_RE, "Name the workload as namespace/name (lower-case letters, digits and -)")
        .optional(),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.durationDays === undefined && v.until === undefined)
      ctx.addIssue({ code: "custom", path: ["durationDays"], message: `Choose ${ACCESS_DURATIONS.join(", ")} days, or an end date` });
    if (v.durationDays !== undefined && v.until !== undefined)
      ctx.addIssue({ code: "custom", path: ["until"], message: "Choose a duration or an end date, not both" });
  });
export type RequestAccessInput = z.input<typeof requestAccessInput>;
export type RequestAccessValues = z.output<typeof requestAccessInput>;

export const decisionSchema = z.enum(["approve", "reject"], { error: "decision must be approve or reject" });
export type Decision = z.infer<typeof decisionSchema>;

const revision = z.coerce.number({ error: "revision must be a number" }).int().min(0).optional();

export const decideInput = z.object({ requestId: requestIdSchema, decision: decisionSchema, note, revision });
export type DecideInput = z.input<typeof decideInput>;

export const decideManyInput = z.object({
  requestIds: z
    .array(requestIdSchema, { error: "requestIds must be a list of request ids" })
    .min(1, "Choose at least one request")
    .max(BULK_MAX, `At most ${BULK_MAX} requests at once`)
    .transform((ids) => [...new Set(ids)]),
  decision: decisionSchema,
  note,
});
export type DecideManyInput = z.input<typeof decideManyInput>;

export const requestRefInput = z.object({ requestId: requestIdSchema });
export const revokeInput = z.object({ requestId: requestIdSchema, note });
export const extensionInput = z.object({ requestId: requestIdSchema, days: durationSchema });
export const decideExtensionInput = z.object({ requestId: requestIdSchema, decision: decisionSchema, note, revision });

export const INBOX_TABS = ["waiting", "mine", "decided"] as const;
export type InboxTab = (typeof INBOX_TABS)[number];

export const inboxFilterInput = z.object({
  tab: z.preprocess(emptyToUndefined, z.enum(INBOX_TABS, { error: "tab must be waiting, mine or decided" }).default("waiting")),
  product: z.preprocess(emptyToUndefined, slugSchema.optional()),
  domain: z.preprocess(emptyToUndefined, slugSchema.optional()),
  /** Part of the requester's name or e-mail. */
  requester: z.preprocess(emptyToUndefined, z.string().trim().max(200, "Keep it under 200 characters").optional()),
  /** Only requests at least this many days old. */
  minAgeDays: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: "minAgeDays must be a number of days" }).int("minAgeDays must be a whole number").min(0).max(3650).optional(),
  ),
  sort: z.preprocess(emptyToUndefined, z.enum(["oldest", "newest"], { error: "sort must be oldest or newest" }).optional()),
});
export type InboxFilter = z.output<typeof inboxFilterInput>;
export type InboxFilterInput = z.input<typeof inboxFilterInput>;

/** Request statuses as people read them. */
export const ACCESS_STATUS_LABELS = {
  pending: "Waiting for a decision",
  approved: "Approved",
  rejected: "Rejected",
  cancelled: "Cancelled",
  provisioning: "Being set up",
  active: "Active",
  expired: "Expired",
  revoked: "Revoked",
  failed: "Set-up failed",
} as const;
