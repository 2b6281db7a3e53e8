"use client";

import ElkApi from "elkjs/lib/elk-api.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { useEffect, useRef, useState } from "react";
import { readLayout, toElkInput, type ElkInput, type Layout } from "./graph-model";
import type { LineageEdge, LineageNode } from "@/lib/lineage/types";

export type LayoutThread = "worker" | "main";

/** Set when the browser refused to start the worker (no Worker, or a policy forbids it). */
let workerRefused = false;
let elk: { layout: (g: ElkNode) => Promise<ElkNode> } | null = null;
/** Layouts waiting on the worker: failed over to the main thread if the worker dies. */
const waiting = new Set<(err: Error) => void>();

function workerElk() {
  if (workerRefused || typeof Worker === "undefined") return null;
  if (!elk) {
    try {
      const worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { name: "lineage-layout" });
      worker.addEventListener("error", (e) => {
        e.preventDefault();
        workerRefused = true;
        elk = null;
        worker.terminate();
        for (const fail of waiting) fail(new Error("The layout worker stopped"));
        waiting.clear();
      });
      elk = new ElkApi({ workerFactory: () => worker });
    } catch {
      workerRefused = true;
      return null;
    }
  }
  return elk;
}

async function onMainThread(graph: ElkInput): Promise<ElkNode> {
  const { runElk } = await import("./elk-layout");
  return runElk(graph);
}

async function computeLayout(nodes: LineageNode[], edges: LineageEdge[]): Promise<{ layout: Layout; thread: LayoutThread }> {
  const graph = toElkInput({ nodes, edges });
  const engine = workerElk();
  if (engine) {
    let fail: (err: Error) => void = () => {};
    const died = new Promise<never>((_, reject) => {
      fail = reject;
      waiting.add(reject);
    });
    try {
      return { layout: readLayout(await Promise.race([engine.layout(graph as ElkNode), died])), thread: "worker" };
    } catch (err) {
      // A graph ELK cannot lay out is an error; a worker that could not run falls back to this thread.
      if (!workerRefused) throw err;
    } finally {
      waiting.delete(fail);
    }
  }
  return { layout: readLayout(await onMainThread(graph)), thread: "main" };
}

/**
 * The positions of the graph's nodes, computed in a Web Worker. While a new layout is computed the
 * previous one stays, so expanding a node does not blank the canvas.
 */
export function useLayout(nodes: LineageNode[], edges: LineageEdge[]) {
  const [state, setState] = useState<{ layout: Layout | null; thread: LayoutThread | null; error: string | null; key: string }>({ layout: null, thread: null, error: null, key: "" });
  const key = `${nodes.map((n) => n.id).join(",")}|${edges.map((e) => e.id).join(",")}`;
  const latest = useRef(key);
  useEffect(() => {
    latest.current = key;
    let live = true;
    computeLayout(nodes, edges).then(
      ({ layout, thread }) => live && latest.current === key && setState({ layout, thread, error: null, key }),
      (err: unknown) => live && latest.current === key && setState((s) => ({ ...s, error: err instanceof Error ? err.message : String(err), key })),
    );
    return () => {
      live = false;
    };
    // The key stands for the nodes and edges: a new array with the same content is the same graph.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return { layout: state.layout, thread: state.thread, error: state.error, pending: state.key !== key };
}
