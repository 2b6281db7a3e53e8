"use client";

import type { AutosaveState } from "@/components/wizard/use-autosave";
import { useHydrated } from "@/components/wizard/use-hydrated";

const hhmm = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

/** "Saved at 10:42" / "Saving…" / "Not saved — retry", announced politely; conflicts as an alert. */
export function SaveStatus({ state, onRetry, onReload }: { state: AutosaveState; onRetry: () => void; onReload: () => void }) {
  // Times are shown in the reader's own time zone, so only once in the browser.
  const hydrated = useHydrated();
  if (state.status === "conflict") {
    return (
      <div role="alert" className="max-w-md rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900">
        <p className="font-medium">Not saved: this draft changed elsewhere.</p>
        <p className="mt-1">{state.message}</p>
        <button type="button" className="btn-secondary mt-2" onClick={onReload}>
          Reload the latest version
        </button>
      </div>
    );
  }
  let text: string;
  if (state.status === "saving") text = "Saving…";
  else if (state.status === "error") text = `Not saved — ${state.message ?? "the save failed"}`;
  else if (state.savedAt && hydrated) text = `Saved at ${hhmm(state.savedAt)}${state.status === "pending" ? " · unsaved changes" : ""}`;
  else if (state.status === "pending") text = "Unsaved changes";
  else text = "Your work is saved as a draft as you go";
  return (
    <div className="flex items-center gap-2 text-sm">
      <p role="status" aria-live="polite" className={state.status === "error" ? "text-rose-800" : "text-slate-600"} data-testid="draft-save-status">
        {text}
      </p>
      {state.status === "error" ? (
        <button type="button" className="btn-secondary px-2 py-1" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
