import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import type { AccessRequestItem } from "@/lib/access/queries";

const tone: Record<string, Tone> = {
  pending: "blue",
  approved: "green",
  provisioning: "blue",
  active: "green",
  rejected: "red",
  failed: "red",
  cancelled: "gray",
  expired: "gray",
  revoked: "amber",
};

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium" }) : "—");

export function RequestTable({ items, caption, showRequester }: { items: AccessRequestItem[]; caption: string; showRequester?: boolean }) {
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
            <th scope="col" className="px-4 py-2">Product / port</th>
            {showRequester ? <th scope="col" className="px-4 py-2">Requester</th> : null}
            <th scope="col" className="px-4 py-2">Purpose</th>
            <th scope="col" className="px-4 py-2">Duration</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">Requested</th>
            <th scope="col" className="px-4 py-2">Expires</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} className="border-b border-slate-100 align-top">
              <td className="px-4 py-2">
                <Link href={`/products/${r.product.slug}`} className="font-medium text-canopy-800 hover:underline">
                  {r.product.name}
                </Link>
                <div className="font-mono text-xs text-slate-500">{r.port}</div>
              </td>
              {showRequester ? <td className="px-4 py-2">{r.requester.name}</td> : null}
              <td className="max-w-sm px-4 py-2 text-slate-700">
                {r.purpose}
                {r.decisionNote ? <div className="mt-1 text-xs text-slate-500">Note: {r.decisionNote}</div> : null}
              </td>
              <td className="px-4 py-2 whitespace-nowrap">{r.durationDays} days</td>
              <td className="px-4 py-2">
                <Badge tone={tone[r.status] ?? "gray"}>{r.status}</Badge>
              </td>
              <td className="px-4 py-2 whitespace-nowrap">{day(r.createdAt)}</td>
              <td className="px-4 py-2 whitespace-nowrap">{day(r.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
