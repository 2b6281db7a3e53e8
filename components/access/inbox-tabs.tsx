"use client";

import { useRef, type KeyboardEvent } from "react";
import type { InboxTab } from "@/lib/access/schemas";

export const TAB_LABEL: Record<InboxTab, string> = { waiting: "Waiting on me", mine: "My requests", decided: "Decided" };
const ORDER: InboxTab[] = ["waiting", "mine", "decided"];

export const tabId = (t: InboxTab) => `inbox-tab-${t}`;
export const panelId = "inbox-panel";

/**
 * The inbox tabs (WAI-ARIA tabs pattern): one tab stop, arrow keys and Home/End move between tabs
 * and select them at once.
 */
export function InboxTabs({ tab, counts, onSelect }: { tab: InboxTab; counts: Partial<Record<InboxTab, number>>; onSelect: (t: InboxTab) => void }) {
  const refs = useRef<Partial<Record<InboxTab, HTMLButtonElement | null>>>({});
  function move(e: KeyboardEvent<HTMLButtonElement>) {
    const i = ORDER.indexOf(tab);
    const next =
      e.key === "ArrowRight" ? ORDER[(i + 1) % ORDER.length] : e.key === "ArrowLeft" ? ORDER[(i + ORDER.length - 1) % ORDER.length] : e.key === "Home" ? ORDER[0] : e.key === "End" ? ORDER[ORDER.length - 1] : null;
    if (!next) return;
    e.preventDefault();
    onSelect(next);
    refs.current[next]?.focus();
  }
  return (
    <div role="tablist" aria-label="Access requests" className="mb-4 flex gap-1 border-b border-slate-200">
      {ORDER.map((t) => {
        const selected = t === tab;
        const count = counts[t];
        return (
          <button
            key={t}
            ref={(el) => {
              refs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={tabId(t)}
            aria-selected={selected}
            aria-controls={panelId}
            tabIndex={selected ? 0 : -1}
            onClick={() => onSelect(t)}
            onKeyDown={move}
            className={`-mb-px border-b-2 px-4 py-2 text-sm ${selected ? "border-canopy-700 font-semibold text-canopy-900" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"}`}
          >
            {TAB_LABEL[t]}
            {count !== undefined ? (
              <span className={`ml-2 rounded-full px-2 py-0.5 text-xs ${selected ? "bg-canopy-100 text-canopy-900" : "bg-slate-100 text-slate-700"}`}>{count}</span>
            ) : null}
          </button>
        );
      })}
    </div>
  );
}
