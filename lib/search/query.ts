import { z } from "zod";
import { fnv1a } from "@/lib/hash";
import { UserError } from "@/lib/errors";
import type { SearchInput } from "@/lib/search/types";

/**
 * Query text → words, and the opaque keyset cursor. Kept free of the database so it is tested
 * directly; the SQL side normalizes stored text with `search_normalize`, which this mirrors.
 */

/** English stopwords (the Snowball list PostgreSQL's english configuration drops). */
export const STOPWORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by " +
    "can did do does doing down during each few for from further had has have having he her here hers herself him himself his " +
    "how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours " +
    "ourselves out over own same she should so some such than that the their theirs them themselves then there these they " +
    "this those through to too under until up very was we were what when where which while who whom why will with you your " +
    "yours yourself yourselves"
  ).split(" "),
);

export const MAX_WORDS = 8;
const MAX_WORD_LENGTH = 40;

/** Same result as the SQL function search_normalize for the texts search sees. */
export function normalizeText(text: string): string {
  return text
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, "$1 $2")
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export type ParsedQuery = {
  /** The words that are searched for (stopwords dropped unless nothing else is left). */
  words: string[];
  /** The whole query as normalized words, for the exact/prefix name boost. */
  normalized: string;
};

export function parseQuery(q: string): ParsedQuery {
  const all = normalizeText(q)
    .split(" ")
    .filter(Boolean)
    .map((w) => w.slice(0, MAX_WORD_LENGTH));
  const content = all.filter((w) => !STOPWORDS.has(w));
  const words = (content.length ? content : all).slice(0, MAX_WORDS);
  return { words, normalized: all.join(" ") };
}

/** A light English stemmer, used only to decide which words to highlight. */
export function stem(word: string): string {
  for (const suffix of ["ational", "ations", "ation", "ings", "ing", "ies", "ers", "er", "ed", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length) + (suffix === "ies" ? "y" : "");
  }
  return word;
}

/** Whether a token of the text matches one of the query words (prefix, or the same stem). */
export function tokenMatches(token: string, words: readonly string[]): boolean {
  const t = normalizeText(token);
  if (!t) return false;
  return words.some((w) => t === w || (w.length >= 2 && t.startsWith(w)) || (w.length >= 3 && stem(t) === stem(w)));
}

// ---- cursor ----

const cursorSchema = z.object({
  v: z.literal(1),
  b: z.number().int().min(0).max(15),
  s: z.number().finite(),
  id: z.uuid(),
  h: z.number().int().nonnegative(),
});
export type CursorKey = { bucket: number; score: number; id: string };

/** Binds a cursor to one search: the same query words, filters and access. */
export function searchSignature(words: readonly string[], input: SearchInput): number {
  const f = [input.domain, input.team, input.tag, input.classification, input.status, input.portType].map((l) => [...l].sort().join(","));
  return fnv1a(JSON.stringify([words, f, input.access]));
}

export function encodeCursor(key: CursorKey, signature: number): string {
  return Buffer.from(JSON.stringify({ v: 1, b: key.bucket, s: key.score, id: key.id, h: signature })).toString("base64url");
}

export class InvalidCursorError extends UserError {
  static readonly kind: string = "InvalidCursorError";
  constructor(reason: string) {
    super(`The cursor is not valid for this search (${reason}); start again from the first page`, {
      status: 400,
      code: "invalid_cursor",
      fieldErrors: { cursor: [reason] },
    });
    this.name = "InvalidCursorError";
  }
}

export function decodeCursor(cursor: string, signature: number): CursorKey {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("not base64url");
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError("it is not a cursor this API returned");
  }
  const r = cursorSchema.safeParse(parsed);
  if (!r.success) throw new InvalidCursorError("it is not a cursor this API returned");
  if (r.data.h !== signature) throw new InvalidCursorError("it belongs to a different query or filters");
  return { bucket: r.data.b, score: r.data.s, id: r.data.id };
}
