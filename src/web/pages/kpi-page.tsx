import { Alert, Button, Group, List, Modal, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { lazy, Suspense, useState } from "react";
import { api, must, type Schemas } from "../api/client.ts";
import { canEditMetrics, useFormat, useMe } from "../app/session.ts";
import { PersonName } from "../components/person-name.tsx";
import { ErrorState, Loading } from "../components/states.tsx";
import { formatValue } from "../lib/format.ts";
import { FinalityPanel } from "./kpi/finality.tsx";
import { MetricForm, type SavedMetric } from "./kpi/metric-form.tsx";
import { describeRules, ValidationRulesEditor } from "./kpi/validation-rules.tsx";

const MetricChart = lazy(() =>
  import("../charts/metric-chart.tsx").then((m) => ({ default: m.MetricChart })),
);

/** "6 values re-derived with the new formula, 0 unchanged, 1 kept as it was": what a formula change did. */
function describeRederivation(r: Schemas["Rederivation"], removed: boolean): string {
  const values = (n: number) => `${n} value${n === 1 ? "" : "s"}`;
  if (removed)
    return `Formula removed: ${values(r.kept)} derived by it stay as history; enter new values by hand.`;
  return `${values(r.rederived)} re-derived with the new formula, ${r.unchanged} unchanged, ${r.kept} kept as ${r.kept === 1 ? "it was" : "they were"} (the new formula gives no value there).`;
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

export function KpiPage() {
  const { metricId } = useParams({ from: "/app/kpis/$metricId" });
  const me = useMe();
  const f = useFormat();
  const [opened, { open, close }] = useDisclosure(false);
  const [rulesOpened, rulesModal] = useDisclosure(false);
  const [saved, setSaved] = useState<SavedMetric | null>(null);
  const metric = useQuery({
    queryKey: ["metric", metricId],
    queryFn: async () => must(await api.GET("/api/v1/metrics/{id}", { params: { path: { id: metricId } } })),
  });
  const history = useQuery({
    queryKey: ["metric", metricId, "measurements"],
    queryFn: async () =>
      must(
        await api.GET("/api/v1/metrics/{id}/measurements", {
          params: { path: { id: metricId }, query: { limit: 200, includeSuperseded: "true" } },
        }),
      ),
  });
  // One series at a time: the organisation's when it has one, otherwise the scope with most values.
  const series = (() => {
    const groups = new Map<string, NonNullable<typeof history.data>["items"]>();
    for (const p of history.data?.items ?? []) {
      const k = `${p.scopeType}:${p.scopeId}`;
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    const all = [...groups.values()].sort((a, b) => b.length - a.length);
    return all.find((g) => g[0]?.scopeType === "org") ?? all[0] ?? [];
  })();
  if (metric.isPending) return <Loading label="Loading metric…" />;
  if (metric.error) return <ErrorState error={metric.error} onRetry={() => metric.refetch()} />;
  const m = metric.data;
  const fv = (v: number) => formatValue(f, v, m.unit, m.currencyCode);
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{m.name}</Title>
          <Text size="sm" c="dimmed">
            {m.key}
          </Text>
        </div>
        {canEditMetrics(me) ? (
          <Button variant="default" onClick={open}>
            Edit metric
          </Button>
        ) : null}
      </Group>
      {saved?.rederivation ? (
        <Alert color="blue" variant="light" withCloseButton onClose={() => setSaved(null)} role="status">
          {describeRederivation(saved.rederivation, saved.formula === null)}
        </Alert>
      ) : null}
      <Paper withBorder p="md" component="section" aria-labelledby="metric-def">
        <Title order={2} size="h4" id="metric-def" mb="xs">
          Definition
        </Title>
        <Stack gap="sm">
          <Text size="sm">{m.description || "No description yet."}</Text>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Field label="Unit">
              {m.unit === "currency" ? `${m.unit} (${m.currencyCode ?? ""})` : m.unit}
            </Field>
            <Field label="Direction">{m.direction.replaceAll("_", " ")}</Field>
            <Field label="Indicator">{m.indicatorType}</Field>
            <Field label="Aggregation">
              {m.aggregation} ({m.kind})
            </Field>
            <Field label="Period">{m.period}</Field>
            <Field label="Calculation">{m.calculation}</Field>
            <Field label="Refresh">{m.refreshCadence}</Field>
            <Field label="Finality lag">{m.finalityLagDays} days</Field>
            <Field label="Steward">
              <PersonName id={m.stewardId} />
            </Field>
          </SimpleGrid>
          <Field label="Data source">{m.dataSource || "—"}</Field>
          <Field label="How it is calculated">{m.formula ?? m.calculationNote ?? "—"}</Field>
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="metric-rules">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="metric-rules">
            Validation rules
          </Title>
          {canEditMetrics(me) ? (
            <Button size="xs" variant="default" onClick={rulesModal.open}>
              Edit rules
            </Button>
          ) : null}
        </Group>
        <List size="sm">
          {describeRules(m.validationRules).map((line) => (
            <List.Item key={line}>{line}</List.Item>
          ))}
        </List>
        {describeRules(m.validationRules).length === 0 ? (
          <Text size="sm">No checks: every value counts.</Text>
        ) : null}
      </Paper>
      <FinalityPanel
        metric={m}
        provisional={series.filter((p) => p.provisional && p.supersededById === null).length}
        canClose={canEditMetrics(me)}
      />
      <Paper withBorder p="md" component="section" aria-labelledby="metric-history">
        <Title order={2} size="h4" id="metric-history" mb="xs">
          History
        </Title>
        {history.isPending ? (
          <Loading label="Loading measurements…" />
        ) : history.error ? (
          <ErrorState error={history.error} onRetry={() => history.refetch()} />
        ) : series.length === 0 ? (
          <Text size="sm">No measurements yet.</Text>
        ) : (
          <Suspense fallback={<Loading label="Loading chart…" />}>
            <Text size="xs" c="dimmed">
              Scope: {series[0]?.scopeType === "org" ? "whole organisation" : series[0]?.scopeType}
            </Text>
            <MetricChart
              formatValue={fv}
              points={series.map((p) => ({
                periodEnd: p.periodEnd,
                value: p.value,
                superseded: p.supersededById !== null,
              }))}
            />
          </Suspense>
        )}
      </Paper>
      <Modal opened={rulesOpened} onClose={rulesModal.close} title="Validation rules" size="lg">
        <ValidationRulesEditor metricId={m.id} rules={m.validationRules} onSaved={rulesModal.close} />
      </Modal>
      <Modal opened={opened} onClose={close} title="Edit metric" size="lg">
        <MetricForm
          metric={m}
          onSaved={(updated) => {
            setSaved(updated);
            close();
          }}
        />
      </Modal>
    </Stack>
  );
}
