import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type ApiError, api, must, type Schemas } from "../../api/client.ts";
import type { GoalDraft, Parent } from "./goal-draft.ts";

export type Metric = Schemas["Metric"];
type Set = <K extends keyof GoalDraft>(key: K, value: GoalDraft[K]) => void;

const num = (v: string | number): number | null => (v === "" || v === null ? null : Number(v));
const LEVELS = ["company", "unit", "team", "individual"].map((v) => ({ value: v, label: v }));
const KINDS = [
  { value: "metric", label: "Metric from the KPI library" },
  { value: "range", label: "Keep a metric within a range" },
  { value: "milestone", label: "Milestone (done or not)" },
  { value: "rubric", label: "Rubric (qualitative levels)" },
  { value: "rollup", label: "Roll up supporting goals" },
];

export function useMetricSearch(q: string) {
  return useQuery({
    queryKey: ["metrics", "search", q],
    queryFn: async () =>
      must(await api.GET("/api/v1/metrics", { params: { query: { limit: 30, ...(q ? { q } : {}) } } })).items,
  });
}

export function MetricPicker({
  draft,
  set,
  error,
  onMetric,
}: {
  draft: GoalDraft;
  set: Set;
  error?: string;
  onMetric: (m: Metric | null) => void;
}) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const metrics = useMetricSearch(q);
  const selected = useQuery({
    queryKey: ["metric", draft.metricId],
    enabled: Boolean(draft.metricId),
    queryFn: async () =>
      must(await api.GET("/api/v1/metrics/{id}", { params: { path: { id: draft.metricId ?? "" } } })),
  });
  const list = [...(metrics.data ?? [])];
  if (selected.data && !list.some((m) => m.id === selected.data.id)) list.unshift(selected.data);
  return (
    <Select
      label="Metric"
      description="From the KPI library; picking one fills the goal from its definition"
      placeholder="Search metrics"
      searchable
      clearable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      data={list.map((m) => ({ value: m.id, label: `${m.name} (${m.unit}, ${m.direction})` }))}
      value={draft.metricId}
      onChange={(id) => {
        set("metricId", id);
        onMetric(list.find((m) => m.id === id) ?? null);
      }}
      error={error}
      nothingFoundMessage={metrics.isFetching ? "Searching…" : "No metric found"}
    />
  );
}

function ParentPicker({
  draft,
  set,
  cycleId,
  error,
}: {
  draft: GoalDraft;
  set: Set;
  cycleId: string | undefined;
  error?: string;
}) {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 250);
  const goals = useQuery({
    queryKey: ["goals", "search", cycleId, q],
    enabled: Boolean(cycleId),
    queryFn: async () =>
      must(await api.GET("/api/v1/goals", { params: { query: { cycleId, limit: 20, ...(q ? { q } : {}) } } }))
        .items,
  });
  const options = (goals.data ?? []).filter((g) => !draft.parents.some((p) => p.goalId === g.id));
  const update = (i: number, p: Partial<Parent>) =>
    set(
      "parents",
      draft.parents.map((x, j) => (j === i ? { ...x, ...p } : x)),
    );
  return (
    <Stack gap="xs">
      <Select
        label="Supports (parent goals)"
        description="A goal can support several goals; each link has a weight"
        placeholder="Search goals to align under"
        searchable
        searchValue={search}
        onSearchChange={setSearch}
        filter={({ options: o }) => o}
        data={options.map((g) => ({ value: g.id, label: g.title }))}
        value={null}
        onChange={(id) => {
          const g = options.find((x) => x.id === id);
          if (g) set("parents", [...draft.parents, { goalId: g.id, title: g.title, weight: 1 }]);
          setSearch("");
        }}
        error={error}
        nothingFoundMessage={goals.isFetching ? "Searching…" : "No goal found"}
      />
      {draft.parents.map((p, i) => (
        <Group key={p.goalId} gap="xs" wrap="nowrap" align="flex-end">
          <Text size="sm" style={{ flex: 1 }}>
            {p.title}
          </Text>
          <NumberInput
            label={`Weight for ${p.title}`}
            hideControls
            size="xs"
            w={90}
            min={0.01}
            value={p.weight}
            onChange={(v) => update(i, { weight: Number(v) || 1 })}
          />
          <Button
            size="xs"
            variant="default"
            onClick={() =>
              set(
                "parents",
                draft.parents.filter((_, j) => j !== i),
              )
            }
            aria-label={`Remove ${p.title}`}
          >
            Remove
          </Button>
        </Group>
      ))}
    </Stack>
  );
}

function Checkpoints({ draft, set }: { draft: GoalDraft; set: Set }) {
  const update = (i: number, c: Partial<{ date: string; expected: number }>) =>
    set(
      "checkpoints",
      draft.checkpoints.map((x, j) => (j === i ? { ...x, ...c } : x)),
    );
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        Checkpoints (expected share of the target by a date)
      </Text>
      {draft.checkpoints.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: checkpoints have no id; position is their identity while editing
        <Group key={i} gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            label={`Checkpoint ${i + 1} date`}
            type="date"
            size="xs"
            value={c.date}
            onChange={(e) => update(i, { date: e.currentTarget.value })}
          />
          <NumberInput
            label="Expected %"
            size="xs"
            w={110}
            min={0}
            max={100}
            value={Math.round(c.expected * 100)}
            onChange={(v) => update(i, { expected: (Number(v) || 0) / 100 })}
          />
          <ActionIcon
            variant="default"
            size="lg"
            onClick={() =>
              set(
                "checkpoints",
                draft.checkpoints.filter((_, j) => j !== i),
              )
            }
            aria-label={`Remove checkpoint ${i + 1}`}
          >
            ×
          </ActionIcon>
        </Group>
      ))}
      <Button
        size="xs"
        variant="default"
        w="fit-content"
        onClick={() => set("checkpoints", [...draft.checkpoints, { date: draft.startDate, expected: 0.5 }])}
      >
        Add checkpoint
      </Button>
    </Stack>
  );
}

/** Every field of a goal; errors from the API appear next to the field they name. */
export function GoalFields({
  draft,
  set,
  error,
  cycleId,
  onMetric,
}: {
  draft: GoalDraft;
  set: Set;
  error: ApiError | null;
  cycleId: string | undefined;
  onMetric: (m: Metric | null) => void;
}) {
  const e = (f: string) => error?.fieldError(f);
  const measured = draft.kind === "metric" || draft.kind === "range";
  return (
    <Stack>
      <Paper withBorder p="md" component="fieldset">
        <Title order={2} size="h5" component="legend">
          What
        </Title>
        <Stack gap="sm">
          <TextInput
            label="Title"
            required
            value={draft.title}
            onChange={(ev) => set("title", ev.currentTarget.value)}
            error={e("title")}
          />
          <Textarea
            label="Specific outcome"
            description="What will be true when the goal is met, and how it is measured"
            autosize
            minRows={2}
            value={draft.specificOutcome}
            onChange={(ev) => set("specificOutcome", ev.currentTarget.value)}
            error={e("specificOutcome")}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label="Level"
              data={LEVELS}
              value={draft.level}
              onChange={(v) => v && set("level", v as GoalDraft["level"])}
              allowDeselect={false}
              error={e("level")}
            />
            <Select
              label="Kind"
              data={KINDS}
              value={draft.kind}
              onChange={(v) => v && set("kind", v as GoalDraft["kind"])}
              allowDeselect={false}
              error={e("kind")}
            />
          </SimpleGrid>
          {measured ? (
            <MetricPicker draft={draft} set={set} error={e("metricId")} onMetric={onMetric} />
          ) : null}
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="fieldset">
        <Title order={2} size="h5" component="legend">
          How much, by when
        </Title>
        <Stack gap="sm">
          {draft.kind === "metric" ? (
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <NumberInput
                label="Baseline"
                value={draft.baselineValue ?? ""}
                onChange={(v) => set("baselineValue", num(v))}
                error={e("baselineValue")}
              />
              <NumberInput
                label="Threshold"
                value={draft.thresholdValue ?? ""}
                onChange={(v) => set("thresholdValue", num(v))}
                error={e("thresholdValue")}
              />
              <NumberInput
                label="Target"
                value={draft.targetValue ?? ""}
                onChange={(v) => set("targetValue", num(v))}
                error={e("targetValue")}
              />
              <NumberInput
                label="Stretch"
                value={draft.stretchValue ?? ""}
                onChange={(v) => set("stretchValue", num(v))}
                error={e("stretchValue")}
              />
            </SimpleGrid>
          ) : null}
          {draft.kind === "metric" ? (
            <TextInput
              label="Baseline period"
              placeholder="e.g. 2025"
              value={draft.baselinePeriod}
              onChange={(ev) => set("baselinePeriod", ev.currentTarget.value)}
              error={e("baselinePeriod")}
            />
          ) : null}
          {draft.kind === "range" ? (
            <SimpleGrid cols={2}>
              <NumberInput
                label="Range minimum"
                value={draft.rangeMin ?? ""}
                onChange={(v) => set("rangeMin", num(v))}
                error={e("rangeMin")}
              />
              <NumberInput
                label="Range maximum"
                value={draft.rangeMax ?? ""}
                onChange={(v) => set("rangeMax", num(v))}
                error={e("rangeMax")}
              />
            </SimpleGrid>
          ) : null}
          {draft.kind === "rubric" ? (
            <NumberInput
              label="Rubric levels"
              min={2}
              max={20}
              value={draft.rubricLevels ?? ""}
              onChange={(v) => set("rubricLevels", num(v))}
              error={e("rubricLevels")}
            />
          ) : null}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Start date"
              type="date"
              value={draft.startDate}
              onChange={(ev) => set("startDate", ev.currentTarget.value)}
              error={e("startDate")}
            />
            <TextInput
              label="Due date"
              type="date"
              value={draft.dueDate}
              onChange={(ev) => set("dueDate", ev.currentTarget.value)}
              error={e("dueDate")}
            />
          </SimpleGrid>
          <Checkpoints draft={draft} set={set} />
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="fieldset">
        <Title order={2} size="h5" component="legend">
          Alignment and review
        </Title>
        <Stack gap="sm">
          <ParentPicker draft={draft} set={set} cycleId={cycleId} error={e("parentId")} />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label="Review cadence"
              data={["weekly", "biweekly", "monthly", "quarterly"]}
              value={draft.reviewCadence}
              onChange={(v) => v && set("reviewCadence", v as GoalDraft["reviewCadence"])}
              allowDeselect={false}
            />
            <Select
              label="Visibility"
              data={["public", "unit", "private"]}
              value={draft.visibility}
              onChange={(v) => v && set("visibility", v as GoalDraft["visibility"])}
              allowDeselect={false}
            />
            <Select
              label="Rollup"
              data={[
                { value: "weighted_mean", label: "weighted mean" },
                { value: "weakest", label: "weakest" },
                { value: "own_metric", label: "own metric" },
              ]}
              value={draft.rollupMode}
              onChange={(v) => v && set("rollupMode", v as GoalDraft["rollupMode"])}
              allowDeselect={false}
            />
          </SimpleGrid>
          <Textarea
            label="Risks and assumptions"
            autosize
            minRows={2}
            value={draft.riskAssumptions}
            onChange={(ev) => set("riskAssumptions", ev.currentTarget.value)}
            error={e("riskAssumptions")}
          />
        </Stack>
      </Paper>
    </Stack>
  );
}
