"use client";

import { useRef, useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Modal, ModalActions } from "@/components/ui/modal";
import { revokeApiToken } from "@/lib/tokens/actions";
import type { TokenDto } from "@/lib/tokens/service";
import { formatDay, formatMinute } from "./format";

const statusTone: Record<string, Tone> = { active: "green", expired: "gray", revoked: "amber" };

/** A list of API tokens with a revoke button (and a confirmation) on the active ones. */
export function TokenTable({ tokens, caption, empty, showOwner }: { tokens: TokenDto[]; caption: string; empty: string; showOwner?: boolean }) {
  const [confirming, setConfirming] = useState<TokenDto | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);

  if (!tokens.length) return <EmptyState title="No tokens">{empty}</EmptyState>;
  return (
    <>
      <p role="status" aria-live="polite" className={message ? "mb-2 text-sm text-slate-700" : "sr-only"}>
        {message}
      </p>
      <div className="card overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
              <th scope="col" className="px-4 py-2">Name</th>
              {showOwner ? <th scope="col" className="px-4 py-2">Owner</th> : null}
              <th scope="col" className="px-4 py-2">Token</th>
              <th scope="col" className="px-4 py-2">Scopes</th>
              <th scope="col" className="px-4 py-2">Created</th>
              <th scope="col" className="px-4 py-2">Expires</th>
              <th scope="col" className="px-4 py-2">Last used</th>
              <th scope="col" className="px-4 py-2">Status</th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} className="border-b border-slate-100 align-top">
                <th scope="row" className="px-4 py-2 font-medium">
                  {t.name}
                  {t.kind === "service" ? (
                    <span className="ml-2">
                      <Badge tone="violet">service</Badge>
                    </span>
                  ) : null}
                </th>
                {showOwner ? <td className="px-4 py-2">{t.owner ? `${t.owner.name} (${t.owner.email})` : "—"}</td> : null}
                <td className="px-4 py-2 font-mono text-xs whitespace-nowrap">cnp_{t.prefix}…</td>
                <td className="px-4 py-2">
                  <ul className="flex flex-wrap gap-1">
                    {t.scopes.map((s) => (
                      <li key={s}>
                        <code className="rounded bg-slate-100 px-1 py-0.5 text-xs">{s}</code>
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="px-4 py-2 whitespace-nowrap">{formatDay(t.createdAt)}</td>
                <td className="px-4 py-2 whitespace-nowrap">{formatDay(t.expiresAt)}</td>
                <td className="px-4 py-2 whitespace-nowrap">{formatMinute(t.lastUsedAt)}</td>
                <td className="px-4 py-2">
                  <Badge tone={statusTone[t.status] ?? "gray"}>{t.status}</Badge>
                </td>
                <td className="px-4 py-2 text-right">
                  {t.status === "active" ? (
                    <button
                      type="button"
                      className="btn-secondary"
                      aria-label={`Revoke ${t.name}`}
                      onClick={(e) => {
                        opener.current = e.currentTarget;
                        setMessage(null);
                        setConfirming(t);
                      }}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {confirming ? (
        <RevokeDialog
          token={confirming}
          onClose={(revoked) => {
            setConfirming(null);
            if (revoked) setMessage(`Token “${confirming.name}” revoked. Anything using it is refused from now on.`);
            else opener.current?.focus();
          }}
        />
      ) : null}
    </>
  );
}

function RevokeDialog({ token, onClose }: { token: TokenDto; onClose: (revoked: boolean) => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    setPending(true);
    setError(null);
    try {
      const result = await revokeApiToken({ id: token.id });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      onClose(true);
    } catch {
      setError("Could not reach Canopy. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <Modal
      title={`Revoke “${token.name}”?`}
      description={
        <>
          Anything using <code className="text-xs">cnp_{token.prefix}…</code> is refused from the next request on. This cannot be undone.
        </>
      }
      busy={pending}
      onClose={() => onClose(false)}
    >
      <ModalActions
        error={error}
        busy={pending}
        onCancel={() => onClose(false)}
        onConfirm={() => void revoke()}
        confirmLabel="Revoke token"
        busyLabel="Revoking…"
        tone="danger"
      />
    </Modal>
  );
}
