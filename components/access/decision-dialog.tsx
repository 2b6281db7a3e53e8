"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { callAction, isConflict, type ActionResult } from "@/components/access/call-action";
import { classificationSummary, durationLabel } from "@/components/access/format";
import { Modal } from "@/components/ui/modal";
import { decideAccessAction, decideExtensionAction, decideManyAction } from "@/lib/access/actions";
import type { AccessRequestItem } from "@/lib/access/queries";
import { NOTE_MAX, type Decision } from "@/lib/access/schemas";

export type DecisionOutcome = {
  decision: Decision;
  decided: AccessRequestItem[];
  failed: { item: AccessRequestItem; error: string; conflict: boolean }[];
};

/** A request waiting for a decision on an extension rather than on access itself. */
export const isExtension = (r: AccessRequestItem) => r.status !== "pending" && r.extensionDays !== null;

const what = (r: AccessRequestItem) => `${r.product.name} / ${r.port}`;

/**
 * Approve or reject one request (or its extension), or several at once, with a note. A decision on
 * a request that changed meanwhile is refused by the server and explained here.
 */
export function DecisionDialog({
  decision,
  items,
  onClose,
}: {
  decision: Decision;
  items: AccessRequestItem[];
  /** Called when the dialog closes; `outcome` is set when something was sent. */
  onClose: (outcome?: DecisionOutcome) => void;
}) {
  const id = useId();
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [noteError, setNoteError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<DecisionOutcome | null>(null);
  const bulk = items.length > 1;
  const single = items[0]!;
  const extension = !bulk && isExtension(single);
  const approve = decision === "approve";
  const verb = approve ? "Approve" : "Reject";

  async function send() {
    if (!approve && !note.trim()) {
      setNoteError("Tell the requester why: the note is required when rejecting");
      document.getElementById(`${id}-note`)?.focus();
      return;
    }
    setNoteError(null);
    setPending(true);
    let result: DecisionOutcome;
    if (bulk) {
      const r = await callAction(() => decideManyAction({ requestIds: items.map((i) => i.id), decision, note }));
      result = r.ok
        ? {
            decision,
            decided: items.filter((i) => r.data.decided.includes(i.id)),
            failed: r.data.failed.map((f) => ({ item: items.find((i) => i.id === f.id)!, error: f.error, conflict: /already|changed|meanwhile/i.test(f.error) })).filter((f) => f.item),
          }
        : { decision, decided: [], failed: items.map((item) => ({ item, error: r.error, conflict: false })) };
    } else {
      const input = { requestId: single.id, decision, note, revision: single.revision };
      const r: ActionResult<unknown> = await callAction(() => (extension ? decideExtensionAction(input) : decideAccessAction(input)));
      result = r.ok ? { decision, decided: [single], failed: [] } : { decision, decided: [], failed: [{ item: single, error: r.error, conflict: isConflict(r) }] };
    }
    setPending(false);
    if (!result.failed.length) {
      onClose(result);
      return;
    }
    setOutcome(result);
  }

  if (outcome) {
    const conflicts = outcome.failed.some((f) => f.conflict);
    return (
      <Modal title={bulk ? `${outcome.decided.length} of ${items.length} ${approve ? "approved" : "rejected"}` : conflicts ? "Someone else got there first" : `Could not ${decision}`} onClose={() => onClose(outcome)}>
        <div role="alert" className={`mb-4 rounded-md p-3 text-sm ${conflicts ? "bg-amber-50 text-amber-950" : "bg-rose-50 text-rose-900"}`}>
          {bulk ? (
            <>
              <p className="mb-1 font-medium">
                {outcome.failed.length} request{outcome.failed.length === 1 ? "" : "s"} could not be {approve ? "approved" : "rejected"}:
              </p>
              <ul className="list-disc space-y-1 pl-5">
                {outcome.failed.map((f) => (
                  <li key={f.item.id}>
                    <Link href={`/access/requests/${f.item.id}`} className="font-medium underline">
                      {f.item.requester.name} — {what(f.item)}
                    </Link>
                    : {f.error}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>
              {outcome.failed[0]!.error}
              {conflicts ? " The list now shows the request as it is." : ""}
            </p>
          )}
        </div>
        <div className="flex justify-end">
          <button type="button" className="btn-primary" onClick={() => onClose(outcome)}>
            Close
          </button>
        </div>
      </Modal>
    );
  }

  const title = bulk
    ? `${verb} ${items.length} requests?`
    : extension
      ? `${verb} the extension for ${single.requester.name}?`
      : `${verb} ${single.requester.name}'s request?`;
  return (
    <Modal title={title} busy={pending} wide={bulk} onClose={() => onClose()}>
      {bulk ? (
        <div className="mb-3 max-h-56 overflow-y-auto rounded-md border border-slate-200 text-sm">
          <ul className="divide-y divide-slate-100" aria-label="Requests to decide">
            {items.map((r) => (
              <li key={r.id} className="px-3 py-2">
                <span className="font-medium">{r.requester.name}</span> — {what(r)}
                <span className="text-slate-500"> · {durationLabel({ durationDays: r.durationDays, until: r.requestedUntil })}</span>
                {r.levels > 1 ? <span className="text-slate-500"> · step {r.level} of {r.levels}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <dl className="mb-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-500">Port</dt>
          <dd>{what(single)}</dd>
          <dt className="text-slate-500">For</dt>
          <dd>{single.principal.label}</dd>
          {extension ? (
            <>
              <dt className="text-slate-500">Extension</dt>
              <dd>{single.extensionDays} more days</dd>
            </>
          ) : (
            <>
              <dt className="text-slate-500">Duration</dt>
              <dd>{durationLabel({ durationDays: single.durationDays, until: single.requestedUntil })}</dd>
              <dt className="text-slate-500">Columns</dt>
              <dd>{classificationSummary(single.columns)}</dd>
            </>
          )}
          <dt className="text-slate-500">Purpose</dt>
          <dd className="line-clamp-4">{single.purpose}</dd>
        </dl>
      )}
      {!extension && approve && items.some((r) => r.levels > 1 && r.level < r.levels) ? (
        <p className="mb-3 text-sm text-slate-700">
          {bulk ? "Some of these need" : "This request needs"} a second approval: after yours it waits for the second step&apos;s approvers.
        </p>
      ) : null}
      <label htmlFor={`${id}-note`} className="block text-sm font-medium text-slate-800">
        Note to the requester{" "}
        <span className="font-normal text-slate-500">{approve ? "(optional)" : "(required)"}</span>
      </label>
      <textarea
        id={`${id}-note`}
        rows={3}
        maxLength={NOTE_MAX}
        className={`input mt-1${noteError ? " border-rose-600" : ""}`}
        value={note}
        aria-invalid={Boolean(noteError) || undefined}
        aria-describedby={noteError ? `${id}-note-error` : undefined}
        onChange={(e) => setNote(e.target.value)}
      />
      {noteError ? (
        <p id={`${id}-note-error`} className="mt-1 text-sm text-rose-700">
          {noteError}
        </p>
      ) : null}
      <div className="mt-4 flex justify-end gap-2">
        <button type="button" className="btn-secondary" disabled={pending} onClick={() => onClose()}>
          Cancel
        </button>
        <button
          type="button"
          className={approve ? "btn-primary" : "btn bg-rose-700 text-white hover:bg-rose-800"}
          disabled={pending}
          onClick={() => void send()}
        >
          {pending ? (approve ? "Approving…" : "Rejecting…") : bulk ? `${verb} ${items.length} requests` : extension ? `${verb} extension` : verb}
        </button>
      </div>
    </Modal>
  );
}
