"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";
import { Modal, ModalActions } from "@/components/ui/modal";
import type { ImpactReport } from "@/lib/lineage/types";

type Preview = {
  dryRun: boolean;
  product: { slug: string; name: string; status: string; version: string };
  impact: ImpactReport;
  notified: { owners: number; consumers: number };
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Deprecates a product after showing who depends on it: the dialog loads the impact (a dry run of the
 * same request), asks for a reason, and sends it. The server checks permissions and status again.
 */
export function DeprecateProduct({ slug, productName }: { slug: string; productName: string }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return (
    <div>
      <button type="button" className="btn-secondary" onClick={() => setOpen(true)}>
        Deprecate…
      </button>
      {done ? (
        <p role="status" className="mt-2 max-w-md text-sm text-slate-700">
          {done}
        </p>
      ) : null}
      {open ? (
        <DeprecateDialog
          slug={slug}
          productName={productName}
          onClose={() => setOpen(false)}
          onDone={(message) => {
            setOpen(false);
            setDone(message);
          }}
        />
      ) : null}
    </div>
  );
}

function DeprecateDialog({ slug, productName, onClose, onDone }: { slug: string; productName: string; onClose: () => void; onDone: (message: string) => void }) {
  const router = useRouter();
  const ids = useId();
  const url = `/api/v1/products/${encodeURIComponent(slug)}/deprecate`;
  const [preview, setPreview] = useState<Preview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    fetchJson<Preview>(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ dryRun: true }),
      fallback: "Could not load what depends on this product",
    })
      .then((p) => live && setPreview(p))
      .catch((e: Error) => live && setLoadError(e.message));
    return () => {
      live = false;
    };
  }, [url]);

  async function confirm() {
    if (!reason.trim()) {
      setFieldError("Say why, and what consumers should move to");
      document.getElementById(`${ids}-reason`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ reason: reason.trim() }) });
      const body = (await res.json().catch(() => ({}))) as Preview & { error?: string; fieldErrors?: Record<string, string[]> };
      if (!res.ok) {
        if (body.fieldErrors?.reason?.[0]) setFieldError(body.fieldErrors.reason[0]);
        setError(body.error ?? `Deprecating failed (HTTP ${res.status})`);
        setBusy(false);
        return;
      }
      const told = body.notified.owners + body.notified.consumers;
      router.refresh();
      onDone(`${productName} is deprecated. ${told ? `${plural(told, "person", "people")} were notified.` : "Nobody else needed to be notified."}`);
    } catch {
      setError("Deprecating failed: the server could not be reached");
      setBusy(false);
    }
  }

  const impact = preview?.impact;
  const downstream = impact?.products.filter((p) => p.depth > 0) ?? [];
  const ownConsumers = impact?.products.find((p) => p.depth === 0)?.consumers ?? [];
  return (
    <Modal
      title={`Deprecate ${productName}?`}
      description="Consumers keep their access, but the product is marked for replacement everywhere it appears. Owners of products that depend on it and everyone with access are notified."
      onClose={onClose}
      busy={busy}
      wide
    >
      <section aria-labelledby={`${ids}-impact`} aria-busy={!preview && !loadError} className="mb-4">
        <h3 id={`${ids}-impact`} className="mb-1 text-sm font-semibold">
          What depends on it
        </h3>
        {loadError ? (
          <p role="alert" className="rounded-md bg-rose-50 p-2 text-sm text-rose-800">
            {loadError}
          </p>
        ) : !impact ? (
          <p className="text-sm text-slate-600" role="status">
            Loading the impact…
          </p>
        ) : (
          <div className="space-y-2 text-sm text-slate-700">
            <p>
              {plural(downstream.length, "downstream product")}
              {impact.restrictedCount ? ` (${impact.restrictedCount} you cannot see)` : ""}, {plural(ownConsumers.length, "active consumer")} of this product, and{" "}
              {plural(impact.unownedAssets.length, "downstream table")} outside the catalogue. {plural(preview!.notified.owners, "owner")} and{" "}
              {plural(preview!.notified.consumers, "consumer")} will be notified.
              {impact.truncated ? " The lineage is larger than shown here." : ""}
            </p>
            {downstream.length ? (
              <ul className="max-h-48 list-disc overflow-y-auto pl-5">
                {downstream.slice(0, 50).map((p, i) =>
                  p.product ? (
                    <li key={p.product.id}>
                      <Link href={`/products/${p.product.slug}`} className="text-canopy-800 hover:underline">
                        {p.product.name}
                      </Link>{" "}
                      <span className="text-slate-500">
                        ({p.depth === 1 ? "direct" : `${p.depth} hops`}
                        {p.owners.length ? `, owned by ${p.owners.map((o) => o.name).join(", ")}` : ""})
                      </span>
                    </li>
                  ) : (
                    <li key={`restricted-${i}`} className="italic text-slate-500">
                      Restricted product ({p.depth === 1 ? "direct" : `${p.depth} hops`})
                    </li>
                  ),
                )}
                {downstream.length > 50 ? <li>… and {downstream.length - 50} more</li> : null}
              </ul>
            ) : null}
          </div>
        )}
      </section>
      <div className="mb-4">
        <label htmlFor={`${ids}-reason`} className="mb-1 block text-sm font-medium">
          Reason (shown to everyone notified)
        </label>
        <textarea
          id={`${ids}-reason`}
          className="input min-h-24 w-full"
          value={reason}
          required
          maxLength={2000}
          disabled={busy}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? `${ids}-reason-error` : undefined}
          placeholder="e.g. Replaced by the orders port of Sales Orders v4; this product is retired on 1 March."
          onChange={(e) => setReason(e.target.value)}
        />
        {fieldError ? (
          <p id={`${ids}-reason-error`} className="mt-1 text-sm text-rose-800">
            {fieldError}
          </p>
        ) : null}
      </div>
      <ModalActions
        error={error}
        busy={busy}
        onCancel={onClose}
        onConfirm={confirm}
        confirmLabel="Deprecate product"
        busyLabel="Deprecating…"
        tone="danger"
        disabled={!preview}
      />
    </Modal>
  );
}
