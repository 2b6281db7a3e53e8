import Link from "next/link";
import { highlightText } from "@/components/search/highlight";
import { Highlighted } from "@/components/search/highlighted";
import { Badge, ClassificationBadge, StatusBadge, Tag } from "@/components/ui/badge";
import type { ProductHit } from "@/lib/search/types";

export const PORT_TYPE_LABELS: Record<string, string> = { trino_table: "Trino table", s3_bucket: "S3 bucket", api: "API" };

/** "matched column customer_email" → the identifier set in code type, the rest as words. */
function Reason({ text }: { text: string }) {
  const m = /^(matched (?:column|port|tag)) (.+)$/i.exec(text);
  if (!m) return <>{text}</>;
  return (
    <>
      {m[1]} <code className="rounded bg-slate-100 px-1 font-mono text-[11px] text-slate-800">{m[2]}</code>
    </>
  );
}

export function ProductHits({ hits }: { hits: ProductHit[] }) {
  return (
    <ul className="grid gap-3" aria-label="Matching data products">
      {hits.map((p) => {
        const headingId = `hit-${p.slug}`;
        return (
          <li key={p.slug} className="card p-4 hover:border-canopy-600/50">
            <article aria-labelledby={headingId}>
              <div className="flex flex-wrap items-center gap-2">
                <h3 id={headingId} className="text-base font-semibold">
                  <Link href={`/products/${p.slug}`} className="text-canopy-800 hover:underline">
                    <Highlighted parts={p.name} />
                  </Link>
                </h3>
                <StatusBadge status={p.status} />
                <ClassificationBadge value={p.classification} />
                {p.hasAccess ? (
                  <Badge tone="green" title="You own this product, belong to its team or hold an active grant">
                    You have access
                  </Badge>
                ) : null}
              </div>
              {p.restricted ? (
                <p className="mt-1 text-sm text-slate-500 italic">
                  Restricted: details are hidden until you have access. Open the product to request it.
                </p>
              ) : p.summary.length ? (
                <p className="mt-1 text-sm text-slate-700">
                  <Highlighted parts={p.summary} />
                </p>
              ) : (
                <p className="mt-1 text-sm text-slate-400 italic">No summary yet</p>
              )}
              <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-xs text-slate-600">
                <div className="flex gap-1">
                  <dt className="font-medium">Domain</dt>
                  <dd>{p.domain.name}</dd>
                </div>
                <div className="flex gap-1">
                  <dt className="font-medium">Owner team</dt>
                  <dd>{p.ownerTeam?.name ?? "—"}</dd>
                </div>
                {!p.restricted && p.portTypes.length ? (
                  <div className="flex gap-1">
                    <dt className="font-medium">Ports</dt>
                    <dd>{p.portTypes.map((t) => PORT_TYPE_LABELS[t] ?? t).join(", ")}</dd>
                  </div>
                ) : null}
              </dl>
              {p.tags.length ? (
                <div className="mt-2 flex flex-wrap gap-1" aria-label="Tags">
                  {p.tags.map((t) => (
                    <Tag key={t}>{t}</Tag>
                  ))}
                </div>
              ) : null}
              {p.reasons.length ? (
                <div className="mt-2 text-xs text-slate-600">
                  <ul className="flex flex-wrap gap-x-3 gap-y-1" aria-label={`Why ${highlightText(p.name)} matched`}>
                    {p.reasons.map((r, i) => (
                      <li key={`${i}-${r}`}>
                        <Reason text={r} />
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </article>
          </li>
        );
      })}
    </ul>
  );
}
