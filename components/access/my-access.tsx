"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { day, durationLabel, STATUS_LABEL, STATUS_TONE } from "@/components/access/format";
import { ExtendDialog } from "@/components/access/request-actions";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { AccessRequestItem } from "@/lib/access/queries";
import { ACCESS_DURATIONS, MAX_ACCESS_DAYS } from "@/lib/access/schemas";

const DAY_MS = 86_400_000;
const LIVE = new Set(["active", "provisioning"]);
const WAITING = new Set(["pending", "approved", "failed"]);

/** Extension lengths that keep the new end within the policy cap (the server checks again). */
function extensionOptions(expiresAt: string | null, now: number): number[] {
  if (!expiresAt) return [];
  const end = new Date(expiresAt).getTime();
  return ACCESS_DURATIONS.filter((d) => end + d * DAY_MS <= now + MAX_ACCESS_DAYS * DAY_MS);
}

const forWhom = (r: AccessRequestItem) => (r.principal.type === "user" ? "you" : `${r.principal.type === "group" ? "group" : "product"} ${r.principal.label}`);

/** The consumer's view: live grants with their end and an extension, requests in flight, and history. */
export function MyAccess({ items }: { items: AccessRequestItem[] }) {
  const router = useRouter();
  const [extending, setExtending] = useState<{ item: AccessRequestItem; options: number[] } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const live = items.filter((r) => LIVE.has(r.status));
  const waiting = items.filter((r) => WAITING.has(r.status));
  const history = items.filter((r) => !LIVE.has(r.status) && !WAITING.has(r.status));
  const link = (r: AccessRequestItem) => (
    <Link href={`/access/requests/${r.id}`} className="font-medium text-canopy-800 hover:underline">
      {r.product.name} / <span className="font-mono text-xs">{r.port}</span>
    </Link>
  );

  return (
    <div className="space-y-10">
      <p role="status" className="text-sm text-emerald-800">
        {message}
      </p>
      <section aria-labelledby="my-grants">
        <h2 id="my-grants" className="mb-3 text-lg font-semibold">
          Active access <span className="text-sm font-normal text-slate-500">({live.length})</span>
        </h2>
        {live.length ? (
          <ul className="card divide-y divide-slate-100">
            {live.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
                <div className="min-w-0">
                  {link(r)}
                  <div className="text-xs text-slate-500">
                    for {forWhom(r)} · {r.purposeCategoryLabel ?? "no category"}
                    {r.piiUnmasked ? " · personal data unmasked" : r.columns.pii ? " · personal data masked" : ""}
                  </div>
                </div>
                <div className="flex flex-wrap items-center gap-3">
                  {r.status === "provisioning" ? (
                    <Badge tone="blue">being set up</Badge>
                  ) : (
                    <span>
                      until <strong>{day(r.expiresAt)}</strong>
                    </span>
                  )}
                  {r.extensionDays ? (
                    <span className="text-slate-600">+{r.extensionDays} days asked for</span>
                  ) : r.actions.extend ? (
                    <button
                      type="button"
                      className="btn-secondary px-2 py-1"
                      onClick={() => setExtending({ item: r, options: extensionOptions(r.expiresAt, Date.now()) })}
                    >
                      Ask for an extension<span className="sr-only"> of your access to {r.product.name} / {r.port}</span>
                    </button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState title="You have no active access">
            Find a product in the <Link href="/products" className="underline">catalogue</Link> and request access from its page.
          </EmptyState>
        )}
      </section>

      <section aria-labelledby="my-pending">
        <h2 id="my-pending" className="mb-3 text-lg font-semibold">
          Waiting <span className="text-sm font-normal text-slate-500">({waiting.length})</span>
        </h2>
        {waiting.length ? (
          <ul className="card divide-y divide-slate-100">
            {waiting.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
                <div className="min-w-0">
                  {link(r)}
                  <div className="text-xs text-slate-500">
                    for {forWhom(r)} · {durationLabel({ durationDays: r.durationDays, until: r.requestedUntil })} · asked on {day(r.createdAt)}
                  </div>
                </div>
                <span className="flex items-center gap-2">
                  <Badge tone={STATUS_TONE[r.status] ?? "gray"}>{STATUS_LABEL[r.status] ?? r.status}</Badge>
                  {r.status === "pending" && r.levels > 1 ? <span className="text-xs text-slate-500">step {r.level} of {r.levels}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">No requests waiting for a decision.</p>
        )}
      </section>

      <section aria-labelledby="my-history">
        <h2 id="my-history" className="mb-3 text-lg font-semibold">
          History <span className="text-sm font-normal text-slate-500">({history.length})</span>
        </h2>
        {history.length ? (
          <ul className="card divide-y divide-slate-100">
            {history.map((r) => (
              <li key={r.id} className="px-4 py-3 text-sm">
                <div className="flex flex-wrap items-center justify-between gap-3">
                  {link(r)}
                  <span className="flex items-center gap-2">
                    <Badge tone={STATUS_TONE[r.status] ?? "gray"}>{STATUS_LABEL[r.status] ?? r.status}</Badge>
                    <span className="text-xs text-slate-500">{r.decidedAt ? day(r.decidedAt) : day(r.createdAt)}</span>
                  </span>
                </div>
                {r.decisionNote ? <p className="mt-1 text-xs text-slate-600">Note: {r.decisionNote}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">Nothing yet: ended, rejected and cancelled requests appear here.</p>
        )}
      </section>

      {extending ? (
        <ExtendDialog
          requestId={extending.item.id}
          expiresAt={extending.item.expiresAt}
          options={extending.options}
          onClose={(days) => {
            const item = extending.item;
            setExtending(null);
            if (days) {
              setMessage(`Extension of ${days} days asked for on ${item.product.name} / ${item.port}. The approvers are notified.`);
              router.refresh();
            }
          }}
        />
      ) : null}
    </div>
  );
}
