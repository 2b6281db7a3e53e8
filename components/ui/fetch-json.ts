/**
 * GET a Canopy API endpoint from the browser. A refusal becomes an Error carrying the API's own
 * message (which is written for users), or `fallback` when the reply has none.
 */
export async function fetchJson<T>(url: string, init: RequestInit & { fallback?: string } = {}): Promise<T> {
  const { fallback, ...rest } = init;
  const res = await fetch(url, { cache: "no-store", ...rest });
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${fallback ?? "The request failed"} (HTTP ${res.status})`);
  return body;
}
