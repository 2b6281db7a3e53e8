"use client";

import { useRef, useState, type KeyboardEvent } from "react";
import { describedBy, FieldErrorText } from "@/components/wizard/fields";
import { fieldId, type FieldErrors } from "@/components/wizard/form-state";
import { previewDescription } from "@/lib/drafts/actions";

type Tab = "write" | "preview";

/**
 * Markdown text with a Write / Preview tab pair. The preview is rendered and sanitized by the
 * server (the same renderer as the product page), never from the raw text in the browser.
 */
export function MarkdownEditor({ name, label, hint, value, onChange, errors }: { name: string; label: string; hint?: string; value: string; onChange: (v: string) => void; errors: FieldErrors }) {
  const id = fieldId(name);
  const [tab, setTab] = useState<Tab>("write");
  const [preview, setPreview] = useState<{ source: string; html: string } | null>(null);
  const [state, setState] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });
  const tabs = useRef<Record<Tab, HTMLButtonElement | null>>({ write: null, preview: null });

  async function loadPreview(source: string) {
    if (preview?.source === source) return;
    setState({ loading: true, error: null });
    try {
      const r = await previewDescription({ source });
      if (r.ok) {
        setPreview({ source, html: r.data.html });
        setState({ loading: false, error: null });
      } else setState({ loading: false, error: r.error });
    } catch {
      setState({ loading: false, error: "Canopy could not be reached to render the preview." });
    }
  }

  function select(next: Tab) {
    setTab(next);
    tabs.current[next]?.focus();
    if (next === "preview") void loadPreview(value);
  }

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>) {
    if (e.key === "ArrowRight" || e.key === "ArrowLeft" || e.key === "Home" || e.key === "End") {
      e.preventDefault();
      select(e.key === "Home" ? "write" : e.key === "End" ? "preview" : tab === "write" ? "preview" : "write");
    }
  }

  const bad = Boolean(errors[name]?.length);
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {label}
        </label>
        <div role="tablist" aria-label={`${label} editor`} className="flex gap-1">
          {(["write", "preview"] as const).map((t) => (
            <button
              key={t}
              ref={(el) => {
                tabs.current[t] = el;
              }}
              type="button"
              role="tab"
              id={`${id}-tab-${t}`}
              aria-selected={tab === t}
              aria-controls={`${id}-panel-${t}`}
              tabIndex={tab === t ? 0 : -1}
              className={`rounded-t-md border-b-2 px-3 py-1 text-sm ${tab === t ? "border-canopy-700 font-medium text-canopy-900" : "border-transparent text-slate-600 hover:text-slate-900"}`}
              onClick={() => select(t)}
              onKeyDown={onKeyDown}
            >
              {t === "write" ? "Write" : "Preview"}
            </button>
          ))}
        </div>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <div id={`${id}-panel-write`} role="tabpanel" aria-labelledby={`${id}-tab-write`} hidden={tab !== "write"} className="mt-1">
        <textarea
          id={id}
          rows={8}
          className={`input font-mono${bad ? " border-rose-600 ring-1 ring-rose-600" : ""}`}
          value={value}
          aria-invalid={bad || undefined}
          aria-describedby={describedBy(name, errors, hint)}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
      <div id={`${id}-panel-preview`} role="tabpanel" aria-labelledby={`${id}-tab-preview`} hidden={tab !== "preview"} tabIndex={0} className="card mt-1 min-h-24 p-3" aria-busy={state.loading}>
        {state.loading ? (
          <p role="status" className="text-sm text-slate-500">
            Rendering…
          </p>
        ) : state.error ? (
          <div role="alert" className="text-sm text-rose-800">
            {state.error}{" "}
            <button type="button" className="underline" onClick={() => void loadPreview(value)}>
              Try again
            </button>
          </div>
        ) : !value.trim() ? (
          <p className="text-sm text-slate-500">Nothing to preview yet.</p>
        ) : preview ? (
          // Rendered and sanitized on the server (lib/markdown.ts), like the product page.
          <div className="prose-canopy" dangerouslySetInnerHTML={{ __html: preview.html }} />
        ) : null}
      </div>
      <FieldErrorText name={name} errors={errors} />
    </div>
  );
}
