import type { Edge } from "../../../domain/dag.ts";

/**
 * A shortest chain of links from `from` up to `to` (child → parent), as the goals on it, both ends
 * included; null when `to` is not above `from`. Used to name the cycle a new link would close.
 */
export function findPathUp(edges: readonly Edge[], from: string, to: string): string[] | null {
  const up = new Map<string, string[]>();
  for (const e of edges) up.set(e.child, [...(up.get(e.child) ?? []), e.parent]);
  const previous = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    if (node === to) {
      const path = [to];
      for (let at = previous.get(to); at !== undefined; at = previous.get(at)) path.unshift(at);
      return path;
    }
    for (const next of up.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return null;
}
