"use client";

import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import type { KeyboardEvent, MouseEvent } from "react";
import type { LineageNode } from "@/lib/lineage/types";
import { NodeBadges, accessText } from "./badges";
import { KIND_LABEL, nodeName, type Direction } from "./graph-model";

export type NodeActions = {
  select: (id: string, opts: { path: boolean }) => void;
  expand: (id: string) => void;
  move: (id: string, dir: Direction) => void;
  focused: (id: string) => void;
};

export type LineageNodeData = {
  node: LineageNode;
  isFocus: boolean;
  isSelected: boolean;
  isPathEnd: boolean;
  onPath: boolean;
  dimmed: boolean;
  expanding: boolean;
  /** A table drawn as a box around its columns. */
  container: boolean;
  actions: NodeActions;
};

export type LineageFlowNode = Node<LineageNodeData, "lineage">;

const KEY_DIRECTION: Record<string, Direction> = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };

/** A short description read out when the node gets focus. */
export function nodeDescription(n: LineageNode): string {
  const parts = [KIND_LABEL[n.kind], nodeName(n)];
  if (!n.restricted) {
    if (n.product && n.kind !== "product") parts.push(`of ${n.product.name}`);
    if (n.status) parts.push(n.status);
    parts.push(accessText(n));
  }
  if (n.depth < 0) parts.push(`${-n.depth} upstream`);
  else if (n.depth > 0) parts.push(`${n.depth} downstream`);
  else parts.push("focus");
  return parts.join(", ");
}

/**
 * One node of the lineage graph. Focusable: the arrow keys move to the nearest node in that direction,
 * Enter expands its neighbours, Space selects it (with Shift: the other end of a path).
 */
export function LineageNodeView({ data }: NodeProps<LineageFlowNode>) {
  const { node, actions } = data;
  const canExpand = node.more.up || node.more.down;
  const deprecated = node.status === "deprecated";
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return;
    const dir = KEY_DIRECTION[e.key];
    if (dir) {
      e.preventDefault();
      e.stopPropagation();
      actions.move(node.id, dir);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (canExpand) actions.expand(node.id);
      else actions.select(node.id, { path: e.shiftKey });
    } else if (e.key === " ") {
      e.preventDefault();
      actions.select(node.id, { path: e.shiftKey });
    } else if (e.key === "Escape") {
      actions.select("", { path: false });
    }
  };
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    e.stopPropagation();
    actions.select(node.id, { path: e.shiftKey || e.metaKey || e.ctrlKey });
  };
  const ring = data.isSelected || data.isPathEnd ? "ring-2 ring-canopy-600" : data.onPath ? "ring-2 ring-canopy-600/60" : data.isFocus ? "ring-2 ring-sky-500" : "";
  const tone = node.restricted
    ? "border-dashed border-slate-400 bg-slate-50 text-slate-600"
    : deprecated
      ? "border-amber-400 bg-amber-50"
      : node.kind === "column"
        ? "border-slate-200 bg-white"
        : node.kind === "table"
          ? "border-slate-300 bg-white"
          : node.kind === "port"
            ? "border-sky-300 bg-sky-50/60"
            : "border-canopy-600/40 bg-canopy-50";

  const handles = (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className="!h-2 !w-2 !min-w-0 !border-0 !bg-slate-400" />
      <Handle type="source" position={Position.Right} isConnectable={false} className="!h-2 !w-2 !min-w-0 !border-0 !bg-slate-400" />
    </>
  );

  // Every node is a button: reachable with Tab, announced with its description, selected on click or key.
  const interactive = {
    "data-lineage-node": node.id,
    role: "button",
    tabIndex: 0,
    "aria-label": nodeDescription(node),
    "aria-pressed": data.isSelected,
    onKeyDown,
    onFocus: () => actions.focused(node.id),
    onClick,
  } as const;

  if (node.kind === "column") {
    return (
      <div
        {...interactive}
        className={`flex h-full w-full items-center gap-2 rounded border px-2 font-mono text-xs ${tone} ${ring} ${data.dimmed ? "opacity-40" : ""}`}
      >
        {handles}
        <span className="truncate">{nodeName(node)}</span>
      </div>
    );
  }

  return (
    <div
      {...interactive}
      className={`h-full w-full rounded-lg border text-left shadow-sm ${tone} ${ring} ${data.dimmed ? "opacity-40" : ""}`}
    >
      {handles}
      <div className="flex items-start justify-between gap-2 px-3 pt-2">
        <div className="min-w-0">
          <p className="text-[10px] font-semibold tracking-wide text-slate-500 uppercase">
            {KIND_LABEL[node.kind]}
            {data.isFocus ? " · focus" : ""}
          </p>
          <p className={`truncate text-sm font-semibold ${node.restricted ? "italic" : node.kind === "table" ? "font-mono text-xs" : ""}`} title={node.restricted ? undefined : (node.fqn ?? node.label)}>
            {nodeName(node)}
          </p>
        </div>
        {canExpand ? (
          <button
            type="button"
            tabIndex={-1}
            className="nodrag shrink-0 rounded border border-slate-300 bg-white px-1.5 text-xs leading-5 text-slate-700 hover:bg-slate-100"
            aria-label={`Expand neighbours of ${nodeName(node)}`}
            title={`Expand neighbours${node.more.up ? " upstream" : ""}${node.more.up && node.more.down ? " and" : ""}${node.more.down ? " downstream" : ""}`}
            onClick={(e) => {
              e.stopPropagation();
              actions.expand(node.id);
            }}
            disabled={data.expanding}
          >
            {data.expanding ? "…" : "+"}
          </button>
        ) : null}
      </div>
      <div className="mt-1 flex flex-wrap gap-1 px-3 pb-2">
        <NodeBadges node={node} compact />
      </div>
    </div>
  );
}
