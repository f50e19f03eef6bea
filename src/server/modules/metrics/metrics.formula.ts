/**
 * Formula metrics in the KPI library: a formula must parse (src/domain/formula), read only metrics
 * the library holds, and never read itself, directly or through other formula metrics. Also what the
 * measurements module needs to derive their values.
 */
import { describeProblem, parseFormula } from "../../../domain/formula/formula.ts";
import { findFormulaCycle } from "../../../domain/formula/graph.ts";
import type { Db } from "../../db/connection.ts";
import type { FieldError } from "../../errors.ts";
import * as repo from "./metrics.repo.ts";
import type { MetricDefinition } from "./metrics.schema.ts";

/** A formula metric as derivation needs it. */
export type FormulaMetricFacts = {
  id: string;
  key: string;
  formula: string;
  finalityLagDays: number;
};

/** The organisation's formula metrics. */
export async function listFormulaMetrics(db: Db, orgId: string): Promise<FormulaMetricFacts[]> {
  const rows = await repo.listFormulaMetrics(db, orgId);
  return rows.flatMap((r) =>
    r.formula !== null
      ? [{ id: r.id, key: r.key, formula: r.formula, finalityLagDays: r.finalityLagDays }]
      : [],
  );
}

/** Metric id ↔ key for these ids and keys (those that exist). */
export async function findMetricKeys(
  db: Db,
  orgId: string,
  ids: string[],
  keys: string[],
): Promise<{ id: string; key: string }[]> {
  const rows = await repo.findMetricsByIdsOrKeys(db, orgId, [...new Set(ids)], [...new Set(keys)]);
  return rows.map((r) => ({ id: r.id, key: r.key }));
}

/**
 * The `formula` field's faults (syntax with its position, unknown keys, reading itself, a cycle
 * through other formula metrics), and the `key` field's when a metric that formulas read is renamed.
 * `current` is the stored metric on update, absent on create.
 */
export async function formulaErrors(
  db: Db,
  orgId: string,
  d: MetricDefinition,
  current?: { id: string; key: string },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const renamed = current !== undefined && current.key !== d.key;
  const formulas = renamed || d.formula !== null ? await listFormulaMetrics(db, orgId) : [];
  if (renamed) {
    const readers = formulas.filter(
      (m) => m.id !== current.id && parseFormula(m.formula).formula?.references.includes(current.key),
    );
    if (readers.length > 0)
      errors.push({
        field: "key",
        message: `formula metric(s) ${readers.map((m) => m.key).join(", ")} read this metric as ${current.key}; change their formulas first`,
      });
  }
  if (d.calculation !== "formula" || d.formula === null) return errors;
  const parsed = parseFormula(d.formula);
  if (!parsed.formula) return [...errors, { field: "formula", message: describeProblem(parsed.problem) }];
  const references = parsed.formula.references;
  if (references.includes(d.key))
    return [...errors, { field: "formula", message: `a formula cannot read its own metric (${d.key})` }];
  const known = new Set((await findMetricKeys(db, orgId, [], references)).map((m) => m.key));
  const unknown = references.filter((k) => !known.has(k));
  if (unknown.length > 0)
    return [
      ...errors,
      {
        field: "formula",
        message: `no metric with key ${unknown.join(", ")} in the KPI library; a formula reads metrics by their keys`,
      },
    ];
  const others = formulas.filter((m) => m.id !== current?.id);
  const through = findFormulaCycle(others, d.key, references);
  if (through !== null)
    errors.push({
      field: "formula",
      message: `${through} already reads ${d.key} through its formula, so this formula would read itself; remove ${through} from it`,
    });
  return errors;
}
