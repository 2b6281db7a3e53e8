import { Badge, type Tone } from "@/components/ui/badge";
import type { Change } from "@/lib/products/changes";

const levelTone: Record<string, Tone> = { major: "red", minor: "blue", patch: "gray", initial: "green", none: "gray" };
const levelLabel: Record<string, string> = { major: "breaking", minor: "minor", patch: "patch", initial: "first version", none: "no change" };

export function ChangeLevelBadge({ level }: { level: string }) {
  return <Badge tone={levelTone[level] ?? "gray"}>{levelLabel[level] ?? level}</Badge>;
}

/** Classified changes, breaking first. */
export function ChangeList({ changes, empty = "No changes." }: { changes: Change[]; empty?: string }) {
  if (!changes.length) return <p className="text-sm text-slate-500">{empty}</p>;
  const order = { major: 0, minor: 1, patch: 2 } as const;
  const sorted = [...changes].sort((a, b) => order[a.level] - order[b.level]);
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {sorted.map((c, i) => (
        <li key={`${c.path}-${i}`} className="flex items-start gap-3 py-1.5">
          <span className="w-24 shrink-0">
            <ChangeLevelBadge level={c.level} />
          </span>
          <span>
            {c.message}
            {c.port ? <span className="ml-2 text-xs text-slate-500">port {c.port}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
