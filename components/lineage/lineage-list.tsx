import Link from "next/link";
import type { LineageGraph, LineageNode, LineageNodeId } from "@/lib/lineage/types";
import { NodeBadges } from "./badges";
import { KIND_LABEL, listRows, nodeHref, nodeName } from "./graph-model";

function NodeName({ node }: { node: LineageNode }) {
  const href = nodeHref(node);
  const name = nodeName(node);
  if (node.restricted) return <span className="text-slate-500 italic">{name}</span>;
  return href && node.kind === "product" ? (
    <Link href={href} className="font-medium text-canopy-800 hover:underline">
      {name}
    </Link>
  ) : (
    <span className={node.kind === "table" || node.kind === "column" ? "font-mono text-xs" : "font-medium"}>{name}</span>
  );
}

const names = (list: LineageNode[]) => (list.length ? list.map((n) => nodeName(n)).join(", ") : "—");

/**
 * The lineage graph as a table, for screen readers and for reading: one row per node with what it
 * reads from and what reads it.
 */
export function LineageList({
  graph,
  onExpand,
  onImpact,
  expanding = new Set(),
}: {
  graph: Pick<LineageGraph, "nodes" | "edges" | "focus">;
  onExpand?: (id: LineageNodeId) => void;
  onImpact?: (id: LineageNodeId) => void;
  expanding?: ReadonlySet<LineageNodeId>;
}) {
  const rows = listRows(graph);
  return (
    <div className="card overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Lineage as a list: each node with its upstream and downstream neighbours</caption>
        <thead>
          <tr className="border-b border-slate-200 text-xs text-slate-500 uppercase">
            <th scope="col" className="px-3 py-2">
              Name
            </th>
            <th scope="col" className="px-3 py-2">
              Kind
            </th>
            <th scope="col" className="px-3 py-2">
              Position
            </th>
            <th scope="col" className="px-3 py-2">
              Status and access
            </th>
            <th scope="col" className="px-3 py-2">
              Reads from
            </th>
            <th scope="col" className="px-3 py-2">
              Read by
            </th>
            {onExpand || onImpact ? (
              <th scope="col" className="px-3 py-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ node, upstream, downstream }) => (
            <tr key={node.id} className={`border-b border-slate-100 align-top ${node.id === graph.focus ? "bg-sky-50/60" : ""}`} data-node-id={node.id}>
              <th scope="row" className="px-3 py-2 font-normal">
                <NodeName node={node} />
                {node.kind !== "product" && node.product && !node.restricted ? <span className="block text-xs text-slate-500">{node.product.name}</span> : null}
              </th>
              <td className="px-3 py-2 whitespace-nowrap">{KIND_LABEL[node.kind]}</td>
              <td className="px-3 py-2 whitespace-nowrap">{node.depth === 0 ? "Focus" : node.depth < 0 ? `${-node.depth} upstream` : `${node.depth} downstream`}</td>
              <td className="px-3 py-2">
                <div className="flex flex-wrap gap-1">
                  <NodeBadges node={node} />
                </div>
              </td>
              <td className="px-3 py-2 text-xs">{names(upstream)}</td>
              <td className="px-3 py-2 text-xs">{names(downstream)}</td>
              {onExpand || onImpact ? (
                <td className="px-3 py-2 whitespace-nowrap">
                  {onExpand && (node.more.up || node.more.down) ? (
                    <button type="button" className="btn btn-secondary mr-1 !px-2 !py-1 text-xs" onClick={() => onExpand(node.id)} disabled={expanding.has(node.id)} aria-label={`Expand neighbours of ${nodeName(node)}`}>
                      {expanding.has(node.id) ? "Expanding…" : "Expand"}
                    </button>
                  ) : null}
                  {onImpact && !node.restricted ? (
                    <button type="button" className="btn btn-secondary !px-2 !py-1 text-xs" onClick={() => onImpact(node.id)} aria-label={`What depends on ${nodeName(node)}?`}>
                      Impact
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
