import { PortPreview } from "@/components/catalog/port-preview";
import { Badge, ClassificationBadge } from "@/components/ui/badge";
import type { ProductDetail } from "@/lib/catalog/queries";
import { DataTable } from "@/components/ui/data-table";

type Port = ProductDetail["ports"][number];

const portTypeLabel: Record<string, string> = {
  trino_table: "Trino / Iceberg table",
  s3_bucket: "S3 bucket",
  api: "API",
};

export function PortCard({ port, productSlug }: { port: Port; productSlug: string }) {
  const headingId = `port-${port.name}`;
  return (
    <section aria-labelledby={headingId} className="card p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={headingId} className="font-mono text-sm font-semibold">
          {port.name}
        </h3>
        <Badge tone="violet">{portTypeLabel[port.type] ?? port.type}</Badge>
        {port.classification ? <ClassificationBadge value={port.classification} /> : null}
      </div>
      <p className="mt-1 font-mono text-xs break-all text-slate-600">{port.location}</p>
      {port.description ? <p className="mt-2 text-sm text-slate-700">{port.description}</p> : null}
      {port.fields.length ? (
        <div className="mt-3 overflow-x-auto">
          <DataTable caption={<>Schema of {port.name}</>} columns={["Column", "Type", "Description", "Classification"]} cellClassName="py-2 pr-3">
            {port.fields.map((f) => (
              <tr key={f.name} className="border-b border-slate-100 align-top">
                <th scope="row" className="py-2 pr-3 font-mono text-xs font-medium whitespace-nowrap">
                  {f.name}
                  {f.primaryKey ? (
                    <abbr title="Primary key" className="ml-1 rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-900 no-underline">
                      PK
                    </abbr>
                  ) : null}
                  {!f.nullable ? (
                    <abbr title="Required: never null" className="ml-1 text-slate-400 no-underline">
                      *
                    </abbr>
                  ) : null}
                </th>
                <td className="py-2 pr-3 font-mono text-xs text-slate-600">{f.type}</td>
                <td className="py-2 pr-3 text-slate-700">{f.description || <em className="text-slate-400">No description</em>}</td>
                <td className="py-2 pr-3">
                  <div className="flex flex-wrap gap-1">
                    <ClassificationBadge value={f.classification} />
                    {f.pii ? <Badge tone="red" title="Personally identifiable information">PII</Badge> : null}
                  </div>
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      ) : port.type === "trino_table" ? (
        <p className="mt-3 text-sm text-slate-500">No schema recorded for this table yet.</p>
      ) : null}
      {port.type === "trino_table" ? <PortPreview slug={productSlug} port={port.name} /> : null}
    </section>
  );
}
