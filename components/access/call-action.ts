/** Client-side helpers around the access server actions. */

export type ActionFailure = { ok: false; error: string; code?: string; status?: number; fieldErrors?: Record<string, string[]> };
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

/** Runs a server action; a network failure becomes an ordinary failure the form can show. */
export async function callAction<T>(run: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await run();
  } catch {
    return { ok: false, code: "network", error: "Could not reach Canopy. Check your connection and try again." };
  }
}

/** The existing request a "duplicate request" refusal points at, as a path. */
export function existingRequestLink(result: ActionFailure): string | undefined {
  if (result.code !== "duplicate_request") return undefined;
  return /\/access\/requests\/[0-9a-f-]{36}/i.exec(result.error)?.[0];
}

/** A refusal because someone else changed the request first. */
export const isConflict = (result: ActionFailure) => result.code === "conflict" || result.status === 409;
