"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { publishProduct } from "@/lib/products/actions";

/** Publishes a draft product (the server runs the publishing checks again). */
export function PublishButton({ slug }: { slug: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <button
        type="button"
        className="btn btn-primary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            setError(null);
            const result = await publishProduct({ slug });
            if (!result.ok) setError(result.error);
            else router.refresh();
          })
        }
      >
        {pending ? "Publishing…" : "Publish"}
      </button>
      {error ? (
        <p role="alert" className="mt-2 max-w-md text-sm text-rose-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
