"use client";

import { useQuery } from "@tanstack/react-query";
import { accessKeys } from "@/components/access/keys";
import { fetchJson } from "@/components/ui/fetch-json";

/** How many access requests wait on the user's decision; refreshed every 30 seconds and on focus. */
export function useWaitingCount(initial?: number) {
  const { data } = useQuery({
    queryKey: accessKeys.waitingCount,
    queryFn: ({ signal }) => fetchJson<{ waiting: number }>("/api/v1/access/count", { signal, fallback: "Could not count the requests waiting on you" }),
    initialData: initial === undefined ? undefined : { waiting: initial },
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
  return data?.waiting;
}
