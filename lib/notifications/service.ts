import type { Tx } from "@/lib/db/client";
import { enqueueWebhook } from "@/lib/notifications/webhook";

/**
 * In-app notifications (the bell), written in the same transaction as the change they announce.
 * When a webhook is configured, each notify() call also enqueues one outgoing event (CloudEvents
 * JSON, listing the recipients) in that transaction; see `lib/notifications/webhook.ts`.
 */

export type NotificationInput = {
  userIds: readonly string[];
  /** e.g. access.requested, access.approved, access.rejected, access.expiring, access.expired, access.revoked */
  kind: string;
  title: string;
  body?: string;
  /** A path inside Canopy. */
  link?: string;
};

export async function notify(tx: Tx, n: NotificationInput) {
  const userIds = [...new Set(n.userIds)];
  if (!userIds.length) return 0;
  const { count } = await tx.notification.createMany({
    data: userIds.map((userId) => ({ userId, kind: n.kind, title: n.title.slice(0, 300), body: (n.body ?? "").slice(0, 2000), link: n.link ?? "" })),
  });
  await enqueueWebhook(tx, { kind: n.kind, title: n.title, body: n.body, link: n.link, userIds });
  return count;
}

export async function listNotifications(db: Tx, userId: string, opts: { unreadOnly?: boolean; take?: number } = {}) {
  const [items, unread] = await Promise.all([
    db.notification.findMany({
      where: { userId, ...(opts.unreadOnly ? { readAt: null } : {}) },
      orderBy: { createdAt: "desc" },
      take: Math.min(opts.take ?? 20, 100),
      select: { id: true, kind: true, title: true, body: true, link: true, readAt: true, createdAt: true },
    }),
    db.notification.count({ where: { userId, readAt: null } }),
  ]);
  return {
    unread,
    items: items.map((i) => ({ ...i, readAt: i.readAt?.toISOString() ?? null, createdAt: i.createdAt.toISOString() })),
  };
}

/** Marks the user's notifications read (all, or the given ones); other users' ids are ignored. */
export async function markRead(db: Tx, userId: string, ids?: readonly string[], now = new Date()) {
  const { count } = await db.notification.updateMany({
    where: { userId, readAt: null, ...(ids ? { id: { in: [...ids] } } : {}) },
    data: { readAt: now },
  });
  return count;
}
