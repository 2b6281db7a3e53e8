import type { Highlight } from "@/lib/search/types";

/** Renders highlight fragments; the matched words are <mark>ed (React escapes the text itself). */
export function Highlighted({ parts }: { parts: Highlight }) {
  return (
    <>
      {parts.map((p, i) =>
        p.match ? (
          <mark key={i} className="rounded-sm bg-amber-100 px-0.5 text-inherit">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
