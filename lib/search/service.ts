import { isPlatformAdmin, type Principal } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db/client";
import { hasMatch, highlight, identifierMatches, identifierScore } from "@/lib/search/highlight";
import { decodeCursor, encodeCursor, normalizeText, parseQuery, searchSignature, type CursorKey } from "@/lib/search/query";
import { BROWSE_SQL, CORRECTION_SQL, ENTITY_SQL, PAGE_DETAILS_SQL, SUGGEST_SQL, TEXT_SEARCH_SQL } from "@/lib/search/sql";
import {
  SEARCH_FACETS,
  type FacetCount,
  type FacetName,
  type ProductHit,
  type SearchInput,
  type SearchResponse,
  type Suggestion,
} from "@/lib/search/types";

/**
 * Catalogue search (docs/search.md). Everything a user may not see is filtered in SQL, with the
 * same rules as `visibleProductsWhere` and the permission module; this file only parses input,
 * sends the statements and shapes their rows.
 */

/** Facet counts (and the total) cover at most this many matching products; beyond it they are lower bounds. */
export const FACET_CAP = 1000;
/** Each candidate scan ranks at most this many products. */
export const RANK_CAP = 400;
/** Below this many hits, the query's unknown words are checked for typos. */
const FEW_HITS = 3;
const ENTITY_LIMIT = 5;

type ProductRow = {
  product_id: string;
  bucket: number;
  score: number;
  tier: number;
  slug: string;
  name: string;
  summary: string;
  tags: string[];
  status: ProductHit["status"];
  classification: ProductHit["classification"];
  domain_slug: string;
  domain_name: string;
  team_slug: string | null;
  team_name: string | null;
  port_types: string[];
  detail_ok: boolean;
  has_access: boolean;
};
type MainRow = {
  products: ProductRow[];
  facets: { facet: FacetName; value: string; label: string; n: number }[];
  base_n: number;
  filtered_n: number;
  extra_n: number;
  popular_tags: { tag: string; count: number }[] | null;
};

type Run = { words: string[]; mode: "and" | "or"; row: MainRow; total: number; totalIsEstimate: boolean };

function userParams(user: Principal) {
  return [
    user.id,
    [...user.teamIds],
    user.domains.filter((d) => d.role === "steward").map((d) => d.domainId),
    isPlatformAdmin(user),
  ] as const;
}

async function runMain(db: Tx, user: Principal, input: SearchInput, words: string[], mode: "and" | "or", normalized: string, cursor: CursorKey | null, firstPage: boolean): Promise<Run> {
  const sql = words.length ? TEXT_SEARCH_SQL : BROWSE_SQL;
  const [first] = await db.$queryRawUnsafe<MainRow[]>(
    sql,
    ...userParams(user),
    words,
    mode,
    normalized,
    input.domain,
    input.team,
    input.tag,
    input.classification,
    input.status,
    input.portType,
    input.access === "mine",
    cursor?.bucket ?? null,
    cursor?.score ?? null,
    cursor?.id ?? null,
    input.limit,
    FACET_CAP,
    RANK_CAP,
    firstPage,
  );
  if (!first) throw new Error("search returned no row");
  const row = first;
  const capped = row.base_n >= FACET_CAP;
  const filtered = [input.domain, input.team, input.tag, input.classification, input.status, input.portType].some((l) => l.length) || input.access === "mine";
  let total = row.filtered_n;
  let totalIsEstimate = false;
  if (capped) {
    total = filtered ? row.extra_n : row.base_n;
    totalIsEstimate = total >= FACET_CAP;
  }
  return { words, mode, row, total, totalIsEstimate };
}

/** Replaces words the vocabulary does not know by the closest known word; null when nothing changes. */
async function correctWords(db: Tx, words: string[]): Promise<string[] | null> {
  const edits: string[] = [];
  const owners: number[] = [];
  words.forEach((w, i) => {
    if (w.length < 4) return;
    for (const e of singleEdits(w)) {
      edits.push(e);
      owners.push(i + 1);
    }
  });
  const rows = await db.$queryRawUnsafe<{ w: string; i: number; known: boolean; candidates: Candidate[] }[]>(CORRECTION_SQL, words, edits, owners);
  let changed = false;
  const out = rows.map((r) => {
    if (r.known) return r.w;
    const best = bestCorrection(r.w, r.candidates);
    if (!best || best === r.w) return r.w;
    changed = true;
    return best;
  });
  return changed ? out : null;
}

type Candidate = { term: string; sim: number; n: number };

/** The candidate fewest edits away (a swap of neighbours counts as one), then the most similar, then the most used. */
export function bestCorrection(word: string, candidates: readonly Candidate[]): string | null {
  let best: { term: string; d: number; sim: number; n: number } | null = null;
  for (const c of candidates) {
    const d = editDistance(word, c.term);
    if (d > Math.max(2, Math.floor(word.length / 3))) continue;
    if (!best || d < best.d || (d === best.d && (c.sim > best.sim || (c.sim === best.sim && (c.n > best.n || (c.n === best.n && c.term < best.term)))))) {
      best = { term: c.term, d, sim: c.sim, n: c.n };
    }
  }
  return best?.term ?? null;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

/** Every string one deletion, swap of neighbours, substitution or insertion away from `word`. */
export function singleEdits(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    if (b) out.add(a + b.slice(1));
    if (b.length > 1) out.add(a + b[1] + b[0] + b.slice(2));
    for (const c of LETTERS) {
      if (b) out.add(a + c + b.slice(1));
      out.add(a + c + b);
    }
  }
  out.delete(word);
  return [...out];
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[m]![n]!;
}

const emptyOthers = (): SearchResponse["others"] => ({ port: [], column: [], domain: [], owner: [], tag: [] });

export async function search(db: Tx, user: Principal, input: SearchInput): Promise<SearchResponse> {
  const { words, normalized } = parseQuery(input.q);
  const signature = searchSignature(words, input);
  const cursor = input.cursor ? decodeCursor(input.cursor, signature) : null;
  const firstPage = cursor === null;

  let run = await runMain(db, user, input, words, "and", normalized, cursor, firstPage);
  let correctedQuery: string | null = null;
  let didYouMean: string | null = null;
  if (words.length && run.total < FEW_HITS) {
    const corrected = await correctWords(db, words);
    if (corrected) {
      const alt = await runMain(db, user, input, corrected, "and", corrected.join(" "), cursor, firstPage);
      if (run.total === 0 && alt.total > 0) {
        run = alt;
        correctedQuery = corrected.join(" ");
      } else if (alt.total > run.total) {
        didYouMean = corrected.join(" ");
      }
    }
    // Several words that never occur together: any of them, still ranked by how well they match.
    if (run.total === 0 && run.words.length > 1) {
      const any = await runMain(db, user, input, run.words, "or", run.words.join(" "), cursor, firstPage);
      if (any.total > 0) run = any;
    }
  }

  const rows = run.row.products;
  const more = rows.length > input.limit;
  const pageRows = more ? rows.slice(0, input.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const nextCursor = more && last ? encodeCursor({ bucket: last.bucket, score: last.score, id: last.product_id }, signature) : null;

  const hlWords = run.words;
  const detailIds = pageRows.filter((r) => r.detail_ok).map((r) => r.product_id);
  const [details, entities] = await Promise.all([
    hlWords.length && detailIds.length
      ? db.$queryRawUnsafe<{ product_id: string; port: string; type: string; fields: string[] }[]>(PAGE_DETAILS_SQL, detailIds)
      : Promise.resolve([]),
    hlWords.length && firstPage
      ? db.$queryRawUnsafe<{ kind: "domain" | "tag" | "owner" | "team"; label: string; ref: string; n: number }[]>(
          ENTITY_SQL,
          hlWords,
          [...hlWords].sort((a, b) => b.length - a.length)[0],
          ENTITY_LIMIT,
        )
      : Promise.resolve([]),
  ]);
  const portsOf = new Map<string, { port: string; type: string; fields: string[] }[]>();
  for (const d of details) portsOf.set(d.product_id, [...(portsOf.get(d.product_id) ?? []), d]);

  const others = emptyOthers();
  const products: ProductHit[] = pageRows.map((r) => {
    const restricted = !r.detail_ok;
    const reasons: string[] = [];
    if (hlWords.length) {
      if (hasMatch(r.name, hlWords)) reasons.push("matched name");
      for (const t of r.tags.filter((t) => hasMatch(t, hlWords)).slice(0, 3)) reasons.push(`matched tag ${t}`);
      if (hasMatch(r.domain_name, hlWords)) reasons.push(`matched domain ${r.domain_name}`);
      if (r.team_name && hasMatch(r.team_name, hlWords)) reasons.push(`matched owner team ${r.team_name}`);
      if (!restricted) {
        if (hasMatch(r.summary, hlWords)) reasons.push("matched summary");
        const ports = portsOf.get(r.product_id) ?? [];
        const matchedPorts = ports.filter((p) => identifierMatches(p.port, hlWords));
        for (const p of matchedPorts.slice(0, 2)) reasons.push(`matched port ${p.port}`);
        const columns = ports
          .flatMap((p) => p.fields.map((f) => ({ port: p.port, field: f, score: identifierScore(f, hlWords) })))
          .filter((c) => c.score > 0)
          .sort((a, b) => b.score - a.score);
        for (const c of columns.slice(0, 3)) reasons.push(`matched column ${c.field}`);
        if (r.tier === 3) reasons.push("matched description");
        if (firstPage) {
          for (const p of matchedPorts) {
            if (others.port.length < ENTITY_LIMIT)
              others.port.push({ kind: "port", label: highlight(p.port, hlWords), detail: `${p.type} port of ${r.name}`, href: `/products/${r.slug}#port-${encodeURIComponent(p.port)}` });
          }
          for (const c of columns) {
            if (others.column.length < ENTITY_LIMIT && !others.column.some((o) => o.href.endsWith(`#port-${encodeURIComponent(c.port)}`) && o.label.map((f) => f.text).join("") === c.field))
              others.column.push({ kind: "column", label: highlight(c.field, hlWords), detail: `column of ${r.name} · ${c.port}`, href: `/products/${r.slug}#port-${encodeURIComponent(c.port)}` });
          }
        }
      }
      if (!reasons.length) reasons.push(restricted ? "matched name or owner" : "matched description");
    }
    return {
      kind: "product",
      slug: r.slug,
      name: highlight(r.name, hlWords),
      summary: restricted ? [] : highlight(r.summary, hlWords),
      status: r.status,
      classification: r.classification,
      domain: { slug: r.domain_slug, name: r.domain_name },
      ownerTeam: r.team_slug && r.team_name ? { slug: r.team_slug, name: r.team_name } : null,
      tags: r.tags,
      portTypes: restricted ? [] : r.port_types,
      restricted,
      hasAccess: r.has_access,
      reasons,
      score: r.score,
    };
  });

  for (const e of entities) {
    if (e.kind === "domain" && others.domain.length < ENTITY_LIMIT)
      others.domain.push({ kind: "domain", label: highlight(e.label, hlWords), detail: plural(e.n, "product"), href: `/search?domain=${encodeURIComponent(e.ref)}` });
    else if (e.kind === "tag" && others.tag.length < ENTITY_LIMIT)
      others.tag.push({ kind: "tag", label: highlight(e.label, hlWords), detail: plural(e.n, "product"), href: `/search?tag=${encodeURIComponent(e.label)}` });
    else if ((e.kind === "owner" || e.kind === "team") && others.owner.length < ENTITY_LIMIT)
      others.owner.push({
        kind: "owner",
        label: highlight(e.label, hlWords),
        detail: `${e.kind === "team" ? "team" : "owner"} of ${plural(e.n, "product")}`,
        href: e.kind === "team" ? `/search?team=${encodeURIComponent(e.ref)}` : `/search?q=${encodeURIComponent(e.label)}`,
      });
  }

  const facets = Object.fromEntries(SEARCH_FACETS.map((f) => [f, [] as FacetCount[]])) as Record<FacetName, FacetCount[]>;
  for (const f of run.row.facets) facets[f.facet]?.push({ value: f.value, label: f.facet === "access" ? "I have access" : f.label, count: f.n });
  for (const list of Object.values(facets)) list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));

  return {
    q: input.q,
    correctedQuery,
    didYouMean,
    total: run.total,
    totalIsEstimate: run.totalIsEstimate,
    products,
    others,
    facets,
    nextCursor,
    popularTags: run.row.popular_tags ?? [],
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

const KIND_ORDER: Record<Suggestion["kind"], number> = { product: 0, domain: 1, tag: 2, owner: 3, column: 4, port: 5 };

/** Typeahead: product names, domains, tags, owners, columns and ports, prefix matches first. */
export async function suggest(db: Tx, user: Principal, input: { q: string; limit: number }): Promise<Suggestion[]> {
  const normalized = normalizeText(input.q);
  const typed = input.q.trim().normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
  if (normalized.length < 2 && typed.length < 2) return [];
  const rows = await db.$queryRawUnsafe<{ kind: string; label: string; detail: string; ref: string; pos: number; n: number; status_rank: number; boost: number }[]>(
    SUGGEST_SQL,
    ...userParams(user),
    normalized,
    typed,
    input.limit,
  );
  const out: (Suggestion & { pos: number; n: number; order: number })[] = rows.map((r, order) => {
    const n = Number(r.n);
    switch (r.kind) {
      case "product":
        return { kind: "product", label: r.label, detail: r.detail, href: `/products/${r.ref}`, pos: r.pos, n, order };
      case "domain":
        return { kind: "domain", label: r.label, detail: "domain", href: `/search?domain=${encodeURIComponent(r.ref)}`, pos: r.pos, n, order };
      case "tag":
        return { kind: "tag", label: r.label, detail: `tag · ${plural(n, "product")}`, href: `/search?tag=${encodeURIComponent(r.label)}`, pos: r.pos, n, order };
      case "team":
        return { kind: "owner", label: r.label, detail: `team · ${plural(n, "product")}`, href: `/search?team=${encodeURIComponent(r.ref)}`, pos: r.pos, n, order };
      case "owner":
        return { kind: "owner", label: r.label, detail: `owner · ${plural(n, "product")}`, href: `/search?q=${encodeURIComponent(r.label)}`, pos: r.pos, n, order };
      case "port":
        return { kind: "port", label: r.label, detail: `port · ${plural(n, "product")}`, href: `/search?q=${encodeURIComponent(r.label)}`, pos: r.pos, n, order };
      default:
        return { kind: "column", label: r.label, detail: `column · ${plural(n, "product")}`, href: `/search?q=${encodeURIComponent(r.label)}`, pos: r.pos, n, order };
    }
  });
  // Products keep the order SQL gave them (lifecycle, popularity); other kinds by how many products carry them.
  out.sort((a, b) => a.pos - b.pos || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.kind === "product" ? a.order - b.order : b.n - a.n) || a.label.localeCompare(b.label));
  return out.slice(0, input.limit).map((s) => ({ kind: s.kind, label: s.label, detail: s.detail, href: s.href }));
}
