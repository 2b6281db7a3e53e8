"use client";

import { RouteError } from "@/components/ui/route-error";

export default function SearchError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <RouteError title="Search is not available right now" digest={error.digest} reset={reset} alternative={{ href: "/products", label: "Browse the catalogue" }}>
      The search could not run. Try again, or browse the catalogue meanwhile
    </RouteError>
  );
}
