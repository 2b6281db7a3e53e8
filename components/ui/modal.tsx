"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal dialog on the native <dialog> element: focus moves in and is kept there, Escape closes
 * (unless `busy`), and focus returns to where it was when it closes.
 */
export function Modal({
  title,
  description,
  onClose,
  busy,
  children,
  wide,
}: {
  title: ReactNode;
  description?: ReactNode;
  onClose: () => void;
  busy?: boolean;
  children: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${ids}-title`}
      aria-describedby={description ? `${ids}-desc` : undefined}
      className={`m-auto w-full ${wide ? "max-w-2xl" : "max-w-md"} rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id={`${ids}-title`} className="mb-2 text-lg font-semibold">
        {title}
      </h2>
      {description ? (
        <div id={`${ids}-desc`} className="mb-4 text-sm text-slate-700">
          {description}
        </div>
      ) : null}
      {children}
    </dialog>
  );
}

/**
 * The footer of a confirmation dialog: the error of the last attempt (announced), a way out, and the
 * confirming button, both disabled while the action runs.
 */
export function ModalActions({
  error,
  errorId,
  busy,
  onCancel,
  cancelLabel = "Cancel",
  onConfirm,
  confirmLabel,
  busyLabel,
  tone = "primary",
  disabled,
  className = "",
}: {
  error?: ReactNode;
  /** Lets a field point at the error with aria-describedby. */
  errorId?: string;
  busy: boolean;
  onCancel: () => void;
  cancelLabel?: string;
  onConfirm: () => void;
  confirmLabel: string;
  busyLabel: string;
  tone?: "primary" | "danger";
  disabled?: boolean;
  className?: string;
}) {
  return (
    <>
      {error ? (
        <p id={errorId} tabIndex={errorId ? -1 : undefined} role="alert" className="mb-3 rounded-md bg-rose-50 p-2 text-sm text-rose-800">
          {error}
        </p>
      ) : null}
      <div className={`flex justify-end gap-2 ${className}`}>
        <button type="button" className="btn-secondary" disabled={busy} onClick={onCancel}>
          {cancelLabel}
        </button>
        <button
          type="button"
          className={tone === "danger" ? "btn bg-rose-700 text-white hover:bg-rose-800" : "btn-primary"}
          disabled={busy || disabled}
          onClick={onConfirm}
        >
          {busy ? busyLabel : confirmLabel}
        </button>
      </div>
    </>
  );
}
