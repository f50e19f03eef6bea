/**
 * A metric's validation rules: a read-out for everyone and a small editor for its steward, the
 * performance office and administrators. Each rule flags (counts, with a warning), quarantines (kept
 * out until a steward accepts it) or is off. Formulas: docs/arithmetic.md, "Validation rules".
 */
import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, must, type Schemas } from "../../api/client.ts";

type Rules = Schemas["ValidationRules"];
type Action = "off" | "flag" | "quarantine";
type Num = number | undefined;

const ACTIONS = [
  { value: "off", label: "Off" },
  { value: "flag", label: "Flag" },
  { value: "quarantine", label: "Quarantine" },
];

/** One line per rule that is on, for the metric page. */
export function describeRules(r: Rules): string[] {
  const out: string[] = [];
  const act = (a: string) => (a === "quarantine" ? "quarantine" : "flag");
  if (r.range && r.range.action !== "off")
    out.push(`Range ${r.range.min ?? "−∞"} to ${r.range.max ?? "+∞"}: ${act(r.range.action)}`);
  if (r.stepChange && r.stepChange.action !== "off")
    out.push(
      `Step change over ${[r.stepChange.maxAbsolute !== undefined ? `${r.stepChange.maxAbsolute}` : null, r.stepChange.maxPercent !== undefined ? `${r.stepChange.maxPercent} %` : null].filter(Boolean).join(" or ")}: ${act(r.stepChange.action)}`,
    );
  if (r.frequency && r.frequency.action !== "off")
    out.push(
      `Missing data after ${r.frequency.maxMissingPeriods ?? 0} missing period(s): ${act(r.frequency.action)}`,
    );
  if (r.duplicate && r.duplicate.action !== "off")
    out.push(`Duplicates from one source: ${act(r.duplicate.action)}`);
  const unit = r.unitSanity?.action ?? "flag";
  if (unit !== "off") out.push(`Unit sanity: ${act(unit)}`);
  if (r.outlier && r.outlier.action !== "off")
    out.push(`Outlier beyond modified z ${r.outlier.threshold ?? 3.5}: ${act(r.outlier.action)}`);
  return out;
}

function RuleRow({
  label,
  help,
  action,
  onAction,
  children,
}: {
  label: string;
  help: string;
  action: Action;
  onAction: (a: Action) => void;
  children?: React.ReactNode;
}) {
  return (
    <Paper withBorder p="sm" role="group" aria-label={label}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <div>
            <Text fw={600} size="sm">
              {label}
            </Text>
            <Text size="xs" c="dimmed">
              {help}
            </Text>
          </div>
          <SegmentedControl
            size="xs"
            aria-label={`${label}: action`}
            data={ACTIONS}
            value={action}
            onChange={(v) => onAction(v as Action)}
          />
        </Group>
        {action !== "off" && children ? <SimpleGrid cols={{ base: 1, sm: 3 }}>{children}</SimpleGrid> : null}
      </Stack>
    </Paper>
  );
}

const num = (v: string | number): Num => (typeof v === "number" ? v : v === "" ? undefined : Number(v));

export function ValidationRulesEditor({
  metricId,
  rules,
  onSaved,
}: {
  metricId: string;
  rules: Rules;
  onSaved: () => void;
}) {
  const qc = useQueryClient();
  const [range, setRange] = useState({
    action: (rules.range?.action ?? "off") as Action,
    min: rules.range?.min,
    max: rules.range?.max,
  });
  const [step, setStep] = useState({
    action: (rules.stepChange?.action ?? "off") as Action,
    maxAbsolute: rules.stepChange?.maxAbsolute,
    maxPercent: rules.stepChange?.maxPercent,
  });
  const [freq, setFreq] = useState({
    action: (rules.frequency?.action ?? "off") as Action,
    maxMissingPeriods: rules.frequency?.maxMissingPeriods,
  });
  const [dup, setDup] = useState((rules.duplicate?.action ?? "off") as Action);
  const [unit, setUnit] = useState({
    action: (rules.unitSanity?.action ?? "flag") as Action,
    allowNegative: rules.unitSanity?.allowNegative ?? false,
    allowAbove100: rules.unitSanity?.allowAbove100 ?? false,
  });
  const [outlier, setOutlier] = useState({
    action: (rules.outlier?.action ?? "off") as Action,
    threshold: rules.outlier?.threshold,
    minHistory: rules.outlier?.minHistory,
    window: rules.outlier?.window,
  });
  const clean = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== false)) as T;
  const body = (): Rules => ({
    ...(range.action !== "off" ? { range: clean(range) } : {}),
    ...(step.action !== "off" ? { stepChange: clean(step) } : {}),
    ...(freq.action !== "off" ? { frequency: clean(freq) } : {}),
    ...(dup !== "off" ? { duplicate: { action: dup } } : {}),
    ...(unit.action !== "flag" || unit.allowNegative || unit.allowAbove100
      ? { unitSanity: clean(unit) }
      : {}),
    ...(outlier.action !== "off" ? { outlier: clean(outlier) } : {}),
  });
  const save = useMutation({
    mutationFn: async () =>
      must(
        await api.PATCH("/api/v1/metrics/{id}", {
          params: { path: { id: metricId } },
          body: { validationRules: body() },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["metric", metricId] });
      onSaved();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const e = (path: string) => err?.errors.find((x) => x.field === `validationRules.${path}`)?.message;
  return (
    <form
      noValidate
      aria-label="Validation rules"
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <RuleRow
          label="Allowed range"
          help="Values below the minimum or above the maximum."
          action={range.action}
          onAction={(action) => setRange({ ...range, action })}
        >
          <NumberInput
            label="Minimum"
            value={range.min ?? ""}
            onChange={(v) => setRange({ ...range, min: num(v) })}
            error={e("range.min")}
          />
          <NumberInput
            label="Maximum"
            value={range.max ?? ""}
            onChange={(v) => setRange({ ...range, max: num(v) })}
            error={e("range.max")}
          />
        </RuleRow>
        <RuleRow
          label="Step change"
          help="A change against the previous value larger than this."
          action={step.action}
          onAction={(action) => setStep({ ...step, action })}
        >
          <NumberInput
            label="Largest change (in the unit)"
            min={0}
            value={step.maxAbsolute ?? ""}
            onChange={(v) => setStep({ ...step, maxAbsolute: num(v) })}
            error={e("stepChange.maxAbsolute")}
          />
          <NumberInput
            label="Largest change (%)"
            min={0}
            value={step.maxPercent ?? ""}
            onChange={(v) => setStep({ ...step, maxPercent: num(v) })}
            error={e("stepChange.maxPercent")}
          />
        </RuleRow>
        <RuleRow
          label="Required frequency"
          help="A value every period: a gap raises missing data."
          action={freq.action}
          onAction={(action) => setFreq({ ...freq, action })}
        >
          <NumberInput
            label="Missing periods tolerated"
            min={0}
            value={freq.maxMissingPeriods ?? ""}
            onChange={(v) => setFreq({ ...freq, maxMissingPeriods: num(v) })}
            error={e("frequency.maxMissingPeriods")}
          />
        </RuleRow>
        <RuleRow
          label="Duplicates"
          help="A second value for a recorded period from the same source; off rejects it."
          action={dup}
          onAction={setDup}
        />
        <RuleRow
          label="Unit sanity"
          help="A percent outside 0–100, a negative count or duration."
          action={unit.action}
          onAction={(action) => setUnit({ ...unit, action })}
        >
          <Checkbox
            label="Negative values are fine"
            checked={unit.allowNegative}
            onChange={(ev) => setUnit({ ...unit, allowNegative: ev.currentTarget.checked })}
          />
          <Checkbox
            label="Percent above 100 is fine"
            checked={unit.allowAbove100}
            onChange={(ev) => setUnit({ ...unit, allowAbove100: ev.currentTarget.checked })}
          />
        </RuleRow>
        <RuleRow
          label="Outliers"
          help="Far from the series' own history: modified z-score from median and MAD."
          action={outlier.action}
          onAction={(action) => setOutlier({ ...outlier, action })}
        >
          <NumberInput
            label="Threshold (|z|)"
            placeholder="3.5"
            min={0}
            decimalScale={2}
            value={outlier.threshold ?? ""}
            onChange={(v) => setOutlier({ ...outlier, threshold: num(v) })}
            error={e("outlier.threshold")}
          />
          <NumberInput
            label="Earlier values needed"
            placeholder="6"
            min={3}
            value={outlier.minHistory ?? ""}
            onChange={(v) => setOutlier({ ...outlier, minHistory: num(v) })}
            error={e("outlier.minHistory")}
          />
          <NumberInput
            label="History window"
            placeholder="24"
            min={3}
            value={outlier.window ?? ""}
            onChange={(v) => setOutlier({ ...outlier, window: num(v) })}
            error={e("outlier.window")}
          />
        </RuleRow>
        {err && !err.errors.some((x) => x.field.startsWith("validationRules.")) ? (
          <Alert color="red" role="alert">
            {err.message}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save rules
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
