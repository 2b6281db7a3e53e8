"use client";

import { useEffect, useState } from "react";
import type { PolicyResult } from "@/lib/governance/types";

export type PolicyEvaluationState =
  | { status: "idle" }
  | { status: "loading"; previous: PolicyResult[] | null }
  | { status: "ready"; results: PolicyResult[] }
  | { status: "error"; message: string };

const DEBOUNCE_MS = 400;

type Answer = { request: string; results: PolicyResult[] } | { request: string; error: string };

/**
 * The server's policy evaluation of an unsaved product spec (the domain's effective policies,
 * OPA included), re-run shortly after the spec stops changing. `spec` null: nothing to evaluate.
 * `retry` re-runs at once (after an error, or when the server refused to publish).
 */
export function usePolicyEvaluation(spec: unknown | null) {
  const [attempt, setAttempt] = useState(0);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [lastResults, setLastResults] = useState<PolicyResult[] | null>(null);
  const key = spec ? JSON.stringify(spec) : null;
  const request = key ? `${attempt}:${key}` : null;

  useEffect(() => {
    if (!request || !key) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      let next: Answer;
      try {
        const res = await fetch("/api/v1/governance/evaluate", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ spec: JSON.parse(key) }),
          signal: controller.signal,
          cache: "no-store",
        });
        const body = (await res.json().catch(() => ({}))) as { results?: PolicyResult[]; error?: string };
        next =
          res.ok && Array.isArray(body.results)
            ? { request, results: body.results }
            : { request, error: body.error ?? `The policies could not be checked (HTTP ${res.status}).` };
      } catch {
        if (controller.signal.aborted) return;
        next = { request, error: "Canopy could not be reached to check the policies." };
      }
      if (controller.signal.aborted) return;
      setAnswer(next);
      if ("results" in next) setLastResults(next.results);
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [request, key]);

  let state: PolicyEvaluationState;
  if (!request) state = { status: "idle" };
  else if (!answer || answer.request !== request) state = { status: "loading", previous: lastResults };
  else state = "results" in answer ? { status: "ready", results: answer.results } : { status: "error", message: answer.error };

  return { state, retry: () => setAttempt((n) => n + 1) };
}

/** Failing blocking policies in a set of results. */
export function blockingPolicies(results: PolicyResult[]): PolicyResult[] {
  return results.filter((r) => r.severity === "blocking" && (r.outcome === "fail" || r.outcome === "error"));
}
