"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { callAction } from "@/components/access/call-action";
import { day } from "@/components/access/format";
import { Modal, ModalActions } from "@/components/ui/modal";
import { Badge } from "@/components/ui/badge";
import { revokeAccessAction } from "@/lib/access/actions";
import type { ProductGrant } from "@/lib/access/queries";
import { NOTE_MAX } from "@/lib/access/schemas";
import { PURPOSE_CATEGORIES } from "@/lib/products/spec";
import { DataTable } from "@/components/ui/data-table";

const principalKind: Record<string, string> = { user: "person", group: "team or group", product: "data product" };

/** The product's live grants, for the people who answer for it, with an early revocation. */
export function GrantsTable({ grants, productName }: { grants: ProductGrant[]; productName: string }) {
  const [revoking, setRevoking] = useState<ProductGrant | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const status = useRef<HTMLParagraphElement>(null);
  // The revoked row (and its button) leave the table: the outcome takes the focus.
  useEffect(() => {
    if (message) status.current?.focus();
  }, [message]);
  return (
    <>
      <p ref={status} tabIndex={-1} role="status" className={`text-sm text-slate-700 focus:outline-none${message ? " mb-2" : ""}`}>
        {message}
      </p>
      {!grants.length ? (
        <p className="text-sm text-slate-500">Nobody outside the owners has access. Approved requests appear here.</p>
      ) : (
        <div className="card overflow-x-auto">
          <DataTable caption={<>Active grants on {productName}</>} columns={["Who", "Port", "Purpose", "Expires", <><span className="sr-only">Actions</span></>]} cellClassName="px-4 py-2">
            {grants.map((g) => (
              <tr key={g.requestId} className="border-b border-slate-100 align-top">
                <td className="px-4 py-2">
                  <div className="font-medium">{g.principal.label}</div>
                  <div className="text-xs text-slate-500">
                    {principalKind[g.principal.type]}
                    {g.principal.type !== "user" || g.principal.label !== g.requester.name ? ` · requested by ${g.requester.name}` : ""}
                  </div>
                </td>
                <td className="px-4 py-2 font-mono text-xs">{g.port}</td>
                <td className="max-w-sm px-4 py-2 text-slate-700">
                  {g.purposeCategory ? (
                    <div className="mb-1">
                      <Badge tone="violet">{PURPOSE_CATEGORIES[g.purposeCategory as keyof typeof PURPOSE_CATEGORIES] ?? g.purposeCategory}</Badge>
                    </div>
                  ) : null}
                  <span className="line-clamp-3">{g.purpose}</span>
                  {g.piiUnmasked ? <div className="mt-1 text-xs text-amber-800">Sees personal data unmasked for this purpose</div> : null}
                </td>
                <td className="px-4 py-2 whitespace-nowrap">
                  {g.status === "provisioning" ? <Badge tone="blue">being set up</Badge> : day(g.expiresAt)}
                  {g.extensionDays ? <div className="text-xs text-slate-500">+{g.extensionDays} days asked for</div> : null}
                </td>
                <td className="px-4 py-2 whitespace-nowrap">
                  <Link href={`/access/requests/${g.requestId}`} className="mr-3 text-canopy-800 underline">
                    Details<span className="sr-only"> of {g.principal.label}&apos;s access to {g.port}</span>
                  </Link>
                  {g.canRevoke ? (
                    <button type="button" className="btn-secondary px-2 py-1 text-rose-800" onClick={() => setRevoking(g)}>
                      Revoke<span className="sr-only"> {g.principal.label}&apos;s access to {g.port}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
      {revoking ? (
        <RevokeDialog
          requestId={revoking.requestId}
          who={revoking.principal.label}
          what={`${productName} / ${revoking.port}`}
          onClose={(done) => {
            if (done) setMessage(`Access of ${revoking.principal.label} to ${revoking.port} revoked.`);
            setRevoking(null);
          }}
        />
      ) : null}
    </>
  );
}

/** Confirms an early revocation, with an optional note for the consumer. */
export function RevokeDialog({ requestId, who, what, onClose }: { requestId: string; who: string; what: string; onClose: (revoked: boolean) => void }) {
  const id = useId();
  const router = useRouter();
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function revoke() {
    setPending(true);
    setError(null);
    const result = await callAction(() => revokeAccessAction({ requestId, note }));
    setPending(false);
    if (!result.ok) {
      setError(result.error);
      router.refresh();
      return;
    }
    router.refresh();
    onClose(true);
  }
  return (
    <Modal
      title={`Revoke access of ${who}?`}
      description={`${who} loses access to ${what} at once: Trino stops allowing it, and what was set up for the grant is removed. They are notified.`}
      busy={pending}
      onClose={() => onClose(false)}
    >
      <label htmlFor={`${id}-note`} className="block text-sm font-medium text-slate-800">
        Note to {who} <span className="font-normal text-slate-500">(optional)</span>
      </label>
      <textarea id={`${id}-note`} rows={3} maxLength={NOTE_MAX} className="input mt-1 mb-3" value={note} onChange={(e) => setNote(e.target.value)} />
      <ModalActions
        error={error}
        busy={pending}
        onCancel={() => onClose(false)}
        onConfirm={() => void revoke()}
        confirmLabel="Revoke access"
        busyLabel="Revoking…"
        tone="danger"
      />
    </Modal>
  );
}
