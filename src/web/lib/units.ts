import type { Unit } from "../api/hooks.ts";

/** Unit id → its ancestors' ids (nearest first), for subtree filters and rollups. */
export function ancestorsOf(units: Unit[]): Map<string, string[]> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Map<string, string[]>();
  for (const u of units) {
    const chain: string[] = [];
    let p = u.parentId;
    while (p && !chain.includes(p)) {
      chain.push(p);
      p = byId.get(p)?.parentId ?? null;
    }
    out.set(u.id, chain);
  }
  return out;
}

/** The child of `root` on the path to `unitId` (or unitId itself when it is a child of root). */
export function childOnPath(
  ancestors: Map<string, string[]>,
  root: string | null,
  unitId: string,
): string | null {
  const chain = [unitId, ...(ancestors.get(unitId) ?? [])];
  if (root === null) return chain.at(-2) ?? chain.at(-1) ?? null;
  const i = chain.indexOf(root);
  return i > 0 ? (chain[i - 1] ?? null) : null;
}
