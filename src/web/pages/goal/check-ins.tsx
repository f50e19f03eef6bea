import {
  Alert,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Slider,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, must } from "../../api/client.ts";
import type { Goal } from "../../api/hooks.ts";
import { useFormat } from "../../app/session.ts";
import { PersonName } from "../../components/person-name.tsx";
import { ScrollX } from "../../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../../components/states.tsx";
import { formatDay, formatNumber, todayIn } from "../../lib/format.ts";

export function CheckInHistory({ goalId }: { goalId: string }) {
  const f = useFormat();
  const q = useInfiniteQuery({
    queryKey: ["goal", goalId, "check-ins", "pages"],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(
        await api.GET("/api/v1/goals/{id}/check-ins", {
          params: { path: { id: goalId }, query: { limit: 10, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (q.isPending) return <Loading label="Loading check-ins…" />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  const items = q.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <Empty title="No check-ins yet" />;
  return (
    <Stack gap="xs">
      <ScrollX label="Check-in history" minWidth={520}>
        <Table fz="sm" striped aria-label="Check-in history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th ta="right">Value</Table.Th>
              <Table.Th ta="right">Confidence</Table.Th>
              <Table.Th>Narrative</Table.Th>
              <Table.Th>Blockers</Table.Th>
              <Table.Th>By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{formatDay(f, c.date)}</Table.Td>
                <Table.Td ta="right">
                  {c.value !== null
                    ? formatNumber(f, c.value, 2)
                    : c.milestoneDone !== null
                      ? c.milestoneDone
                        ? "done"
                        : "not done"
                      : (c.rubricLevel ?? "—")}
                </Table.Td>
                <Table.Td ta="right">{c.confidence}/10</Table.Td>
                <Table.Td>{c.narrative || "—"}</Table.Td>
                <Table.Td>{c.blockers || "—"}</Table.Td>
                <Table.Td>
                  <PersonName id={c.authorId} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
      {q.hasNextPage ? (
        <Button
          variant="default"
          size="xs"
          onClick={() => q.fetchNextPage()}
          loading={q.isFetchingNextPage}
          w="fit-content"
        >
          Older check-ins
        </Button>
      ) : null}
    </Stack>
  );
}

export function CheckInForm({ goal }: { goal: Goal }) {
  const f = useFormat();
  const qc = useQueryClient();
  const today = todayIn(f);
  const [date, setDate] = useState([today, goal.dueDate].sort()[0] ?? today);
  const [value, setValue] = useState<string | number>("");
  const [confidence, setConfidence] = useState(7);
  const [done, setDone] = useState(false);
  const [level, setLevel] = useState<string | number>("");
  const [narrative, setNarrative] = useState("");
  const [blockers, setBlockers] = useState("");
  // Only manual metrics take a value in a check-in; imported ones arrive as measurements.
  const metric = useQuery({
    queryKey: ["metric", goal.metricId],
    enabled: Boolean(goal.metricId),
    queryFn: async () =>
      must(await api.GET("/api/v1/metrics/{id}", { params: { path: { id: goal.metricId ?? "" } } })),
    staleTime: 10 * 60_000,
  });
  const takesValue =
    (goal.kind === "metric" || goal.kind === "range") && metric.data?.calculation === "manual";
  const save = useMutation({
    mutationFn: async () =>
      must(
        await api.POST("/api/v1/goals/{id}/check-ins", {
          params: { path: { id: goal.id } },
          body: {
            date,
            confidence,
            narrative,
            blockers,
            ...(takesValue && value !== "" ? { value: Number(value) } : {}),
            ...(goal.kind === "milestone" ? { milestoneDone: done } : {}),
            ...(goal.kind === "rubric" && level !== "" ? { rubricLevel: Number(level) } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setValue("");
      setNarrative("");
      setBlockers("");
      await qc.invalidateQueries({ queryKey: ["goal", goal.id] });
      await qc.invalidateQueries({ queryKey: ["goals"] });
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  return (
    <Stack
      component="form"
      gap="sm"
      aria-labelledby="checkin-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Title order={3} size="h5" id="checkin-form-title">
        Record a check-in
      </Title>
      <Group grow align="flex-start">
        <TextInput
          label="Date"
          type="date"
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
          error={err?.fieldError("date")}
          required
        />
        {takesValue ? (
          <NumberInput
            label="Current value"
            value={value}
            onChange={setValue}
            error={err?.fieldError("value")}
            decimalScale={4}
          />
        ) : null}
        {goal.kind === "rubric" ? (
          <NumberInput
            label={`Level reached (1–${goal.rubricLevels ?? "?"})`}
            min={1}
            max={goal.rubricLevels ?? 20}
            value={level}
            onChange={setLevel}
            error={err?.fieldError("rubricLevel")}
          />
        ) : null}
      </Group>
      {goal.kind === "milestone" ? (
        <Checkbox
          label="Milestone done"
          checked={done}
          onChange={(e) => setDone(e.currentTarget.checked)}
          error={err?.fieldError("milestoneDone")}
        />
      ) : null}
      <div>
        <Text size="sm" fw={500} id="confidence-label">
          Confidence: {confidence} of 10
        </Text>
        <Slider
          min={0}
          max={10}
          step={1}
          value={confidence}
          onChange={setConfidence}
          thumbLabel="Confidence"
          aria-labelledby="confidence-label"
          label={null}
        />
        {err?.fieldError("confidence") ? (
          <Text c="red.9" size="xs">
            {err.fieldError("confidence")}
          </Text>
        ) : null}
      </div>
      <Textarea
        label="What happened"
        value={narrative}
        onChange={(e) => setNarrative(e.currentTarget.value)}
        error={err?.fieldError("narrative")}
        autosize
        minRows={2}
      />
      <Textarea
        label="Blockers"
        value={blockers}
        onChange={(e) => setBlockers(e.currentTarget.value)}
        error={err?.fieldError("blockers")}
        autosize
        minRows={1}
      />
      {err && err.errors.length === 0 ? (
        <Alert color="red" role="alert" variant="light">
          {err.message}
        </Alert>
      ) : null}
      {save.isSuccess ? (
        <Text size="sm" role="status" c="#237032">
          Check-in recorded.
        </Text>
      ) : null}
      <Button type="submit" loading={save.isPending} w="fit-content">
        Save check-in
      </Button>
    </Stack>
  );
}
