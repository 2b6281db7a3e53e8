"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fetchJson } from "@/components/ui/fetch-json";
import type { Suggestion } from "@/lib/search/types";

export const searchKeys = {
  all: ["search"] as const,
  suggest: (q: string) => ["search", "suggest", q] as const,
};

/** Suggestions start at the second character. */
export const SUGGEST_MIN_CHARS = 2;
export const SUGGEST_DEBOUNCE_MS = 150;

/** The value once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** The query the typeahead asks about: trimmed, lower-cased, or "" while too short. */
export function suggestQuery(text: string): string {
  const q = text.trim().replace(/\s+/g, " ").toLowerCase().slice(0, 100);
  return q.length >= SUGGEST_MIN_CHARS ? q : "";
}

/**
 * Typeahead suggestions for what the user types. Asks once the typing pauses (debounced); when the
 * query changes while a request runs, that request loses its only observer and TanStack Query aborts
 * it through the signal, so at most one request is in flight. Answers are cached per query, and the
 * previous answer stays on screen while the next one loads.
 */
export function useSuggestions(text: string) {
  const q = useDebounced(suggestQuery(text), SUGGEST_DEBOUNCE_MS);
  const current = suggestQuery(text);
  const query = useQuery({
    queryKey: searchKeys.suggest(q),
    enabled: q !== "",
    staleTime: 30_000,
    retry: false,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => {
      const body = await fetchJson<{ items: Suggestion[] }>(`/api/v1/search/suggest?q=${encodeURIComponent(q)}`, {
        signal,
        fallback: "Suggestions are unavailable",
      });
      return body.items;
    },
  });
  return {
    /** Empty while the text is too short, so a stale list never shows under one character. */
    suggestions: current === "" ? [] : (query.data ?? []),
    loading: current !== "" && (query.isFetching || q !== current),
    error: current === "" ? null : query.error,
  };
}
