"use client";

import { useSyncExternalStore } from "react";

const noop = () => () => undefined;

/** False during server rendering and hydration, true once React runs in the browser. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}
