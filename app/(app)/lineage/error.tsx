"use client";

import Link from "next/link";

export default function LineageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-lg font-semibold">Lineage is not available right now</h1>
      <p className="mt-2 text-sm text-slate-600">
        The lineage page could not be loaded. Try again, or see a product&apos;s dependencies on its page meanwhile; if it keeps happening, tell your platform team
        {error.digest ? (
          <>
            {" "}
            and quote reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <div className="mt-4 flex justify-center gap-2">
        <button type="button" className="btn-primary" onClick={reset}>
          Try again
        </button>
        <Link href="/products" className="btn-secondary">
          Browse the catalogue
        </Link>
      </div>
    </div>
  );
}
