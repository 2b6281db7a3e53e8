"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";

export type NotificationItem = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string;
  readAt: string | null;
  createdAt: string;
};
export type NotificationList = { unread: number; items: NotificationItem[] };

export const notificationKeys = { list: ["notifications"] as const };

const ago = (iso: string, now: number) => {
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const d = Math.floor(s / 86_400);
  return d === 1 ? "yesterday" : `${d} days ago`;
};

async function markRead(ids?: string[]) {
  return fetchJson<{ marked: number; unread: number }>("/api/v1/notifications", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ids ? { ids } : {}),
    fallback: "Could not mark the notifications read",
  });
}

/**
 * The bell in the header: the unread count in its name, and a popover with the latest notifications.
 * Polls every 30 seconds and when the window regains focus.
 */
export function NotificationBell({ initial }: { initial?: NotificationList }) {
  const qc = useQueryClient();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const { data, error, isPending, refetch, dataUpdatedAt } = useQuery({
    queryKey: notificationKeys.list,
    queryFn: async ({ signal }) => {
      const before = qc.getQueryData<NotificationList>(notificationKeys.list)?.unread;
      const next = await fetchJson<NotificationList>("/api/v1/notifications?limit=15", { signal, fallback: "Could not load your notifications" });
      // Screen readers hear about new notifications, not about the count at every page load.
      if (before !== undefined && next.unread > before) setAnnouncement(`${next.unread - before} new notification${next.unread - before === 1 ? "" : "s"}: ${next.items[0]?.title ?? ""}`);
      return next;
    },
    initialData: initial,
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
  const mark = useMutation({
    mutationFn: markRead,
    onSuccess: (res, vars) => {
      qc.setQueryData<NotificationList>(notificationKeys.list, (old) =>
        old
          ? {
              unread: res.unread,
              items: old.items.map((n) => (!vars || vars.includes(n.id) ? { ...n, readAt: n.readAt ?? new Date().toISOString() } : n)),
            }
          : old,
      );
      void qc.invalidateQueries({ queryKey: notificationKeys.list });
    },
  });

  const unread = data?.unread ?? 0;
  // "5 min ago" is counted from the last refresh, which opening the popover triggers.
  const now = dataUpdatedAt;

  useEffect(() => {
    if (!open) return;
    void refetch();
    panel.current?.focus();
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open, refetch]);

  function close(returnFocus: boolean) {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  }

  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        aria-label={`Notifications, ${unread} unread`}
        aria-expanded={open}
        aria-controls={`${ids}-panel`}
        className="relative rounded-md p-2 text-canopy-50 hover:bg-canopy-800/60"
        onClick={() => setOpen((o) => !o)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 ? (
          <span aria-hidden="true" className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-amber-400 px-1 text-center text-[11px] leading-5 font-semibold text-slate-900">
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      <span className="sr-only" aria-live="polite">
        {announcement}
      </span>
      {open ? (
        <div
          ref={panel}
          id={`${ids}-panel`}
          role="dialog"
          aria-labelledby={`${ids}-title`}
          tabIndex={-1}
          className="absolute right-0 z-40 mt-2 w-96 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white text-slate-900 shadow-xl focus:outline-none"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              close(true);
            }
          }}
        >
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2">
            <h2 id={`${ids}-title`} className="text-sm font-semibold">
              Notifications
            </h2>
            <button
              type="button"
              className="text-sm font-medium text-canopy-800 hover:underline disabled:text-slate-400 disabled:no-underline"
              disabled={unread === 0 || mark.isPending}
              onClick={() => mark.mutate(undefined)}
            >
              {mark.isPending ? "Marking…" : "Mark all read"}
            </button>
          </div>
          {mark.error ? (
            <p role="alert" className="px-4 py-2 text-sm text-rose-800">
              {mark.error.message}
            </p>
          ) : null}
          {isPending ? (
            <p role="status" className="px-4 py-6 text-center text-sm text-slate-500">
              Loading…
            </p>
          ) : error && !data ? (
            <div role="alert" className="px-4 py-6 text-center text-sm text-rose-800">
              {error.message}{" "}
              <button type="button" className="underline" onClick={() => void refetch()}>
                Try again
              </button>
            </div>
          ) : !data?.items.length ? (
            <p className="px-4 py-6 text-center text-sm text-slate-500">No notifications yet. Decisions on your requests and requests for your products show up here.</p>
          ) : (
            <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto" aria-label="Latest notifications">
              {data.items.map((n) => {
                const content = (
                  <>
                    <span className="flex items-start gap-2">
                      {!n.readAt ? <span aria-hidden="true" className="mt-1.5 size-2 shrink-0 rounded-full bg-canopy-600" /> : <span aria-hidden="true" className="size-2 shrink-0" />}
                      <span className="min-w-0">
                        <span className={`block text-sm ${n.readAt ? "text-slate-700" : "font-semibold"}`}>
                          {!n.readAt ? <span className="sr-only">Unread: </span> : null}
                          {n.title}
                        </span>
                        {n.body ? <span className="line-clamp-2 block text-xs text-slate-600">{n.body}</span> : null}
                        <time dateTime={n.createdAt} className="block text-xs text-slate-500">
                          {ago(n.createdAt, now)}
                        </time>
                      </span>
                    </span>
                  </>
                );
                return (
                  <li key={n.id}>
                    {n.link.startsWith("/") && !n.link.startsWith("//") ? (
                      <Link
                        href={n.link}
                        className="block px-4 py-2 hover:bg-slate-50 focus-visible:bg-slate-50"
                        onClick={() => {
                          if (!n.readAt) mark.mutate([n.id]);
                          setOpen(false);
                        }}
                      >
                        {content}
                      </Link>
                    ) : (
                      <div className="px-4 py-2">{content}</div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      ) : null}
    </div>
  );
}
