"use client";

/** A failed request's message with "Try again", announced as an alert. */
export function RetryAlert({ message, onRetry, className = "text-sm", compact = false }: { message: string; onRetry: () => void; className?: string; compact?: boolean }) {
  return (
    <div role="alert" className={`text-rose-800 ${className}`}>
      <p>{message}</p>
      <button type="button" className={compact ? "btn btn-secondary mt-1 !py-0.5 text-xs" : "btn btn-secondary mt-2"} onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
