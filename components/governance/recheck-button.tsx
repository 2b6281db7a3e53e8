"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";

type Result = { score: number; blocking: number };

/**
 * "Check again": evaluates the product against the policies in force now (after a fix made
 * elsewhere, or to see a new policy's effect without waiting for the background re-evaluation),
 * then refreshes the page. The outcome is announced in a live region.
 */
export function RecheckGovernance({ slug }: { slug: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function recheck() {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const body = await fetchJson<Result>(`/api/v1/products/${encodeURIComponent(slug)}/governance`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
        fallback: "Checking failed",
      });
      setMessage(
        `Checked just now: score ${body.score}/100, ${body.blocking ? `${body.blocking} blocking ${body.blocking === 1 ? "policy fails" : "policies fail"}` : "no blocking policy fails"}.`,
      );
      router.refresh();
    } catch (e) {
      // fetch itself rejects with a TypeError when the server cannot be reached; refusals carry the API's message.
      setError(e instanceof TypeError ? "Checking failed: the server could not be reached" : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mb-3 flex flex-wrap items-center gap-3 text-sm">
      <button type="button" className="btn-secondary" onClick={recheck} disabled={busy} aria-describedby={`recheck-${slug}-hint`}>
        {busy ? "Checking…" : "Check again now"}
      </button>
      <span id={`recheck-${slug}-hint`} className="text-slate-600">
        Evaluates the product against the policies in force now.
      </span>
      <p role="status" aria-live="polite" className="w-full text-slate-700 empty:hidden">
        {message}
      </p>
      {error ? (
        <p role="alert" className="w-full text-rose-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
