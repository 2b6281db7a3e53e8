"use client";

import { RouteError } from "@/components/ui/route-error";

export default function LineageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <RouteError title="Lineage is not available right now" digest={error.digest} reset={reset} alternative={{ href: "/products", label: "Browse the catalogue" }}>
      The lineage page could not be loaded. Try again, or see a product&apos;s dependencies on its page meanwhile
    </RouteError>
  );
}
