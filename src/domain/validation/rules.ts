/**
 * A metric's validation rules, as its data steward sets them (stored in `metrics.validation_rules`),
 * and what checking a row against them yields. Every rule names its action: `flag` (the row counts,
 * shown with a warning), `quarantine` (the row is kept but does not count until a steward accepts it)
 * or `off`. Unit sanity is on (flag) unless turned off; every other rule is off until configured.
 */

export const RULE_ACTIONS = ["flag", "quarantine", "off"] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

export const RULE_NAMES = [
  "range",
  "step_change",
  "frequency",
  "duplicate",
  "unit_sanity",
  "outlier",
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export type ValidationState = "accepted" | "flagged" | "quarantined";

export type ValidationRules = {
  /** Allowed range, inclusive; either end may be left open. */
  range?: { min?: number | undefined; max?: number | undefined; action: RuleAction } | undefined;
  /** Largest change against the previous value: absolute (in the metric's unit) and/or percent of it. */
  stepChange?:
    | { maxAbsolute?: number | undefined; maxPercent?: number | undefined; action: RuleAction }
    | undefined;
  /** Values are expected every period of the metric; more than `maxMissingPeriods` missing → a finding. */
  frequency?: { maxMissingPeriods?: number | undefined; action: RuleAction } | undefined;
  /** A second value for a recorded metric, scope and period from the same source. */
  duplicate?: { action: RuleAction } | undefined;
  /** Percent within 0..100, counts and durations not negative, unless allowed. */
  unitSanity?:
    | { action: RuleAction; allowNegative?: boolean | undefined; allowAbove100?: boolean | undefined }
    | undefined;
  /** Modified z-score against the series' own history (median and MAD). */
  outlier?:
    | {
        threshold?: number | undefined;
        minHistory?: number | undefined;
        window?: number | undefined;
        action: RuleAction;
      }
    | undefined;
};

/** Defaults of the outlier test: |z| > 3.5 (Iglewicz and Hoaglin), at least 6 earlier values, the last 24. */
export const OUTLIER_DEFAULTS = { threshold: 3.5, minHistory: 6, window: 24 } as const;

/** One rule's verdict on one row; rules that pass leave none. */
export type Finding = {
  rule: RuleName;
  outcome: "flag" | "quarantine";
  message: string;
  details: Record<string, number | string | null>;
};

/** The row's state: quarantined if any finding quarantines, flagged if any flags, else accepted. */
export function stateOf(findings: readonly Finding[]): ValidationState {
  if (findings.some((f) => f.outcome === "quarantine")) return "quarantined";
  if (findings.length > 0) return "flagged";
  return "accepted";
}

/** The action a rule takes once defaults apply (unit sanity flags unless turned off). */
export function actionOf(rules: ValidationRules, rule: RuleName): RuleAction {
  switch (rule) {
    case "range":
      return rules.range?.action ?? "off";
    case "step_change":
      return rules.stepChange?.action ?? "off";
    case "frequency":
      return rules.frequency?.action ?? "off";
    case "duplicate":
      return rules.duplicate?.action ?? "off";
    case "unit_sanity":
      return rules.unitSanity?.action ?? "flag";
    case "outlier":
      return rules.outlier?.action ?? "off";
    default: {
      const never: never = rule;
      throw new Error(`unknown rule ${String(never)}`);
    }
  }
}
