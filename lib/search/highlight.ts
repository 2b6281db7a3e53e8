import { tokenMatches } from "@/lib/search/query";
import type { Highlight } from "@/lib/search/types";

/** Splits text into fragments, marking the words that match the query words. */
export function highlight(text: string, words: readonly string[]): Highlight {
  if (!text) return [];
  if (!words.length) return [{ text, match: false }];
  const out: Highlight = [];
  const push = (t: string, match: boolean) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last && last.match === match) last.text += t;
    else out.push({ text: t, match });
  };
  let at = 0;
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    push(text.slice(at, m.index), false);
    push(m[0], tokenMatches(m[0], words));
    at = m.index + m[0].length;
  }
  push(text.slice(at), false);
  return out;
}

export function hasMatch(text: string, words: readonly string[]): boolean {
  return [...text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)].some((m) => tokenMatches(m[0], words));
}

/** An identifier (column, port) matches when its parts contain every query word. */
export function identifierMatches(name: string, words: readonly string[]): boolean {
  const parts = name
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, "$1 $2")
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
  return words.length > 0 && words.some((w) => parts.some((p) => tokenMatches(p, [w])));
}

/** Ranks identifiers by how many query words they contain (all words first). */
export function identifierScore(name: string, words: readonly string[]): number {
  const parts = name
    .replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, "$1 $2")
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean);
  return words.filter((w) => parts.some((p) => tokenMatches(p, [w]))).length;
}
