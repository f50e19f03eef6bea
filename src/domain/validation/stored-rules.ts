/**
 * Reading `metrics.validation_rules` as stored: the current shape (see rules.ts) rule by rule, a part
 * that does not fit is left out rather than failing the write it guards, and the flat shape of
 * earlier releases (`{ min, max, maxJumpRobustZ }`, as the demo seed writes) read as a flagging range
 * and outlier rule. The API validates what it stores strictly; this only has to be safe.
 */
import { RULE_ACTIONS, type RuleAction, type ValidationRules } from "./rules.ts";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const num = (x: unknown): number | undefined => (typeof x === "number" && Number.isFinite(x) ? x : undefined);
const bool = (x: unknown): boolean | undefined => (typeof x === "boolean" ? x : undefined);
const action = (x: unknown): RuleAction | undefined =>
  RULE_ACTIONS.includes(x as RuleAction) ? (x as RuleAction) : undefined;

/** Drops undefined fields, so the parsed rules compare and print cleanly. */
const clean = <T extends Obj>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function parseStoredRules(raw: unknown): ValidationRules {
  if (!isObj(raw)) return {};
  const rules: ValidationRules = {};
  const part = (name: string) => {
    const p = raw[name];
    const a = isObj(p) ? action(p.action) : undefined;
    return isObj(p) && a ? { p, a } : undefined;
  };
  const range = part("range");
  if (range) rules.range = clean({ min: num(range.p.min), max: num(range.p.max), action: range.a });
  const step = part("stepChange");
  if (step)
    rules.stepChange = clean({
      maxAbsolute: num(step.p.maxAbsolute),
      maxPercent: num(step.p.maxPercent),
      action: step.a,
    });
  const freq = part("frequency");
  if (freq) rules.frequency = clean({ maxMissingPeriods: num(freq.p.maxMissingPeriods), action: freq.a });
  const dup = part("duplicate");
  if (dup) rules.duplicate = { action: dup.a };
  const unit = part("unitSanity");
  if (unit)
    rules.unitSanity = clean({
      action: unit.a,
      allowNegative: bool(unit.p.allowNegative),
      allowAbove100: bool(unit.p.allowAbove100),
    });
  const outlier = part("outlier");
  if (outlier)
    rules.outlier = clean({
      threshold: num(outlier.p.threshold),
      minHistory: num(outlier.p.minHistory),
      window: num(outlier.p.window),
      action: outlier.a,
    });
  // The flat shape of earlier releases.
  if (!rules.range && (num(raw.min) !== undefined || num(raw.max) !== undefined))
    rules.range = clean({ min: num(raw.min), max: num(raw.max), action: "flag" as const });
  if (!rules.outlier && num(raw.maxJumpRobustZ) !== undefined)
    rules.outlier = { threshold: num(raw.maxJumpRobustZ), action: "flag" };
  return rules;
}
