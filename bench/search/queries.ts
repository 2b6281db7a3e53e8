import { hash32, rng, type Mesh, type Rng } from "./generate";
import * as W from "./words";

/**
 * The fixed query mix and the judged set, both derived from the generator (same seed → same queries).
 *
 * Classes: "single" and "multi" words, "prefix" (typeahead, what a user has typed so far),
 * "misspelled" (real names with one or two edits) and "facet" (a query with facet filters, or a
 * filter-only browse). Everything but "prefix" is a full search with facet counts.
 */

export type QueryClass = "single" | "multi" | "prefix" | "misspelled" | "facet";
export type Filters = { domain?: string[]; tag?: string[]; status?: string[]; classification?: string[]; portType?: string[] };
export type BenchQuery = { id: string; cls: QueryClass; q: string; filters?: Filters };
export type JudgedKind = "exact-name" | "misspelled-name" | "column" | "column-words" | "name-prefix";
export type JudgedQuery = { id: string; kind: JudgedKind; q: string; expected: string; misspelled: boolean };

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: "sq", b: "vn", c: "xv", d: "sf", e: "wr", f: "dg", g: "fh", h: "gj", i: "uo", j: "hk", k: "jl", l: "k",
  m: "n", n: "bm", o: "ip", p: "o", q: "w", r: "et", s: "ad", t: "ry", u: "yi", v: "cb", w: "qe", x: "zc",
  y: "tu", z: "x",
};

/** Every word the generator can put in a name, column or tag (a misspelling must not be one of them). */
const VOCABULARY = new Set(
  [...W.SUBJECTS, ...W.METRICS, ...W.QUALIFIERS, ...W.TAGS, ...W.COLUMN_ENTITIES, ...W.COLUMN_ATTRIBUTES.map((a) => a[0]), ...W.VARIANTS]
    .flatMap((w) => w.toLowerCase().split(/[\s_-]+/))
    .filter(Boolean),
);

/** One edit (deletion, transposition, substitution by a keyboard neighbour, doubled letter) inside the word. */
export function misspell(word: string, r: Rng): string {
  const lower = word.toLowerCase();
  for (let attempt = 0; attempt < 20; attempt++) {
    const pos = 1 + r.int(Math.max(1, lower.length - 2)); // keep the first letter: people rarely miss it
    const kind = r.int(4);
    let out = lower;
    if (kind === 0) out = lower.slice(0, pos) + lower.slice(pos + 1);
    else if (kind === 1 && pos < lower.length - 1) out = lower.slice(0, pos) + lower[pos + 1] + lower[pos] + lower.slice(pos + 2);
    else if (kind === 2) {
      const c = lower[pos]!;
      const n = KEYBOARD_NEIGHBOURS[c];
      if (n) out = lower.slice(0, pos) + n[r.int(n.length)] + lower.slice(pos + 1);
    } else out = lower.slice(0, pos) + lower[pos] + lower.slice(pos);
    if (out !== lower && !VOCABULARY.has(out)) return word === lower ? out : out[0]!.toUpperCase() + out.slice(1);
  }
  return lower.slice(0, 1) + lower.slice(2);
}

/** Misspells the longest word (≥ 5 letters) of a phrase, or a random one of them. */
function misspellPhrase(phrase: string, r: Rng): string {
  const words = phrase.split(" ");
  const candidates = words.map((w, k) => [w, k] as const).filter(([w]) => /^[A-Za-z]{5,}$/.test(w));
  if (!candidates.length) return phrase;
  const [w, k] = r.pick(candidates);
  words[k] = misspell(w, r);
  return words.join(" ");
}

const singleWords = (xs: readonly string[]) => xs.filter((x) => !/[\s_]/.test(x));

function publishedProducts(mesh: Mesh, r: Rng, n: number) {
  const out = [];
  let guard = 0;
  while (out.length < n && guard++ < n * 20) {
    const p = mesh.product(r.int(mesh.options.products));
    if (p.status === "published") out.push(p);
  }
  return out;
}

export function queryMix(mesh: Mesh): BenchQuery[] {
  const r = rng(hash32(mesh.options.seed, 7001));
  const out: BenchQuery[] = [];
  const add = (cls: QueryClass, q: string, filters?: Filters) => out.push({ id: `${cls}-${out.filter((x) => x.cls === cls).length + 1}`, cls, q, filters });
  const subjects = singleWords(W.SUBJECTS);
  const metrics = singleWords(W.METRICS);

  // 60 single words: name words, tags, column words, domain words.
  for (let k = 0; k < 20; k++) add("single", subjects[(k * 7) % subjects.length]!);
  for (let k = 0; k < 14; k++) add("single", metrics[(k * 5) % metrics.length]!);
  for (let k = 0; k < 8; k++) add("single", W.QUALIFIERS[(k * 3) % W.QUALIFIERS.length]!);
  for (const t of ["pii", "gdpr", "kpi", "realtime", "ml-features", "geospatial", "esg", "fraud"]) add("single", t);
  for (const c of ["email", "iban", "postcode", "latitude", "currency", "churn_probability"]) add("single", c);
  for (const d of ["logistics", "payments", "insurance", "procurement"]) add("single", d);

  // 50 multi-word: subject + metric, qualifier + subject + metric, subject + column attribute, with a region.
  for (let k = 0; k < 20; k++) add("multi", `${r.pick(subjects)} ${r.pick(W.METRICS)}`);
  for (let k = 0; k < 12; k++) add("multi", `${r.pick(W.QUALIFIERS)} ${r.pick(subjects)} ${r.pick(W.METRICS)}`);
  for (let k = 0; k < 10; k++) add("multi", `${r.pick(W.COLUMN_ENTITIES)} ${r.pick(["email", "address", "amount", "status", "created at", "country code"])}`);
  for (let k = 0; k < 8; k++) add("multi", `${r.pick(subjects)} ${r.pick(metrics)} ${r.pick(W.VARIANTS.filter(Boolean))}`);

  // 50 prefixes (typeahead): 2–6 letters of a word, or a product name cut mid-word.
  for (let k = 0; k < 30; k++) {
    const w = r.pick([...subjects, ...metrics, ...W.QUALIFIERS]);
    add("prefix", w.slice(0, Math.min(w.length, 2 + r.int(5))));
  }
  for (const p of publishedProducts(mesh, r, 20)) {
    const cut = Math.max(p.name.indexOf(" ") + 3, Math.floor(p.name.length * (0.4 + 0.4 * r.next())));
    add("prefix", p.name.slice(0, cut).trimEnd());
  }

  // 40 misspellings of real names: a product's subject+metric, a whole name, single words.
  for (const p of publishedProducts(mesh, r, 15)) add("misspelled", misspellPhrase(`${p.parts.subject} ${p.parts.metric}`, r));
  for (const p of publishedProducts(mesh, r, 10)) add("misspelled", misspellPhrase(p.name, r));
  for (let k = 0; k < 15; k++) add("misspelled", misspell(r.pick(subjects.filter((s) => s.length >= 5)), r));

  // 30 facet-filtered: a word plus one or two facets, and filter-only browsing.
  const domainSlugs = mesh.domains.map((d) => d.slug);
  for (let k = 0; k < 10; k++) add("facet", r.pick(subjects), { domain: [r.pick(domainSlugs)] });
  for (let k = 0; k < 5; k++) add("facet", r.pick(metrics), { status: ["published"], classification: [r.pick(["public", "internal"])] });
  for (let k = 0; k < 5; k++) add("facet", `${r.pick(subjects)} ${r.pick(metrics)}`, { tag: [r.pick(W.TAGS)] });
  for (let k = 0; k < 5; k++) add("facet", r.pick(subjects), { portType: [r.pick(["trino_table", "s3_bucket", "api"])], status: ["published"] });
  for (let k = 0; k < 5; k++) add("facet", "", { domain: [r.pick(domainSlugs)], ...(k % 2 ? { tag: [r.pick(W.TAGS)] } : {}) });
  return out;
}

/**
 * Queries with one right answer each, checkable from the generator: names are unique by construction,
 * and each rare column belongs to exactly one product.
 */
export function judgedSet(mesh: Mesh): JudgedQuery[] {
  const r = rng(hash32(mesh.options.seed, 7002));
  const judged = mesh.judgedIndexes.map((i) => mesh.product(i));
  const out: JudgedQuery[] = [];
  const add = (kind: JudgedKind, q: string, expected: string, misspelled = false) =>
    out.push({ id: `${kind}-${out.filter((x) => x.kind === kind).length + 1}`, kind, q, expected, misspelled });
  judged.forEach((p, k) => {
    const slot = k % 4;
    if (slot === 0) add("exact-name", p.name, p.slug);
    else if (slot === 1) add("misspelled-name", misspellPhrase(p.name, r), p.slug, true);
    else if (slot === 2 && p.rareColumn) add("column", p.rareColumn, p.slug);
    else if (slot === 3 && p.rareColumn) add("column-words", p.rareColumn.replace(/_/g, " "), p.slug);
  });
  // A second misspelling for the exact-name products (different product, same kind of mistake), and
  // typeahead-like name prefixes: the name with its last word cut to its first letters.
  judged.forEach((p, k) => {
    if (k % 4 === 0) add("misspelled-name", misspellPhrase(p.name, r), p.slug, true);
    if (k % 6 === 2) {
      const words = p.name.split(" ");
      const last = words.pop()!;
      add("name-prefix", [...words, last.slice(0, Math.max(2, Math.ceil(last.length / 2)))].join(" "), p.slug);
    }
  });
  return out;
}
