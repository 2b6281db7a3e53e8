import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import type { ElkInput } from "./graph-model";

let elk: InstanceType<typeof ELK> | null = null;

/** Runs the layered layout on the calling thread: where no worker can run, and in tests. */
export function runElk(graph: ElkInput): Promise<ElkNode> {
  elk ??= new ELK();
  return elk.layout(graph as ElkNode);
}
