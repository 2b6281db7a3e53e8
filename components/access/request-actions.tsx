"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { callAction, type ActionResult } from "@/components/access/call-action";
import { DecisionDialog, isExtension, type DecisionOutcome } from "@/components/access/decision-dialog";
import { day } from "@/components/access/format";
import { RevokeDialog } from "@/components/access/grants-table";
import { accessKeys } from "@/components/access/keys";
import { Modal, ModalActions } from "@/components/ui/modal";
import { cancelRequestAction, requestExtensionAction, retryProvisioningAction } from "@/lib/access/actions";
import type { AccessRequestDetail } from "@/lib/access/queries";
import type { Decision } from "@/lib/access/schemas";

type Open = { kind: "decide"; decision: Decision } | { kind: "cancel" } | { kind: "revoke" } | { kind: "extend" } | null;

/** The actions the user may take on a request, from the server's list of allowed actions. */
export function RequestActions({ request }: { request: AccessRequestDetail }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [retrying, setRetrying] = useState(false);
  const messageRef = useRef<HTMLParagraphElement>(null);
  // The button that opened a dialog may be gone after the change: the outcome takes the focus.
  useEffect(() => {
    if (message) messageRef.current?.focus();
  }, [message]);
  const a = request.actions;
  const extension = isExtension(request);
  const any = a.approve || a.reject || a.decideExtension || a.cancel || a.revoke || a.extend || a.retry;

  function done(text: string) {
    setOpen(null);
    setMessage({ text });
    void qc.invalidateQueries({ queryKey: accessKeys.all });
    void qc.invalidateQueries({ queryKey: ["notifications"] });
    router.refresh();
  }

  function failed(result: Extract<ActionResult<unknown>, { ok: false }>) {
    setMessage({ text: result.error, error: true });
    router.refresh();
  }

  async function retry() {
    setRetrying(true);
    const result = await callAction(() => retryProvisioningAction({ requestId: request.id }));
    setRetrying(false);
    if (result.ok) done("Provisioning queued again. This page updates when it finishes.");
    else failed(result);
  }

  function decided(outcome?: DecisionOutcome) {
    setOpen(null);
    if (!outcome) return;
    if (outcome.decided.length) {
      const approved = outcome.decision === "approve";
      done(extension ? `Extension ${approved ? "approved" : "rejected"}.` : approved ? "Approved." : "Rejected. The requester sees your note.");
    } else if (outcome.failed[0]) {
      setMessage({ text: outcome.failed[0].error, error: true });
      router.refresh();
    }
  }

  return (
    <section aria-labelledby="request-actions" className="card p-4">
      <h2 id="request-actions" className="mb-2 font-semibold">
        What you can do
      </h2>
      {message ? (
        <p ref={messageRef} tabIndex={-1} role={message.error ? "alert" : "status"} className={`mb-3 rounded-md p-2 text-sm ${message.error ? "bg-rose-50 text-rose-900" : "bg-emerald-50 text-emerald-900"}`}>
          {message.text}
        </p>
      ) : null}
      {!any ? (
        <p className="text-sm text-slate-600">Nothing right now.</p>
      ) : (
        <div className="flex flex-col gap-2">
          {(a.approve || (extension && a.decideExtension)) && (
            <button type="button" className="btn-primary" onClick={() => setOpen({ kind: "decide", decision: "approve" })}>
              {extension ? "Approve extension" : request.levels > 1 ? `Approve step ${request.level} of ${request.levels}` : "Approve"}
            </button>
          )}
          {(a.reject || (extension && a.decideExtension)) && (
            <button type="button" className="btn bg-rose-700 text-white hover:bg-rose-800" onClick={() => setOpen({ kind: "decide", decision: "reject" })}>
              {extension ? "Reject extension" : "Reject"}
            </button>
          )}
          {a.extend && (
            <button type="button" className="btn-secondary" onClick={() => setOpen({ kind: "extend" })}>
              Ask for an extension
            </button>
          )}
          {a.retry && (
            <button type="button" className="btn-secondary" disabled={retrying} onClick={() => void retry()}>
              {retrying ? "Queueing…" : "Retry provisioning"}
            </button>
          )}
          {a.cancel && (
            <button type="button" className="btn-secondary" onClick={() => setOpen({ kind: "cancel" })}>
              Cancel request
            </button>
          )}
          {a.revoke && (
            <button type="button" className="btn-secondary text-rose-800" onClick={() => setOpen({ kind: "revoke" })}>
              Revoke access
            </button>
          )}
        </div>
      )}

      {open?.kind === "decide" ? <DecisionDialog decision={open.decision} items={[request]} onClose={decided} /> : null}
      {open?.kind === "revoke" ? (
        <RevokeDialog
          requestId={request.id}
          who={request.principal.label}
          what={`${request.product.name} / ${request.port}`}
          onClose={(revoked) => (revoked ? done("Access revoked.") : setOpen(null))}
        />
      ) : null}
      {open?.kind === "cancel" ? (
        <CancelDialog requestId={request.id} onClose={(ok, failure) => (ok ? done("Request cancelled.") : failure ? (setOpen(null), failed(failure)) : setOpen(null))} />
      ) : null}
      {open?.kind === "extend" ? (
        <ExtendDialog
          requestId={request.id}
          expiresAt={request.expiresAt}
          options={request.extensionOptions}
          onClose={(days) => (days ? done(`Extension of ${days} days asked for. The approvers are notified.`) : setOpen(null))}
        />
      ) : null}
    </section>
  );
}

function CancelDialog({ requestId, onClose }: { requestId: string; onClose: (ok: boolean, failure?: Extract<ActionResult<unknown>, { ok: false }>) => void }) {
  const [pending, setPending] = useState(false);
  async function cancel() {
    setPending(true);
    const result = await callAction(() => cancelRequestAction({ requestId }));
    setPending(false);
    onClose(result.ok, result.ok ? undefined : result);
  }
  return (
    <Modal title="Cancel this request?" description="The approvers stop seeing it. You can request access again later." busy={pending} onClose={() => onClose(false)}>
      <ModalActions
        busy={pending}
        onCancel={() => onClose(false)}
        cancelLabel="Keep it"
        onConfirm={() => void cancel()}
        confirmLabel="Cancel request"
        busyLabel="Cancelling…"
        tone="danger"
      />
    </Modal>
  );
}

/** Asks for more time on an active grant; `options` are the lengths the policy still allows. */
export function ExtendDialog({
  requestId,
  expiresAt,
  options,
  onClose,
}: {
  requestId: string;
  expiresAt: string | null;
  options: number[];
  onClose: (days?: number) => void;
}) {
  const id = useId();
  const [days, setDays] = useState<number | undefined>(options[0]);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (error) document.getElementById(`${id}-error`)?.focus();
  }, [error, id]);
  async function send() {
    if (!days) return;
    setPending(true);
    setError(null);
    const result = await callAction(() => requestExtensionAction({ requestId, days: days as 30 | 90 | 180 }));
    setPending(false);
    if (result.ok) onClose(days);
    else setError(result.fieldErrors?.days?.[0] ?? result.error);
  }
  const end = (d: number) => (expiresAt ? day(new Date(new Date(expiresAt).getTime() + d * 86_400_000).toISOString()) : "");
  return (
    <Modal
      title="Ask for an extension"
      description={`Your access ends on ${day(expiresAt)}. The approvers decide on the extension; until then nothing changes.`}
      busy={pending}
      onClose={() => onClose()}
    >
      <fieldset className="mb-3">
        <legend className="mb-1 text-sm font-medium text-slate-800">How much longer?</legend>
        <div className="space-y-1 text-sm">
          {options.map((d) => (
            <label key={d} className="flex items-center gap-2">
              <input type="radio" name={`${id}-days`} value={d} checked={days === d} onChange={() => setDays(d)} />
              {d} more days <span className="text-slate-500">(until {end(d)})</span>
            </label>
          ))}
        </div>
      </fieldset>
      <ModalActions
        error={error}
        errorId={`${id}-error`}
        busy={pending}
        onCancel={() => onClose()}
        onConfirm={() => void send()}
        confirmLabel="Ask for the extension"
        busyLabel="Sending…"
        disabled={!days}
      />
    </Modal>
  );
}
