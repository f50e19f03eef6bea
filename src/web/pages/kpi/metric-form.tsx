import {
  Alert,
  Button,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, must, type Schemas } from "../../api/client.ts";
import { FormulaInputs } from "./formula-inputs.tsx";

type Metric = Schemas["Metric"];
/** A saved metric; after a change, with what a new formula did to its values (null: no formula change). */
export type SavedMetric = Metric & { rederivation?: Schemas["Rederivation"] | null };
const opts = (xs: string[]) => xs.map((v) => ({ value: v, label: v.replaceAll("_", " ") }));

/** Create or edit a KPI definition (stewards, the performance office and administrators). */
export function MetricForm({ metric, onSaved }: { metric?: Metric; onSaved: (m: SavedMetric) => void }) {
  const qc = useQueryClient();
  const [d, setD] = useState({
    key: metric?.key ?? "",
    name: metric?.name ?? "",
    description: metric?.description ?? "",
    unit: metric?.unit ?? "count",
    currencyCode: metric?.currencyCode ?? "",
    direction: metric?.direction ?? "increase",
    indicatorType: metric?.indicatorType ?? "lagging",
    aggregation: metric?.aggregation ?? "sum",
    period: metric?.period ?? "month",
    calculation: metric?.calculation ?? "manual",
    formula: metric?.formula ?? "",
    dataSource: metric?.dataSource ?? "",
    calculationNote: metric?.calculationNote ?? "",
    refreshCadence: metric?.refreshCadence ?? "monthly",
    finalityLagDays: metric?.finalityLagDays ?? 0,
  });
  const set = <K extends keyof typeof d>(k: K, v: (typeof d)[K]) => setD((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: async (): Promise<SavedMetric> => {
      const body = {
        ...d,
        currencyCode: d.unit === "currency" ? d.currencyCode || null : null,
        formula: d.calculation === "formula" ? d.formula || null : null,
      };
      if (metric) {
        const { key: _key, ...changes } = body;
        return must(
          await api.PATCH("/api/v1/metrics/{id}", { params: { path: { id: metric.id } }, body: changes }),
        );
      }
      return must(
        await api.POST("/api/v1/metrics", {
          body: { ...body, baselinePeriod: null, stewardId: null, validationRules: {} },
        }),
      );
    },
    onSuccess: async (m) => {
      await qc.invalidateQueries({ queryKey: ["metrics"] });
      await qc.invalidateQueries({ queryKey: ["metric", m.id] });
      onSaved(m);
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const e = (f: string) => err?.fieldError(f);
  return (
    <form
      noValidate
      aria-label={metric ? "Edit metric" : "New metric"}
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Key"
            required
            disabled={Boolean(metric)}
            value={d.key}
            onChange={(ev) => set("key", ev.currentTarget.value)}
            error={e("key")}
          />
          <TextInput
            label="Name"
            required
            value={d.name}
            onChange={(ev) => set("name", ev.currentTarget.value)}
            error={e("name")}
          />
        </SimpleGrid>
        <Textarea
          label="Definition"
          autosize
          minRows={2}
          value={d.description}
          onChange={(ev) => set("description", ev.currentTarget.value)}
          error={e("description")}
        />
        <SimpleGrid cols={{ base: 2, sm: 3 }}>
          <Select
            label="Unit"
            data={opts(["percent", "count", "duration", "currency", "ratio", "score"])}
            value={d.unit}
            onChange={(v) => v && set("unit", v as Metric["unit"])}
            allowDeselect={false}
            error={e("unit")}
          />
          {d.unit === "currency" ? (
            <TextInput
              label="Currency code"
              placeholder="EUR"
              value={d.currencyCode}
              onChange={(ev) => set("currencyCode", ev.currentTarget.value)}
              error={e("currencyCode")}
            />
          ) : null}
          <Select
            label="Direction"
            data={opts(["increase", "decrease", "keep_within_range"])}
            value={d.direction}
            onChange={(v) => v && set("direction", v as Metric["direction"])}
            allowDeselect={false}
            error={e("direction")}
          />
          <Select
            label="Indicator"
            data={opts(["leading", "lagging"])}
            value={d.indicatorType}
            onChange={(v) => v && set("indicatorType", v as Metric["indicatorType"])}
            allowDeselect={false}
          />
          <Select
            label="Aggregation over time"
            data={opts(["sum", "average", "last", "min", "max"])}
            value={d.aggregation}
            onChange={(v) => v && set("aggregation", v as Metric["aggregation"])}
            allowDeselect={false}
            error={e("aggregation")}
          />
          <Select
            label="Period"
            data={opts(["day", "week", "month", "quarter"])}
            value={d.period}
            onChange={(v) => v && set("period", v as Metric["period"])}
            allowDeselect={false}
          />
          <Select
            label="Calculation"
            data={opts(["manual", "imported", "formula"])}
            value={d.calculation}
            onChange={(v) => v && set("calculation", v as Metric["calculation"])}
            allowDeselect={false}
            error={e("calculation")}
          />
        </SimpleGrid>
        {d.calculation === "formula" ? (
          <Stack gap={4}>
            <TextInput
              label="Formula"
              description="Other metrics' keys with + - * / ^, parentheses, min, max, abs, round, sqrt — e.g. won_revenue / pipeline_revenue * 100"
              required
              ff="monospace"
              value={d.formula}
              onChange={(ev) => set("formula", ev.currentTarget.value)}
              error={e("formula")}
            />
            <FormulaInputs formula={d.formula} />
          </Stack>
        ) : null}
        <TextInput
          label="Data source"
          value={d.dataSource}
          onChange={(ev) => set("dataSource", ev.currentTarget.value)}
          error={e("dataSource")}
        />
        <Textarea
          label="Calculation note"
          autosize
          value={d.calculationNote}
          onChange={(ev) => set("calculationNote", ev.currentTarget.value)}
          error={e("calculationNote")}
        />
        <SimpleGrid cols={2}>
          <TextInput
            label="Refresh cadence"
            value={d.refreshCadence}
            onChange={(ev) => set("refreshCadence", ev.currentTarget.value)}
            error={e("refreshCadence")}
          />
          <NumberInput
            label="Finality lag (days)"
            min={0}
            value={d.finalityLagDays}
            onChange={(v) => set("finalityLagDays", Number(v) || 0)}
            error={e("finalityLagDays")}
          />
        </SimpleGrid>
        {err && err.errors.length === 0 ? (
          <Alert color="red" role="alert" variant="light">
            {err.message}
          </Alert>
        ) : null}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {metric ? "Save metric" : "Create metric"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
