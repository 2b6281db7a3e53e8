"use client";

import "@xyflow/react/dist/style.css";
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, getViewportForBounds, useReactFlow, type Edge } from "@xyflow/react";
import { toBlob, toSvg } from "html-to-image";
import { forwardRef, useCallback, useEffect, useId, useImperativeHandle, useMemo, useRef, useState } from "react";
import type { LineageGraph, LineageNodeId } from "@/lib/lineage/types";
import { absolute, type Direction, type Layout, type PathHighlight, neighbourInDirection } from "./graph-model";
import { LineageNodeView, type LineageFlowNode, type NodeActions } from "./lineage-node";

const nodeTypes = { lineage: LineageNodeView };

/** The smallest zoom at which node names can still be read. */
const READABLE_ZOOM = 0.55;
/** Past this many nodes only those in view are drawn. */
const VISIBLE_ONLY_FROM = 250;
export const KEYBOARD_HELP = "Use the arrow keys to move between nodes, Enter to expand a node's neighbours, Space to select it, Shift and Space to show the path to the selected node, Escape to clear the selection.";
/** The longest side of an exported image, in pixels. */
const MAX_EXPORT_SIDE = 8000;

export type CanvasHandle = { exportImage: (format: "png" | "svg") => Promise<Blob> };

type Props = {
  graph: LineageGraph;
  layout: Layout;
  selected: LineageNodeId | null;
  pathEnd: LineageNodeId | null;
  path: PathHighlight | null;
  expanding: ReadonlySet<LineageNodeId>;
  actions: Omit<NodeActions, "move" | "focused">;
  height: number;
  label: string;
};

const EDGE_STYLE: Record<string, { stroke: string; strokeWidth: number; strokeDasharray?: string }> = {
  product: { stroke: "#1f7a4d", strokeWidth: 2 },
  serves: { stroke: "#94a3b8", strokeWidth: 1.5, strokeDasharray: "4 4" },
  table: { stroke: "#475569", strokeWidth: 1.5 },
  column: { stroke: "#64748b", strokeWidth: 1 },
};

/** The lineage graph drawn with React Flow, at the positions the layout computed. */
export const LineageCanvas = forwardRef<CanvasHandle, Props>(function LineageCanvas(props, ref) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} handle={ref} />
    </ReactFlowProvider>
  );
});

function Canvas({ graph, layout, selected, pathEnd, path, expanding, actions, height, label, handle }: Props & { handle: React.ForwardedRef<CanvasHandle> }) {
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const domId = useId();
  const [exporting, setExporting] = useState(false);

  const move = useCallback(
    (from: string, dir: Direction) => {
      const to = neighbourInDirection(layout, from, dir);
      if (!to) return;
      const at = absolute(layout, to);
      const box = layout.get(to);
      if (at && box) void flow.setCenter(at.x + box.width / 2, at.y + box.height / 2, { zoom: flow.getZoom(), duration: 150 });
      // The node may be drawn only once it is in view.
      const focus = (tries: number) => {
        const el = document.getElementById(domId)?.querySelector<HTMLElement>(`[data-lineage-node="${CSS.escape(to)}"]`);
        if (el) el.focus({ preventScroll: true });
        else if (tries > 0) requestAnimationFrame(() => focus(tries - 1));
      };
      focus(20);
    },
    [flow, layout, domId],
  );

  const focused = useCallback(
    (id: string) => {
      // A node reached with Tab that lies outside the view is brought into it.
      const at = absolute(layout, id);
      const box = layout.get(id);
      const el = document.getElementById(domId);
      if (!at || !box || !el) return;
      const vp = flow.getViewport();
      const sx = at.x * vp.zoom + vp.x;
      const sy = at.y * vp.zoom + vp.y;
      const w = box.width * vp.zoom;
      const h = box.height * vp.zoom;
      // The minimap covers a corner of the view: a node under it is as hidden as one outside.
      const host = el.getBoundingClientRect();
      const mini = el.querySelector(".react-flow__minimap")?.getBoundingClientRect();
      const underMinimap =
        !!mini && host.left + sx < mini.right && host.left + sx + w > mini.left && host.top + sy < mini.bottom && host.top + sy + h > mini.top;
      if (sx < 0 || sy < 0 || sx + w > el.clientWidth || sy + h > el.clientHeight || underMinimap) {
        void flow.setCenter(at.x + box.width / 2, at.y + box.height / 2, { zoom: vp.zoom, duration: 150 });
      }
    },
    [flow, layout, domId],
  );

  const nodeActions = useMemo<NodeActions>(() => ({ ...actions, move, focused }), [actions, move, focused]);

  const nodes = useMemo<LineageFlowNode[]>(() => {
    const out: LineageFlowNode[] = [];
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const containers = new Set([...layout.values()].map((b) => b.parentId).filter((p): p is string => p !== null));
    // Parents before their children, as React Flow needs them.
    const ordered = [...graph.nodes].sort((a, b) => Number(Boolean(layout.get(a.id)?.parentId)) - Number(Boolean(layout.get(b.id)?.parentId)));
    for (const n of ordered) {
      const box = layout.get(n.id);
      if (!box || (box.parentId && !byId.has(box.parentId))) continue;
      out.push({
        id: n.id,
        type: "lineage",
        position: { x: box.x, y: box.y },
        width: box.width,
        height: box.height,
        ...(box.parentId ? { parentId: box.parentId, extent: "parent" as const } : {}),
        draggable: false,
        selectable: false,
        focusable: false,
        // Not selectable or draggable in React Flow's sense, but clickable.
        style: { pointerEvents: "all" },
        zIndex: box.parentId ? 1 : 0,
        data: {
          node: n,
          isFocus: n.id === graph.focus,
          isSelected: n.id === selected,
          isPathEnd: n.id === pathEnd,
          onPath: path?.nodes.has(n.id) ?? false,
          dimmed: path !== null && !path.nodes.has(n.id) && !(containers.has(n.id) && [...path.nodes].some((p) => layout.get(p)?.parentId === n.id)),
          expanding: expanding.has(n.id),
          container: containers.has(n.id),
          actions: nodeActions,
        },
      });
    }
    return out;
  }, [graph, layout, selected, pathEnd, path, expanding, nodeActions]);

  const edges = useMemo<Edge[]>(
    () =>
      graph.edges
        .filter((e) => layout.has(e.from) && layout.has(e.to))
        .map((e) => {
          const onPath = path?.edges.has(e.id) ?? false;
          const base = EDGE_STYLE[e.kind] ?? EDGE_STYLE.table!;
          return {
            id: e.id,
            source: e.from,
            target: e.to,
            type: "default",
            animated: onPath,
            focusable: false,
            selectable: false,
            zIndex: e.kind === "column" ? 2 : 0,
            style: onPath ? { ...base, stroke: "#0f766e", strokeWidth: base.strokeWidth + 1.5 } : path ? { ...base, opacity: 0.25 } : base,
            ariaLabel: `${e.kind} lineage`,
          };
        }),
    [graph.edges, layout, path],
  );

  // A new focus is shown whole; an expansion keeps the viewer where they are.
  const fittedFor = useRef<string | null>(null);
  useEffect(() => {
    if (fittedFor.current === graph.focus || !nodes.length) return;
    fittedFor.current = graph.focus;
    requestAnimationFrame(async () => {
      await flow.fitView({ padding: 0.15, maxZoom: 1.2 });
      // A large graph fitted whole is too small to read: start at the focus instead, readable.
      const at = absolute(layout, graph.focus);
      const box = layout.get(graph.focus);
      if (flow.getZoom() < READABLE_ZOOM && at && box) void flow.setCenter(at.x + box.width / 2, at.y + box.height / 2, { zoom: READABLE_ZOOM });
    });
  }, [graph.focus, nodes.length, flow, layout]);

  useImperativeHandle(
    handle,
    () => ({
      exportImage: async (format) => {
        const tops = [...layout.values()].filter((b) => b.parentId === null);
        const minX = Math.min(...tops.map((b) => b.x));
        const minY = Math.min(...tops.map((b) => b.y));
        const maxX = Math.max(...tops.map((b) => b.x + b.width));
        const maxY = Math.max(...tops.map((b) => b.y + b.height));
        const bounds = { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
        const scale = Math.min(1, MAX_EXPORT_SIDE / Math.max(bounds.width + 80, bounds.height + 80));
        const width = Math.ceil((bounds.width + 80) * scale);
        const height = Math.ceil((bounds.height + 80) * scale);
        const vp = getViewportForBounds(bounds, width, height, 0.01, 2, 0.02);
        setExporting(true);
        try {
          // Every node is drawn while the image is taken, not only those in view.
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const el = wrapper.current?.querySelector<HTMLElement>(".react-flow__viewport");
          if (!el) throw new Error("Nothing to export");
          const options = {
            backgroundColor: "#ffffff",
            width,
            height,
            skipFonts: true,
            style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
          };
          if (format === "png") {
            const blob = await toBlob(el, { ...options, pixelRatio: 1 });
            if (!blob) throw new Error("The image could not be made");
            return blob;
          }
          const dataUrl = await toSvg(el, options);
          const svg = decodeURIComponent(dataUrl.slice(dataUrl.indexOf(",") + 1));
          return new Blob([svg], { type: "image/svg+xml" });
        } finally {
          setExporting(false);
        }
      },
    }),
    [layout],
  );

  return (
    <div ref={wrapper} id={domId} style={{ height }} className="lineage-canvas relative w-full">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        onlyRenderVisibleElements={nodes.length >= VISIBLE_ONLY_FROM && !exporting}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        aria-label={label}
        ariaLabelConfig={{
          "node.a11yDescription.default": KEYBOARD_HELP,
          "node.a11yDescription.keyboardDisabled": KEYBOARD_HELP,
          "controls.fitView.ariaLabel": "Zoom to fit",
          "controls.zoomIn.ariaLabel": "Zoom in",
          "controls.zoomOut.ariaLabel": "Zoom out",
        }}
        onPaneClick={() => actions.select("", { path: false })}
      >
        <Background gap={24} color="#e2e8f0" />
        <MiniMap pannable zoomable ariaLabel="Overview of the lineage graph" nodeColor={(n) => ((n as LineageFlowNode).data.node.status === "deprecated" ? "#f59e0b" : (n as LineageFlowNode).data.node.restricted ? "#cbd5e1" : "#6ee7b7")} />
        <Controls showInteractive={false} fitViewOptions={{ padding: 0.15 }} />
      </ReactFlow>
    </div>
  );
}
