/** A day of a compliance trend: the share (0..1) of evaluated products that were compliant at the end of it. */
export type TrendPoint = { day: string; share: number | null; products: number };

const W = 240;
const H = 64;
const PAD = 4;

const pct = (share: number) => `${Math.round(share * 100)}%`;

/**
 * A small line chart of compliance over time. The picture is decorative for screen readers: the
 * summary sentence and the table (in a disclosure) carry the same data.
 */
export function TrendChart({ points, label }: { points: TrendPoint[]; label: string }) {
  const known = points.filter((p): p is TrendPoint & { share: number } => p.share !== null);
  if (!known.length) return <p className="text-xs text-slate-500">No evaluations in this period yet.</p>;
  const x = (i: number) => PAD + (points.length === 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (share: number) => H - PAD - share * (H - 2 * PAD);
  let d = "";
  let pen = false;
  points.forEach((p, i) => {
    if (p.share === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(p.share).toFixed(1)}`;
    pen = true;
  });
  const first = known[0]!;
  const last = known.at(-1)!;
  const summary = `${label}: ${pct(last.share)} compliant on ${last.day}${known.length > 1 ? `, ${pct(first.share)} on ${first.day}` : ""}.`;
  return (
    <figure className="m-0">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" height={H} aria-hidden="true" focusable="false" className="overflow-visible">
        <line x1={PAD} x2={W - PAD} y1={y(1)} y2={y(1)} className="stroke-slate-200" strokeDasharray="2 3" />
        <line x1={PAD} x2={W - PAD} y1={y(0)} y2={y(0)} className="stroke-slate-300" />
        <path d={d} fill="none" className="stroke-canopy-700" strokeWidth={2} strokeLinejoin="round" strokeLinecap="round" />
        {points.map((p, i) =>
          p.share === null ? null : <circle key={p.day} cx={x(i)} cy={y(p.share)} r={points.length > 20 ? 1.5 : 2.5} className="fill-canopy-700" />,
        )}
      </svg>
      <figcaption className="mt-1 text-xs text-slate-600">{summary}</figcaption>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer text-canopy-800">Trend as a table</summary>
        <table className="mt-1 w-full text-left">
          <caption className="sr-only">{label}, per day</caption>
          <thead>
            <tr className="text-slate-500">
              <th scope="col" className="pr-2 font-medium">Day</th>
              <th scope="col" className="pr-2 font-medium">Compliant</th>
              <th scope="col" className="font-medium">Products evaluated</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.day}>
                <th scope="row" className="pr-2 font-normal">{p.day}</th>
                <td className="pr-2">{p.share === null ? "—" : pct(p.share)}</td>
                <td>{p.products}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
