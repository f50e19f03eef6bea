/**
 * The alignment graph: an edge says `child` supports `parent`. It must stay acyclic. All walks are
 * iterative (no recursion), so a cascade a million goals deep cannot overflow the stack.
 */

export type Edge = { child: string; parent: string };

function adjacency(edges: readonly Edge[], from: "child" | "parent"): Map<string, string[]> {
  const to = from === "child" ? "parent" : "child";
  const map = new Map<string, string[]>();
  for (const edge of edges) {
    const list = map.get(edge[from]);
    if (list === undefined) map.set(edge[from], [edge[to]]);
    else list.push(edge[to]);
  }
  return map;
}

function reachable(next: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const n of next.get(node) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/**
 * True when adding `newEdge` would close a cycle: it is a self-loop, or the new parent already
 * supports the new child (directly or through other goals). Example: with a→b and b→c (child→parent),
 * adding c→a closes a cycle; adding a→c does not.
 */
export function wouldCreateCycle(edges: Edge[], newEdge: Edge): boolean {
  if (newEdge.child === newEdge.parent) return true;
  const up = adjacency(edges, "child");
  const seen = new Set<string>([newEdge.parent]);
  const stack = [newEdge.parent];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const parent of up.get(node) ?? []) {
      if (parent === newEdge.child) return true;
      if (!seen.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return false;
}

/**
 * The nodes ordered so that every child comes before all of its parents (Kahn's algorithm; among
 * nodes that are ready at the same time, input order is kept). Edges naming unknown nodes are
 * ignored; a repeated node is listed once. Throws an Error naming the goals left on a cycle.
 */
export function topologicalOrder(nodes: string[], edges: Edge[]): string[] {
  const index = new Map<string, number>();
  const ids: string[] = [];
  for (const id of nodes) {
    if (!index.has(id)) {
      index.set(id, ids.length);
      ids.push(id);
    }
  }
  const n = ids.length;
  const pendingChildren = new Int32Array(n);
  const parentsOf: number[][] = Array.from({ length: n }, () => []);
  for (const edge of edges) {
    const c = index.get(edge.child);
    const p = index.get(edge.parent);
    if (c === undefined || p === undefined) continue;
    (parentsOf[c] as number[]).push(p);
    pendingChildren[p] = (pendingChildren[p] as number) + 1;
  }
  const order: string[] = [];
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (pendingChildren[i] === 0) queue.push(i);
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head] as number;
    order.push(ids[i] as string);
    for (const p of parentsOf[i] as number[]) {
      pendingChildren[p] = (pendingChildren[p] as number) - 1;
      if (pendingChildren[p] === 0) queue.push(p);
    }
  }
  if (order.length < n) {
    const stuck = ids.filter((_, i) => (pendingChildren[i] as number) > 0);
    throw new Error(`the alignment graph has a cycle among: ${stuck.slice(0, 10).join(", ")}`);
  }
  return order;
}

/** Every goal `id` supports, directly or indirectly (not `id` itself unless it lies on a cycle). */
export function ancestorsOf(edges: Edge[], id: string): Set<string> {
  return reachable(adjacency(edges, "child"), id);
}

/** Every goal that supports `id`, directly or indirectly (not `id` itself unless it lies on a cycle). */
export function descendantsOf(edges: Edge[], id: string): Set<string> {
  return reachable(adjacency(edges, "parent"), id);
}
