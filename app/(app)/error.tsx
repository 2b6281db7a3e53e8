"use client";

import { RouteError } from "@/components/ui/route-error";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <RouteError title="Something went wrong" digest={error.digest} reset={reset}>
      The page could not be loaded. Try again
    </RouteError>
  );
}
