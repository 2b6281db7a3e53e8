import { Badge, type Tone } from "@/components/ui/badge";
import type { AccessBadge, LineageNode, QualityBadge } from "@/lib/lineage/types";

const STATUS_TONE: Record<string, Tone> = { published: "green", draft: "blue", deprecated: "amber", retired: "gray" };
const QUALITY_TONE: Record<QualityBadge, Tone> = { passing: "green", warning: "amber", failing: "red", unknown: "gray" };
const QUALITY_TEXT: Record<QualityBadge, string> = { passing: "Quality passing", warning: "Quality warning", failing: "Quality failing", unknown: "Quality unknown" };
const ACCESS_TONE: Record<AccessBadge, Tone> = { owner: "violet", granted: "green", pending: "blue", none: "gray" };
const ACCESS_TEXT: Record<AccessBadge, string> = { owner: "You own this", granted: "You have access", pending: "Access pending", none: "No access" };

export const accessText = (n: Pick<LineageNode, "restricted" | "access">) => (n.restricted ? "Not visible to you" : ACCESS_TEXT[n.access]);
export const qualityText = (q: QualityBadge) => QUALITY_TEXT[q];

/** Lifecycle, latest quality and the viewer's access, as small badges; deprecated in the warning colour. */
export function NodeBadges({ node, compact = false }: { node: LineageNode; compact?: boolean }) {
  if (node.restricted) return <Badge tone="gray">Restricted</Badge>;
  return (
    <>
      {node.status ? (
        <Badge tone={STATUS_TONE[node.status] ?? "gray"} title={`Lifecycle: ${node.status}`}>
          {node.status}
        </Badge>
      ) : null}
      {node.status || node.quality !== "unknown" ? (
        <Badge tone={QUALITY_TONE[node.quality]} title={QUALITY_TEXT[node.quality]}>
          {compact ? node.quality : QUALITY_TEXT[node.quality]}
        </Badge>
      ) : null}
      {node.product ? (
        <Badge tone={ACCESS_TONE[node.access]} title={ACCESS_TEXT[node.access]}>
          {compact ? node.access : ACCESS_TEXT[node.access]}
        </Badge>
      ) : null}
    </>
  );
}
