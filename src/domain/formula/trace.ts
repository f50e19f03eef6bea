/**
 * What a derived measurement carries in its note: the formula and each input used (metric key,
 * measurement id, value), as JSON, so the explain trace can show where a derived value came from.
 */

export type FormulaInput = { metricKey: string; measurementId: string; value: number };
export type FormulaTrace = { formula: string; inputs: FormulaInput[] };

/** The note of a derived measurement. */
export const encodeFormulaTrace = (t: FormulaTrace): string =>
  JSON.stringify({ formula: t.formula, inputs: t.inputs });

const isInput = (x: unknown): x is FormulaInput => {
  const i = x as Partial<FormulaInput> | null;
  return (
    typeof i === "object" &&
    i !== null &&
    typeof i.metricKey === "string" &&
    typeof i.measurementId === "string" &&
    typeof i.value === "number"
  );
};

/** The trace in a derived measurement's note, or null when the note is not one. */
export function decodeFormulaTrace(note: string): FormulaTrace | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(note);
  } catch {
    return null;
  }
  const t = parsed as Partial<FormulaTrace> | null;
  if (typeof t !== "object" || t === null || typeof t.formula !== "string" || !Array.isArray(t.inputs))
    return null;
  if (!t.inputs.every(isInput)) return null;
  return { formula: t.formula, inputs: t.inputs.map((i) => ({ ...i })) };
}
