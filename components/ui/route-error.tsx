"use client";

import Link from "next/link";
import type { ReactNode } from "react";

/** The body of a route's error boundary: what failed, "Try again", and the reference to quote. */
export function RouteError({
  title,
  children,
  digest,
  reset,
  alternative,
}: {
  title: string;
  /** What could not be done and what to do meanwhile, ending before "if it keeps happening…". */
  children: ReactNode;
  digest?: string;
  reset: () => void;
  alternative?: { href: string; label: string };
}) {
  return (
    <div role="alert" className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-slate-600">
        {children}; if it keeps happening, tell your platform team
        {digest ? (
          <>
            {" "}
            and quote reference <code className="font-mono">{digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-4 flex justify-center gap-2">
        <button type="button" className="btn-primary" onClick={reset}>
          Try again
        </button>
        {alternative ? (
          <Link href={alternative.href} className="btn-secondary">
            {alternative.label}
          </Link>
        ) : null}
      </div>
    </div>
  );
}
