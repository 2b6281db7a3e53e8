"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { DRAFT_MAX_BYTES, jsonBytes } from "@/lib/drafts/schemas";
import { saveProductDraft } from "@/lib/drafts/actions";

export type AutosaveStatus = "idle" | "pending" | "saving" | "saved" | "error" | "conflict";
export type AutosaveState = { status: AutosaveStatus; savedAt: string | null; message: string | null };

type Payload = { step: number; data: Record<string, unknown> };

/**
 * Saves the wizard as a draft: `schedule()` after a change saves once the user pauses
 * (`delayMs`), `flush()` saves now (on step changes). One save at a time; changes made during a
 * save are saved right after it. The first save creates the draft; later ones send the revision
 * they are based on, and a conflict (another tab saved meanwhile) stops autosaving.
 */
export function useDraftAutosave(opts: {
  initial: { id: string; revision: number; savedAt: string } | null;
  payload: () => Payload;
  onCreated: (id: string) => void;
  delayMs?: number;
}) {
  const delay = opts.delayMs ?? 800;
  const [state, setState] = useState<AutosaveState>(
    opts.initial ? { status: "saved", savedAt: opts.initial.savedAt, message: null } : { status: "idle", savedAt: null, message: null },
  );
  const idRef = useRef<string | null>(opts.initial?.id ?? null);
  const revisionRef = useRef<number | null>(opts.initial?.revision ?? null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const dirty = useRef(false);
  const halted = useRef(false);
  const payloadRef = useRef(opts.payload);
  const onCreatedRef = useRef(opts.onCreated);
  useEffect(() => {
    payloadRef.current = opts.payload;
    onCreatedRef.current = opts.onCreated;
  });

  const saveLoop = useCallback(async () => {
    do {
      again.current = false;
      dirty.current = false;
      const payload = payloadRef.current();
      const bytes = jsonBytes(payload.data);
      if (bytes > DRAFT_MAX_BYTES) {
        setState((s) => ({ ...s, status: "error", message: `The draft is too large to save (${Math.ceil(bytes / 1024)} KB of ${DRAFT_MAX_BYTES / 1024} KB).` }));
        return;
      }
      setState((s) => ({ ...s, status: "saving", message: null }));
      let result: Awaited<ReturnType<typeof saveProductDraft>>;
      try {
        result = await saveProductDraft({
          ...(idRef.current ? { id: idRef.current, revision: revisionRef.current ?? 0 } : {}),
          step: payload.step,
          data: payload.data,
        });
      } catch {
        dirty.current = true;
        setState((s) => ({ ...s, status: "error", message: "Canopy could not be reached." }));
        return;
      }
      if (!result.ok) {
        dirty.current = true;
        if (result.code === "conflict") {
          halted.current = true;
          setState((s) => ({ ...s, status: "conflict", message: result.error }));
        } else {
          setState((s) => ({ ...s, status: "error", message: result.error }));
        }
        return;
      }
      const created = !idRef.current;
      idRef.current = result.data.id;
      revisionRef.current = result.data.revision;
      if (created) onCreatedRef.current(result.data.id);
      setState({ status: again.current ? "pending" : "saved", savedAt: result.data.savedAt, message: null });
    } while (again.current && !halted.current);
  }, []);

  const flush = useCallback((): Promise<void> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (halted.current) return Promise.resolve();
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const p = saveLoop().finally(() => {
      running.current = null;
    });
    running.current = p;
    return p;
  }, [saveLoop]);

  const schedule = useCallback(() => {
    if (halted.current) return;
    dirty.current = true;
    setState((s) => (s.status === "saving" || s.status === "error" ? s : { ...s, status: "pending" }));
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), delay);
  }, [delay, flush]);

  /** Stops saving (while the product is submitted); `resume()` undoes it. */
  const stop = useCallback(() => {
    halted.current = true;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    return running.current ?? Promise.resolve();
  }, []);
  const resume = useCallback(() => {
    halted.current = false;
  }, []);

  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!halted.current && (dirty.current || running.current)) {
        void flush();
        e.preventDefault();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      // Leaving the wizard inside the app: save what is pending rather than drop it.
      if (!halted.current && dirty.current) void flush();
    };
  }, [flush]);

  return { state, schedule, flush, stop, resume, draftId: () => idRef.current };
}
