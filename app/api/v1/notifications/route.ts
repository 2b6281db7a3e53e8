import { z } from "zod";
import { defineRoute } from "@/lib/http/route";
import { listNotifications, markRead } from "@/lib/notifications/service";

export const dynamic = "force-dynamic";

/** Described in lib/openapi/endpoints.ts; keep the two in step. */
const notificationListQuery = z.object({
  unreadOnly: z.enum(["true", "false"], { error: "unreadOnly must be true or false" }).optional(),
  limit: z.coerce
    .number({ error: "limit must be a number" })
    .int("limit must be a whole number")
    .min(1, "limit must be at least 1")
    .max(100, "limit must be at most 100")
    .optional(),
});

const markReadBody = z.object({
  ids: z
    .array(z.uuid({ error: "Each id must be a notification id" }), { error: "ids must be a list of notification ids" })
    .max(500, "At most 500 ids at once")
    .optional(),
});

/**
 * GET /api/v1/notifications — your in-app notifications, newest first, and how many are unread.
 * Only ever the caller's own.
 */
export const GET = defineRoute({
  name: "listNotifications",
  input: notificationListQuery,
  handler: async (ctx, { unreadOnly, limit }) => {
    const result = await listNotifications(ctx.db, ctx.user.id, { unreadOnly: unreadOnly === "true", take: limit ?? 20 });
    return Response.json(result, { headers: { "Cache-Control": "no-store", "x-request-id": ctx.requestId } });
  },
});

/**
 * POST /api/v1/notifications {ids?} — marks your notifications read: the given ones, or all of them
 * when `ids` is left out. Ids of other people's notifications are ignored.
 */
export const POST = defineRoute({
  name: "markNotificationsRead",
  input: markReadBody,
  handler: async (ctx, { ids }) => {
    const marked = await markRead(ctx.db, ctx.user.id, ids);
    const { unread } = await listNotifications(ctx.db, ctx.user.id, { unreadOnly: true, take: 1 });
    return { marked, unread };
  },
});
