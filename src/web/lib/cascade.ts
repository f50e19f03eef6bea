/**
 * The cascade as a tree for display: roots are goals that support nothing visible; a goal with
 * several parents appears under each (node values are paths, so they stay unique).
 */
import type { Goal } from "../api/hooks.ts";

export type CascadeNode = {
  value: string;
  goal: Goal;
  weight: number | null;
  otherParents: number;
  children: CascadeNode[];
};

export function buildCascade(goals: Goal[], keep: (g: Goal) => boolean = () => true): CascadeNode[] {
  const byId = new Map(goals.map((g) => [g.id, g]));
  const children = new Map<string, { goal: Goal; weight: number }[]>();
  for (const g of goals) {
    for (const p of g.parents) {
      if (!byId.has(p.goalId)) continue;
      const list = children.get(p.goalId) ?? [];
      list.push({ goal: g, weight: p.weight });
      children.set(p.goalId, list);
    }
  }
  const visibleParents = (g: Goal) => g.parents.filter((p) => byId.has(p.goalId)).length;
  // A node stays when it matches, or when something below it does (so the path to a match shows).
  const memo = new Map<string, boolean>();
  const matches = (g: Goal, seen: Set<string>): boolean => {
    const hit = memo.get(g.id);
    if (hit !== undefined) return hit;
    if (seen.has(g.id)) return false;
    seen.add(g.id);
    const r = keep(g) || (children.get(g.id) ?? []).some((c) => matches(c.goal, seen));
    memo.set(g.id, r);
    return r;
  };
  const build = (g: Goal, weight: number | null, path: string, depth: number): CascadeNode => ({
    value: path,
    goal: g,
    weight,
    otherParents: Math.max(0, visibleParents(g) - 1),
    children:
      depth > 12
        ? []
        : (children.get(g.id) ?? [])
            .filter((c) => matches(c.goal, new Set()))
            .sort((a, b) => a.goal.title.localeCompare(b.goal.title))
            .map((c) => build(c.goal, c.weight, `${path}/${c.goal.id}`, depth + 1)),
  });
  const levelRank = { company: 0, unit: 1, team: 2, individual: 3 } as const;
  return goals
    .filter((g) => visibleParents(g) === 0 && matches(g, new Set()))
    .sort((a, b) => levelRank[a.level] - levelRank[b.level] || a.title.localeCompare(b.title))
    .map((g) => build(g, null, g.id, 0));
}
