import {
  Alert,
  Badge,
  Button,
  Collapse,
  Grid,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams, useSearch } from "@tanstack/react-router";
import { lazy, Suspense, useState } from "react";
import { ApiError, api, must } from "../api/client.ts";
import { type Goal, goalQuery, useMetric } from "../api/hooks.ts";
import { useFormat } from "../app/session.ts";
import { AnchorLink, ButtonLink } from "../components/links.tsx";
import { PersonName } from "../components/person-name.tsx";
import { ErrorState, Loading } from "../components/states.tsx";
import { AttainmentBar, StatusBadge } from "../components/status.tsx";
import { formatDay, formatNumber, formatPercent, formatValue, todayIn } from "../lib/format.ts";
import { Alignments } from "./goal/alignments.tsx";
import { CheckInForm, CheckInHistory } from "./goal/check-ins.tsx";
import { ExplainPanel } from "./goal/explain-panel.tsx";
import { Versions } from "./goal/versions.tsx";

const GoalChart = lazy(() => import("../charts/goal-chart.tsx").then((m) => ({ default: m.GoalChart })));

function useExplain(goalId: string, asOf: string | undefined) {
  return useQuery({
    queryKey: ["goal", goalId, "explain", asOf ?? "today"],
    queryFn: async () =>
      must(
        await api.GET("/api/v1/goals/{id}/explain", {
          params: { path: { id: goalId }, query: asOf ? { asOf } : {} },
        }),
      ),
  });
}

const NEXT_STATES: Record<string, { to: "proposed" | "active" | "cancelled"; label: string }[]> = {
  draft: [
    { to: "proposed", label: "Propose" },
    { to: "active", label: "Activate" },
    { to: "cancelled", label: "Cancel goal" },
  ],
  proposed: [
    { to: "active", label: "Activate" },
    { to: "cancelled", label: "Cancel goal" },
  ],
  active: [{ to: "cancelled", label: "Cancel goal" }],
};

function Transitions({ goal }: { goal: Goal }) {
  const qc = useQueryClient();
  const move = useMutation({
    mutationFn: async (to: "proposed" | "active" | "cancelled") =>
      must(
        await api.POST("/api/v1/goals/{id}/transition", { params: { path: { id: goal.id } }, body: { to } }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["goal", goal.id] });
      await qc.invalidateQueries({ queryKey: ["goals"] });
    },
  });
  if (!goal.abilities.transition) return null;
  const err = move.error instanceof ApiError ? move.error : null;
  return (
    <Stack gap={4}>
      <Group gap="xs">
        {(NEXT_STATES[goal.state] ?? []).map((t) => (
          <Button
            key={t.to}
            size="xs"
            variant={t.to === "cancelled" ? "default" : "filled"}
            onClick={() => move.mutate(t.to)}
            loading={move.isPending && move.variables === t.to}
          >
            {t.label}
          </Button>
        ))}
      </Group>
      {err ? (
        <Alert color="red" role="alert" variant="light" title="Not changed">
          {err.message}
          {err.errors.map((e) => (
            <Text key={e.field + e.message} size="sm">
              {e.field}: {e.message}
            </Text>
          ))}
        </Alert>
      ) : null}
    </Stack>
  );
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

function SmartSummary({ goal }: { goal: Goal }) {
  const letters = [
    ["specific", "Specific"],
    ["measurable", "Measurable"],
    ["achievable", "Achievable"],
    ["relevant", "Relevant"],
    ["timeBound", "Time-bound"],
  ] as const;
  return (
    <Stack gap={4} aria-label="SMART check">
      <Group gap={6}>
        {letters.map(([k, label]) => (
          <Badge key={k} color={goal.smart[k].pass ? "#237032" : "red.9"} variant="filled" size="sm">
            {label}: {goal.smart[k].pass ? "pass" : "fails"}
          </Badge>
        ))}
      </Group>
      {letters
        .flatMap(([k]) => goal.smart[k].reasons)
        .map((r) => (
          <Text key={r} size="xs">
            • {r}
          </Text>
        ))}
    </Stack>
  );
}

export function GoalPage() {
  const { goalId } = useParams({ from: "/app/goals/$goalId" });
  const { asOf } = useSearch({ from: "/app/goals/$goalId" });
  const navigate = useNavigate({ from: "/goals/$goalId" });
  const f = useFormat();
  const goal = useQuery(goalQuery(goalId, asOf));
  const explain = useExplain(goalId, asOf);
  const [showExplain, setShowExplain] = useState(false);
  const metric = useMetric(goal.data?.metricId);
  if (goal.isPending) return <Loading label="Loading goal…" />;
  if (goal.error) return <ErrorState error={goal.error} onRetry={() => goal.refetch()} />;
  const g = goal.data;
  const p = g.progress;
  const m = metric.data;
  const num = (v: number | null) => (m ? formatValue(f, v, m.unit, m.currencyCode) : formatNumber(f, v, 2));
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{g.title}</Title>
          <Group gap="xs">
            <StatusBadge status={p?.status} />
            <Badge variant="outline" color="gray.8">
              {g.state.replaceAll("_", " ")}
            </Badge>
            <Badge variant="outline" color="gray.8">
              {g.level}
            </Badge>
            <Text size="sm">
              Owner <PersonName id={g.ownerId} />
            </Text>
          </Group>
        </Stack>
        <Stack gap="xs" align="flex-end">
          <Group gap="xs" align="flex-end">
            <TextInput
              label="As of"
              type="date"
              size="xs"
              value={asOf ?? ""}
              max={todayIn(f)}
              onChange={(e) => navigate({ search: { asOf: e.currentTarget.value || undefined } })}
            />
            {asOf ? (
              <Button size="xs" variant="default" onClick={() => navigate({ search: { asOf: undefined } })}>
                Today
              </Button>
            ) : null}
          </Group>
          {g.abilities.edit && !asOf ? (
            <ButtonLink size="xs" variant="default" to="/goals/$goalId/edit" params={{ goalId: g.id }}>
              Edit goal
            </ButtonLink>
          ) : null}
        </Stack>
      </Group>
      {asOf ? (
        <Alert color="blue" variant="light" role="status">
          Showing the goal as it stood on {formatDay(f, asOf)} (version {g.version}).
        </Alert>
      ) : (
        <Transitions goal={g} />
      )}
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Paper withBorder p="md" component="section" aria-labelledby="chart-title">
            <Title order={2} size="h4" id="chart-title" mb="xs">
              Progress over the goal's window
            </Title>
            {explain.data && g.kind !== "milestone" && g.kind !== "rubric" ? (
              <Suspense fallback={<Loading label="Loading chart…" />}>
                <GoalChart
                  startDate={g.startDate}
                  dueDate={g.dueDate}
                  asOf={p?.asOf ?? asOf ?? todayIn(f)}
                  baseline={g.baselineValue}
                  target={g.targetValue}
                  threshold={g.thresholdValue}
                  stretch={g.stretchValue}
                  checkpoints={g.checkpoints}
                  aggregation={explain.data.inputs.aggregation}
                  measurements={explain.data.inputs.measurements}
                  formatValue={(v) => num(v)}
                  formatDay={(d) => formatDay(f, d)}
                />
              </Suspense>
            ) : explain.isPending ? (
              <Loading label="Loading chart…" />
            ) : (
              <Text size="sm">This goal has no metric to chart.</Text>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md" component="section" aria-labelledby="progress-title">
            <Title order={2} size="h4" id="progress-title" mb="xs">
              Progress
            </Title>
            <Stack gap="xs">
              <AttainmentBar attainment={p?.attainment} expected={p?.expected} status={p?.status} />
              <SimpleGrid cols={2} spacing="xs">
                <Field label="Attainment">{formatPercent(f, p?.attainment)}</Field>
                <Field label="Expected">{formatPercent(f, p?.expected)}</Field>
                <Field label="Pace">{formatNumber(f, p?.pace, 2)}</Field>
                <Field label="Score">{formatNumber(f, p?.score, 0)}</Field>
              </SimpleGrid>
              <Text size="xs" c="dimmed">
                As of {formatDay(f, p?.asOf)}
              </Text>
              <Button
                variant="light"
                size="xs"
                onClick={() => setShowExplain((s) => !s)}
                aria-expanded={showExplain}
                w="fit-content"
              >
                {showExplain ? "Hide explanation" : "Explain these figures"}
              </Button>
              <Collapse expanded={showExplain}>
                {explain.isPending ? (
                  <Loading />
                ) : explain.error ? (
                  <ErrorState error={explain.error} />
                ) : (
                  <ExplainPanel explain={explain.data} />
                )}
              </Collapse>
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>
      <Paper withBorder p="md" component="section" aria-labelledby="def-title">
        <Title order={2} size="h4" id="def-title" mb="xs">
          Definition
        </Title>
        <Stack gap="sm">
          <Field label="Specific outcome">{g.specificOutcome || "—"}</Field>
          <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
            <Field label="Kind">{g.kind}</Field>
            {g.metricId ? (
              <Field label="Metric">
                <AnchorLink to="/kpis/$metricId" params={{ metricId: g.metricId }}>
                  {m?.name ?? "metric"}
                </AnchorLink>
              </Field>
            ) : null}
            <Field label="Baseline">
              {num(g.baselineValue)} {g.baselinePeriod ? `(${g.baselinePeriod})` : ""}
            </Field>
            <Field label="Threshold">{num(g.thresholdValue)}</Field>
            <Field label="Target">{num(g.targetValue)}</Field>
            <Field label="Stretch">{num(g.stretchValue)}</Field>
            {g.kind === "range" ? (
              <Field label="Range">
                {num(g.rangeMin)} – {num(g.rangeMax)}
              </Field>
            ) : null}
            <Field label="Start">{formatDay(f, g.startDate)}</Field>
            <Field label="Due">{formatDay(f, g.dueDate)}</Field>
            <Field label="Review cadence">{g.reviewCadence}</Field>
            <Field label="Visibility">{g.visibility}</Field>
            <Field label="Rollup">{g.rollupMode.replaceAll("_", " ")}</Field>
          </SimpleGrid>
          {g.checkpoints.length > 0 ? (
            <Field label="Checkpoints">
              {g.checkpoints
                .map((c) => `${formatDay(f, c.date)}: ${formatPercent(f, c.expected)}`)
                .join(" · ")}
            </Field>
          ) : null}
          <Field label="Risks and assumptions">{g.riskAssumptions || "—"}</Field>
          <SmartSummary goal={g} />
        </Stack>
      </Paper>
      <Tabs defaultValue="checkins" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="checkins">Check-ins</Tabs.Tab>
          <Tabs.Tab value="alignment">Alignment</Tabs.Tab>
          <Tabs.Tab value="versions">Versions</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="checkins" pt="md">
          <Stack>
            {g.state === "active" && !asOf && g.abilities.edit ? (
              <Paper withBorder p="md">
                <CheckInForm goal={g} />
              </Paper>
            ) : null}
            <CheckInHistory goalId={g.id} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="alignment" pt="md">
          <Alignments goal={g} />
        </Tabs.Panel>
        <Tabs.Panel value="versions" pt="md">
          <Versions goalId={g.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
