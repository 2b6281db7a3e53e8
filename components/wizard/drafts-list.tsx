"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, type ReactNode } from "react";
import { discardProductDraft } from "@/lib/drafts/actions";
import { DataTable } from "@/components/ui/data-table";

export type DraftRow = { id: string; title: string; stepLabel: string; step: number; stepCount: number; updatedAt: string; updatedLabel: string };

/** The user's drafts with Resume and Discard (confirmed in a dialog); `empty` when there are none. */
export function DraftsList({ drafts, empty }: { drafts: DraftRow[]; empty: ReactNode }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const [target, setTarget] = useState<DraftRow | null>(null);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  function ask(d: DraftRow, button: HTMLButtonElement) {
    opener.current = button;
    setTarget(d);
    setMessage(null);
    dialog.current?.showModal();
  }

  function close() {
    dialog.current?.close();
  }

  async function discard() {
    if (!target) return;
    setPending(true);
    try {
      const r = await discardProductDraft({ id: target.id });
      setMessage(r.ok ? { ok: true, text: `Draft “${target.title || "Untitled product"}” discarded.` } : { ok: false, text: r.error });
      if (r.ok) router.refresh();
    } catch {
      setMessage({ ok: false, text: "Canopy could not be reached; the draft was not discarded." });
    } finally {
      setPending(false);
      close();
    }
  }

  return (
    <>
      <div aria-live="polite">
        {message ? (
          <p role={message.ok ? "status" : "alert"} className={`mb-3 rounded-md p-3 text-sm ${message.ok ? "bg-canopy-50 text-canopy-900" : "bg-rose-50 text-rose-800"}`}>
            {message.text}
          </p>
        ) : null}
      </div>
      {drafts.length === 0 ? empty : null}
      <div className="card overflow-x-auto" hidden={drafts.length === 0}>
        <DataTable caption="My drafts" columns={["Product", "Step", "Last saved", <><span className="sr-only">Actions</span></>]} cellClassName="px-4 py-2">
          {drafts.map((d) => {
            const title = d.title || "Untitled product";
            return (
              <tr key={d.id} className="border-b border-slate-100">
                <td className="px-4 py-2 font-medium">{title}</td>
                <td className="px-4 py-2">
                  {d.stepLabel} <span className="text-slate-500">({d.step + 1} of {d.stepCount})</span>
                </td>
                <td className="px-4 py-2 whitespace-nowrap">
                  <time dateTime={d.updatedAt}>{d.updatedLabel}</time>
                </td>
                <td className="px-4 py-2">
                  <div className="flex justify-end gap-2">
                    <Link href={`/products/new?draft=${d.id}`} className="btn-primary" aria-label={`Resume ${title}`}>
                      Resume
                    </Link>
                    <button type="button" className="btn-secondary" aria-label={`Discard ${title}`} onClick={(e) => ask(d, e.currentTarget)}>
                      Discard
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </DataTable>
      </div>
      <dialog
        ref={dialog}
        aria-labelledby="discard-title"
        aria-describedby="discard-text"
        className="m-auto max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40"
        onClose={() => {
          setTarget(null);
          opener.current?.focus();
        }}
      >
        <h2 id="discard-title" className="text-lg font-semibold">
          Discard this draft?
        </h2>
        <p id="discard-text" className="mt-2 text-sm text-slate-700">
          “{target?.title || "Untitled product"}” and everything entered in it will be deleted. This cannot be undone.
        </p>
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={close} autoFocus>
            Keep it
          </button>
          <button type="button" className="btn bg-rose-700 text-white hover:bg-rose-800" disabled={pending} onClick={() => void discard()}>
            {pending ? "Discarding…" : "Discard draft"}
          </button>
        </div>
      </dialog>
    </>
  );
}
