import type { ReactNode } from "react";

const tones = {
  gray: "bg-slate-100 text-slate-700 ring-slate-200",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-300",
  red: "bg-rose-50 text-rose-800 ring-rose-200",
  violet: "bg-violet-50 text-violet-800 ring-violet-200",
} as const;

export type Tone = keyof typeof tones;

export function Badge({ tone = "gray", children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${tones[tone]}`}
    >
      {children}
    </span>
  );
}

const statusTone: Record<string, Tone> = { published: "green", draft: "blue", deprecated: "amber", retired: "gray" };

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone[status] ?? "gray"}>{status}</Badge>;
}

const classificationTone: Record<string, Tone> = {
  public: "green",
  internal: "gray",
  confidential: "amber",
  restricted: "red",
};

export function ClassificationBadge({ value }: { value: string }) {
  return (
    <Badge tone={classificationTone[value] ?? "gray"} title={`Classification: ${value}`}>
      {value}
    </Badge>
  );
}

export function Tag({ children }: { children: ReactNode }) {
  return <span className="inline-flex rounded bg-canopy-50 px-1.5 py-0.5 text-xs text-canopy-800">#{children}</span>;
}
