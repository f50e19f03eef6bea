import { Alert, Button, Group, List, NumberInput, Select, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, must } from "../../api/client.ts";
import type { Goal } from "../../api/hooks.ts";
import { useFormat } from "../../app/session.ts";
import { GoalLink } from "../../components/links.tsx";
import { ErrorState, Loading } from "../../components/states.tsx";
import { formatNumber } from "../../lib/format.ts";

export function useAlignments(goalId: string) {
  return useQuery({
    queryKey: ["goal", goalId, "alignments"],
    queryFn: async () =>
      must(await api.GET("/api/v1/goals/{id}/alignments", { params: { path: { id: goalId } } })),
  });
}

/** What this goal supports (up, with weights) and what supports it (down). */
export function Alignments({ goal }: { goal: Goal }) {
  const f = useFormat();
  const q = useAlignments(goal.id);
  const qc = useQueryClient();
  const unlink = useMutation({
    mutationFn: async (parentId: string) =>
      api.DELETE("/api/v1/goals/{id}/alignments/{parentId}", { params: { path: { id: goal.id, parentId } } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["goal", goal.id] }),
  });
  if (q.isPending) return <Loading label="Loading alignment…" />;
  if (q.error) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  return (
    <Stack gap="sm">
      <div>
        <Title order={3} size="h5">
          Supports (up)
        </Title>
        {q.data.up.length === 0 ? (
          <Text size="sm">This goal supports no other goal yet.</Text>
        ) : (
          <List size="sm" aria-label="Goals this goal supports">
            {q.data.up.map((l) => (
              <List.Item key={l.goalId}>
                <GoalLink id={l.goalId}>{l.title}</GoalLink> · {l.level} · weight{" "}
                {formatNumber(f, l.weight, 2)}
                {goal.abilities.align ? (
                  <Button
                    variant="subtle"
                    size="compact-xs"
                    ml="xs"
                    onClick={() => unlink.mutate(l.goalId)}
                    aria-label={`Remove alignment to ${l.title}`}
                  >
                    Remove
                  </Button>
                ) : null}
              </List.Item>
            ))}
          </List>
        )}
      </div>
      <div>
        <Title order={3} size="h5">
          Supported by (down)
        </Title>
        {q.data.down.length === 0 ? (
          <Text size="sm">No goal supports this one yet.</Text>
        ) : (
          <List size="sm" aria-label="Goals that support this goal">
            {q.data.down.map((l) => (
              <List.Item key={l.goalId}>
                <GoalLink id={l.goalId}>{l.title}</GoalLink> · {l.level} · weight{" "}
                {formatNumber(f, l.weight, 2)}
              </List.Item>
            ))}
          </List>
        )}
      </div>
      {goal.abilities.align ? <AlignForm goal={goal} /> : null}
    </Stack>
  );
}

/** Pick a parent goal by searching titles (server-side), give a weight, and link. */
function AlignForm({ goal }: { goal: Goal }) {
  const qc = useQueryClient();
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [parentId, setParentId] = useState<string | null>(null);
  const [weight, setWeight] = useState<string | number>(1);
  const options = useQuery({
    queryKey: ["goals", "search", goal.cycleId, debounced],
    queryFn: async () =>
      must(
        await api.GET("/api/v1/goals", {
          params: {
            query: { cycleId: goal.cycleId, limit: 20, ...(debounced.trim() ? { q: debounced.trim() } : {}) },
          },
        }),
      ).items.filter((g) => g.id !== goal.id),
  });
  const align = useMutation({
    mutationFn: async () =>
      must(
        await api.POST("/api/v1/goals/{id}/alignments", {
          params: { path: { id: goal.id } },
          body: { parentId: parentId ?? "", weight: Number(weight) },
        }),
      ),
    onSuccess: async () => {
      setParentId(null);
      setSearch("");
      await qc.invalidateQueries({ queryKey: ["goal", goal.id] });
      await qc.invalidateQueries({ queryKey: ["goals"] });
    },
  });
  const err = align.error instanceof ApiError ? align.error : null;
  return (
    <Stack
      component="form"
      gap="xs"
      aria-label="Align under a goal"
      onSubmit={(e) => {
        e.preventDefault();
        align.mutate();
      }}
    >
      <Group align="flex-end" grow>
        <Select
          label="Align under"
          placeholder="Search goals by title"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          data={(options.data ?? []).map((g) => ({ value: g.id, label: g.title }))}
          value={parentId}
          onChange={setParentId}
          filter={({ options: o }) => o}
          nothingFoundMessage={options.isFetching ? "Searching…" : "No goal found"}
          error={err?.fieldError("parentId")}
        />
        <NumberInput
          label="Weight"
          min={0.01}
          step={0.5}
          value={weight}
          onChange={setWeight}
          error={err?.fieldError("weight")}
          maw={120}
        />
      </Group>
      {err && err.errors.length === 0 ? (
        <Alert color="red" role="alert" variant="light">
          {err.message}
        </Alert>
      ) : null}
      <Button type="submit" variant="light" disabled={!parentId} loading={align.isPending} w="fit-content">
        Align
      </Button>
    </Stack>
  );
}
