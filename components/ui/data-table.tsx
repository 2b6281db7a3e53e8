import type { ReactNode } from "react";

/**
 * The catalogue's table: a caption for screen readers, column headers, and the rows the caller
 * renders (`<tr>` with a `<th scope="row">` where a row has a name). Scrolling and framing are the
 * caller's, so it fits in cards and panels alike.
 */
export function DataTable({
  caption,
  columns,
  children,
  cellClassName = "px-3 py-2",
}: {
  caption: ReactNode;
  columns: readonly ReactNode[];
  children: ReactNode;
  /** Padding of the header cells, matching the body cells. */
  cellClassName?: string;
}) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
          {columns.map((c, i) => (
            <th key={i} scope="col" className={cellClassName}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
