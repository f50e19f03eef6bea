/**
 * The graph formula metrics form: an edge says metric `child` feeds formula metric `parent`. Like the
 * alignment graph it must stay acyclic (src/domain/dag.ts), so a formula never reads itself, directly
 * or through other formula metrics, and values can be derived in one pass, inputs first.
 */
import { ancestorsOf, type Edge, topologicalOrder, wouldCreateCycle } from "../dag.ts";
import { formulaReferences } from "./formula.ts";

/** A formula metric as the graph needs it: its key and its formula text. */
export type FormulaMetric = { key: string; formula: string };

/** Every input → formula edge, by metric key. */
export function formulaEdges(metrics: readonly FormulaMetric[]): Edge[] {
  return metrics.flatMap((m) => formulaReferences(m.formula).map((child) => ({ child, parent: m.key })));
}

/**
 * The first key among `references` through which metric `key` would read itself, or null. The other
 * formula metrics are `others` (the metric's own old formula left out). Example: with
 * b = a * 2, setting a = b + 1 answers "b"; setting a = c + 1 answers null.
 */
export function findFormulaCycle(
  others: readonly FormulaMetric[],
  key: string,
  references: readonly string[],
): string | null {
  const edges = formulaEdges(others.filter((m) => m.key !== key));
  for (const child of references) {
    if (wouldCreateCycle(edges, { child, parent: key })) return child;
  }
  return null;
}

/**
 * The formula metrics that read any of `changed` (directly or through other formula metrics), in an
 * order where each comes after every formula metric it reads. Formula metrics on a cycle (which the
 * KPI library rejects) are left out rather than derived from a loop.
 */
export function derivationOrder(metrics: readonly FormulaMetric[], changed: Iterable<string>): string[] {
  const edges = formulaEdges(metrics);
  const affected = new Set<string>();
  for (const key of changed) for (const k of ancestorsOf(edges, key)) affected.add(k);
  const nodes = metrics.map((m) => m.key).filter((k) => affected.has(k));
  try {
    return topologicalOrder(nodes, edges);
  } catch {
    // A cycle slipped in: derive only the formula metrics not on it, still inputs first.
    const onCycle = new Set(nodes.filter((k) => ancestorsOf(edges, k).has(k)));
    const downstream = new Set([...onCycle].flatMap((k) => [...ancestorsOf(edges, k)]));
    return topologicalOrder(
      nodes.filter((k) => !onCycle.has(k) && !downstream.has(k)),
      edges,
    );
  }
}
