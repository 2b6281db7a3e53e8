import type { Highlight } from "@/lib/search/types";

/** Plain text of highlighted fragments (for titles and accessible names). */
export function highlightText(parts: Highlight): string {
  return parts.map((p) => p.text).join("");
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Marks the words of a query in a suggestion's label, the way the search page marks its hits: each
 * query word matches at the start of a word of the label, case-insensitively ("cust ord" marks
 * "**Cust**omer **Ord**ers"). Used for typeahead, where the server sends plain labels.
 */
export function markQuery(text: string, query: string): Highlight {
  const words = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
  if (!words.length || !text) return text ? [{ text, match: false }] : [];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(${words.map(escape).join("|")})`, "giu");
  const out: Highlight = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    if (start > last) out.push({ text: text.slice(last, start), match: false });
    out.push({ text: m[0], match: true });
    last = start + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), match: false });
  return out;
}
