"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Reloads the server-rendered page every few seconds while something is in progress (e.g. provisioning). */
export function AutoRefresh({ every = 3000, label }: { every?: number; label: string }) {
  const router = useRouter();
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, every);
    return () => window.clearInterval(timer);
  }, [router, every]);
  return (
    <p role="status" className="text-sm text-sky-800">
      {label}
    </p>
  );
}
