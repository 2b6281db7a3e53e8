import YAML from "yaml";
import type { Tx } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { classifyChanges, highestLevel, type Change } from "@/lib/products/changes";
import type { ProductSpec } from "@/lib/products/spec";

/** A product's version history and the differences between any two versions. Callers check product.read. */

export type VersionItem = {
  version: string;
  changeLevel: string;
  changelog: string;
  createdAt: string;
  createdBy: string | null;
};

export async function listVersions(db: Tx, productId: string): Promise<VersionItem[]> {
  const rows = await db.productVersion.findMany({
    where: { productId },
    orderBy: { createdAt: "desc" },
    select: { version: true, changeLevel: true, changelog: true, createdAt: true, createdById: true },
  });
  const ids = [...new Set(rows.map((r) => r.createdById).filter((x): x is string => !!x))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  return rows.map((r) => ({
    version: r.version,
    changeLevel: r.changeLevel,
    changelog: r.changelog,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdById ? (users.find((u) => u.id === r.createdById)?.name ?? "a former user") : "system",
  }));
}

export async function getVersion(db: Tx, productId: string, version: string) {
  const row = await db.productVersion.findUnique({
    where: { productId_version: { productId, version } },
    select: { version: true, changeLevel: true, changelog: true, createdAt: true, spec: true, descriptor: true, contracts: true },
  });
  if (!row) throw new NotFoundError(`No version ${version}`);
  return {
    version: row.version,
    changeLevel: row.changeLevel,
    changelog: row.changelog,
    createdAt: row.createdAt.toISOString(),
    spec: row.spec as unknown as ProductSpec,
    descriptor: row.descriptor as Record<string, unknown>,
    contracts: row.contracts as unknown as { port: string; contractId: string; odcs: Record<string, unknown> }[],
  };
}

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

/** Line diff (longest common subsequence); unchanged runs longer than `context` lines are folded. */
export function diffLines(a: string, b: string, context = 3): (DiffLine | { kind: "fold"; count: number })[] {
  const x = a.split("\n");
  const y = b.split("\n");
  const n = x.length;
  const m = y.length;
  // Trim common prefix/suffix so the table stays small for typical edits.
  let start = 0;
  while (start < n && start < m && x[start] === y[start]) start++;
  let endX = n;
  let endY = m;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const xs = x.slice(start, endX);
  const ys = y.slice(start, endY);
  const lines: DiffLine[] = x.slice(0, start).map((text) => ({ kind: "same" as const, text }));
  if (xs.length * ys.length > 4_000_000) {
    lines.push(...xs.map((text) => ({ kind: "removed" as const, text })), ...ys.map((text) => ({ kind: "added" as const, text })));
  } else {
    const w = ys.length + 1;
    const lcs = new Uint32Array((xs.length + 1) * w);
    for (let i = xs.length - 1; i >= 0; i--)
      for (let j = ys.length - 1; j >= 0; j--)
        lcs[i * w + j] = xs[i] === ys[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    let i = 0;
    let j = 0;
    while (i < xs.length || j < ys.length) {
      if (i < xs.length && j < ys.length && xs[i] === ys[j]) {
        lines.push({ kind: "same", text: xs[i]! });
        i++;
        j++;
      } else if (j < ys.length && (i === xs.length || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
        lines.push({ kind: "added", text: ys[j++]! });
      } else {
        lines.push({ kind: "removed", text: xs[i++]! });
      }
    }
  }
  lines.push(...x.slice(endX).map((text) => ({ kind: "same" as const, text })));
  // Fold long unchanged runs.
  const out: (DiffLine | { kind: "fold"; count: number })[] = [];
  let k = 0;
  while (k < lines.length) {
    if (lines[k]!.kind !== "same") {
      out.push(lines[k++]!);
      continue;
    }
    let e = k;
    while (e < lines.length && lines[e]!.kind === "same") e++;
    const run = lines.slice(k, e);
    const head = k === 0 ? 0 : context;
    const tail = e === lines.length ? 0 : context;
    if (run.length > head + tail + 1) {
      out.push(...run.slice(0, head), { kind: "fold", count: run.length - head - tail }, ...run.slice(run.length - tail));
    } else out.push(...run);
    k = e;
  }
  return out;
}

export type VersionDiff = {
  from: string;
  to: string;
  level: ReturnType<typeof highestLevel>;
  changes: Change[];
  documents: { title: string; lines: ReturnType<typeof diffLines> }[];
};

/** What changed from one version to another: the classified changes and a YAML diff per document. */
export async function diffVersions(db: Tx, productId: string, from: string, to: string): Promise<VersionDiff> {
  const [a, b] = await Promise.all([getVersion(db, productId, from), getVersion(db, productId, to)]);
  const changes = classifyChanges(a.spec, b.spec);
  const yaml = (v: unknown) => YAML.stringify(v ?? {});
  const documents = [{ title: "Product descriptor (ODPS)", lines: diffLines(yaml(a.descriptor), yaml(b.descriptor)) }];
  const ports = [...new Set([...a.contracts.map((c) => c.port), ...b.contracts.map((c) => c.port)])];
  for (const port of ports) {
    const ca = a.contracts.find((c) => c.port === port)?.odcs;
    const cb = b.contracts.find((c) => c.port === port)?.odcs;
    documents.push({ title: `Contract of ${port} (ODCS)`, lines: diffLines(ca ? yaml(ca) : "", cb ? yaml(cb) : "") });
  }
  return { from, to, level: highestLevel(changes), changes, documents };
}
