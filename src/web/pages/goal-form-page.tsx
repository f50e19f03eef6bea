import { Alert, Button, Grid, Group, Paper, Stack, Text, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "@tanstack/react-router";
import { lazy, Suspense, useMemo, useState } from "react";
import { checkSmart } from "../../domain/smart.ts";
import { ApiError, api, must } from "../api/client.ts";
import { type Cycle, type Goal, goalQuery, useCurrentCycle } from "../api/hooks.ts";
import { useFormat, useMe } from "../app/session.ts";
import { ErrorState, Loading } from "../components/states.tsx";
import { formatDay, formatNumber } from "../lib/format.ts";
import { useAlignments } from "./goal/alignments.tsx";
import {
  draftFromGoal,
  emptyDraft,
  type GoalDraft,
  type Parent,
  smartFacts,
  toInput,
} from "./goal/goal-draft.ts";
import { GoalFields, type Metric } from "./goal/goal-form.tsx";
import { SmartPanel } from "./goal/smart-panel.tsx";

const GoalChart = lazy(() => import("../charts/goal-chart.tsx").then((m) => ({ default: m.GoalChart })));

function GoalEditor({ initial, cycle, goal }: { initial: GoalDraft; cycle: Cycle | null; goal?: Goal }) {
  const me = useMe();
  const f = useFormat();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(initial);
  const [metric, setMetric] = useState<Metric | null>(null);
  const [reason, setReason] = useState("");
  const set = <K extends keyof GoalDraft>(key: K, value: GoalDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const onMetric = (m: Metric | null) => {
    setMetric(m);
    // A metric from the library works as a template: fill what is still empty.
    if (m)
      setDraft((d) => ({
        ...d,
        title: d.title || m.name,
        baselinePeriod: d.baselinePeriod || (m.baselinePeriod ?? ""),
      }));
  };
  const existingMetric = useQuery({
    queryKey: ["metric", goal?.metricId],
    enabled: Boolean(goal?.metricId) && !metric,
    queryFn: async () =>
      must(await api.GET("/api/v1/metrics/{id}", { params: { path: { id: goal?.metricId ?? "" } } })),
  });
  const m = metric ?? existingMetric.data ?? null;
  const smart = useMemo(
    () =>
      checkSmart(
        smartFacts(draft, {
          ownerId: goal?.ownerId ?? me.id,
          direction: m?.direction ?? null,
          cycleStart: cycle?.startDate ?? null,
          cycleEnd: cycle?.endDate ?? null,
        }),
      ),
    [draft, m, cycle, goal, me.id],
  );
  const save = useMutation({
    mutationFn: async () => {
      const body = toInput(draft);
      let id: string;
      if (goal) {
        const changeReason = reason.trim() || undefined;
        await api.PATCH("/api/v1/goals/{id}", {
          params: { path: { id: goal.id } },
          body: { ...body, ...(changeReason ? { changeReason } : {}) },
        });
        id = goal.id;
      } else {
        id = must(await api.POST("/api/v1/goals", { body: { ...body, cycleId: cycle?.id ?? "" } })).id;
      }
      const before = new Set(initial.parents.map((p) => p.goalId));
      for (const p of draft.parents) {
        const old = initial.parents.find((x) => x.goalId === p.goalId);
        if (!old || old.weight !== p.weight) {
          await api.POST("/api/v1/goals/{id}/alignments", {
            params: { path: { id } },
            body: { parentId: p.goalId, weight: p.weight },
          });
        }
        before.delete(p.goalId);
      }
      for (const parentId of before) {
        await api.DELETE("/api/v1/goals/{id}/alignments/{parentId}", { params: { path: { id, parentId } } });
      }
      return id;
    },
    onSuccess: async (id) => {
      await qc.invalidateQueries({ queryKey: ["goals"] });
      await qc.invalidateQueries({ queryKey: ["goal", id] });
      await navigate({ to: "/goals/$goalId", params: { goalId: id }, search: { asOf: undefined } });
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const unplaced =
    err?.errors.filter(
      (e) =>
        ![
          "title",
          "specificOutcome",
          "level",
          "kind",
          "metricId",
          "baselineValue",
          "thresholdValue",
          "targetValue",
          "stretchValue",
          "baselinePeriod",
          "rangeMin",
          "rangeMax",
          "rubricLevels",
          "startDate",
          "dueDate",
          "parentId",
          "riskAssumptions",
        ].includes(e.field.split(".").at(-1) ?? ""),
    ) ?? [];
  return (
    <form
      noValidate
      aria-label={goal ? "Edit goal" : "New goal"}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <Grid>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <GoalFields draft={draft} set={set} error={err} cycleId={cycle?.id} onMetric={onMetric} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack>
              <SmartPanel smart={smart} />
              <Paper withBorder p="md" component="section" aria-labelledby="preview-title">
                <Title order={2} size="h5" id="preview-title">
                  Plan preview
                </Title>
                {draft.kind === "metric" && draft.targetValue !== null && draft.startDate && draft.dueDate ? (
                  <Suspense fallback={<Loading label="Loading chart…" />}>
                    <GoalChart
                      startDate={draft.startDate}
                      dueDate={draft.dueDate}
                      asOf={draft.startDate}
                      baseline={draft.baselineValue}
                      target={draft.targetValue}
                      threshold={draft.thresholdValue}
                      stretch={draft.stretchValue}
                      checkpoints={draft.checkpoints}
                      aggregation={m?.aggregation ?? null}
                      measurements={[]}
                      formatValue={(v) => formatNumber(f, v, 2)}
                      formatDay={(d) => formatDay(f, d)}
                    />
                  </Suspense>
                ) : (
                  <Text size="sm">Set a target and dates to see the plan curve.</Text>
                )}
              </Paper>
            </Stack>
          </Grid.Col>
        </Grid>
        {goal && goal.state === "active" ? (
          <Textarea
            label="Why this change"
            description="Required for an active goal; kept in its version history"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={err?.fieldError("changeReason")}
          />
        ) : null}
        {err && (err.errors.length === 0 || unplaced.length > 0) ? (
          <Alert color="red" role="alert" variant="light" title="Not saved">
            {err.errors.length === 0
              ? err.message
              : unplaced.map((e) => `${e.field}: ${e.message}`).join("; ")}
          </Alert>
        ) : null}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {goal ? "Save changes" : "Create goal"}
          </Button>
          {!smart.pass ? (
            <Text size="sm">
              A goal that fails its SMART check can be saved as a draft, but not activated.
            </Text>
          ) : null}
        </Group>
      </Stack>
    </form>
  );
}

export function NewGoalPage() {
  const cycle = useCurrentCycle();
  if (cycle.isPending) return <Loading />;
  if (cycle.error) return <ErrorState error={cycle.error} onRetry={() => cycle.refetch()} />;
  return (
    <Stack>
      <Title order={1}>New goal</Title>
      <GoalEditor initial={emptyDraft(cycle.data)} cycle={cycle.data} />
    </Stack>
  );
}

export function EditGoalPage() {
  const { goalId } = useParams({ from: "/app/goals/$goalId/edit" });
  const goal = useQuery(goalQuery(goalId));
  const links = useAlignments(goalId);
  const cycle = useQuery({
    queryKey: ["cycle", goal.data?.cycleId],
    enabled: Boolean(goal.data),
    queryFn: async () =>
      must(await api.GET("/api/v1/cycles/{id}", { params: { path: { id: goal.data?.cycleId ?? "" } } })),
  });
  if (goal.isPending || links.isPending || cycle.isPending) return <Loading label="Loading goal…" />;
  if (goal.error || links.error || cycle.error)
    return <ErrorState error={goal.error ?? links.error ?? cycle.error} />;
  const parents: Parent[] = links.data.up.map((l) => ({
    goalId: l.goalId,
    title: l.title,
    weight: l.weight,
  }));
  return (
    <Stack>
      <Title order={1}>Edit goal</Title>
      <GoalEditor initial={draftFromGoal(goal.data, parents)} cycle={cycle.data} goal={goal.data} />
    </Stack>
  );
}
