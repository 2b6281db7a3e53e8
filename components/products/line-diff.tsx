import type { diffLines } from "@/lib/products/versions";

/** A unified line diff; additions and removals are announced in text, not only by colour. */
export function LineDiff({ title, lines }: { title: string; lines: ReturnType<typeof diffLines> }) {
  const changed = lines.some((l) => l.kind === "added" || l.kind === "removed");
  return (
    <figure className="card overflow-hidden">
      <figcaption className="border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm font-medium">
        {title} {changed ? null : <span className="font-normal text-slate-500">— unchanged</span>}
      </figcaption>
      {changed ? (
        <pre className="overflow-x-auto text-xs leading-5" tabIndex={0} aria-label={`Differences in ${title}`}>
          {lines.map((l, i) =>
            l.kind === "fold" ? (
              <div key={i} className="bg-slate-50 px-4 text-slate-500 italic">
                … {l.count} unchanged line{l.count === 1 ? "" : "s"}
              </div>
            ) : (
              <div
                key={i}
                className={
                  l.kind === "added" ? "bg-emerald-50 px-4 text-emerald-900" : l.kind === "removed" ? "bg-rose-50 px-4 text-rose-900" : "px-4 text-slate-700"
                }
              >
                <span aria-hidden="true" className="mr-2 inline-block w-3 select-none">
                  {l.kind === "added" ? "+" : l.kind === "removed" ? "−" : " "}
                </span>
                <span className="sr-only">{l.kind === "added" ? "added: " : l.kind === "removed" ? "removed: " : ""}</span>
                {l.text || " "}
              </div>
            ),
          )}
        </pre>
      ) : null}
    </figure>
  );
}
