import { Group, Paper, Select, Stack, Table, Text, TextInput, Title, UnstyledButton } from "@mantine/core";
import { useInfiniteQuery, useQueries } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api, must } from "../api/client.ts";
import { type Goal, type Person, useCurrentCycle } from "../api/hooks.ts";
import { useFormat, useMe } from "../app/session.ts";
import { useLastCheckIn } from "../components/goal-card.tsx";
import { GoalLink } from "../components/links.tsx";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { STATUSES, StatusBadge, statusLabel } from "../components/status.tsx";
import { nextCheckInDue } from "../lib/cadence.ts";
import { formatDay, formatPercent, todayIn } from "../lib/format.ts";

const SEVERITY: Record<string, number> = {
  off_track: 0,
  at_risk: 1,
  no_data: 2,
  not_started: 3,
  on_track: 4,
};
type Row = { person: Person; goal: Goal };
type SortKey = "status" | "person" | "goal" | "attainment";

function CheckInCell({ goal }: { goal: Goal }) {
  const f = useFormat();
  const last = useLastCheckIn(goal.id);
  if (last.isPending) return <Text size="sm">…</Text>;
  const due = nextCheckInDue(goal.reviewCadence, last.data?.date ?? null, goal.startDate);
  const overdue = goal.state === "active" && due <= todayIn(f);
  return (
    <Text size="sm" c={overdue ? "red.9" : undefined} fw={overdue ? 600 : undefined}>
      {last.data ? formatDay(f, last.data.date) : "never"}
      {overdue ? " · overdue" : ""}
    </Text>
  );
}

export function TeamPage() {
  const me = useMe();
  const f = useFormat();
  const cycle = useCurrentCycle();
  const [status, setStatus] = useState<string | null>(null);
  const [text, setText] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "status", desc: false });
  const reports = useInfiniteQuery({
    queryKey: ["people", "reports", me.id],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(
        await api.GET("/api/v1/people", {
          params: { query: { managerId: me.id, active: "true", limit: 50, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const people = reports.data?.pages.flatMap((p) => p.items) ?? [];
  const goals = useQueries({
    queries: people.map((p) => ({
      queryKey: ["goals", "owner", p.id, cycle.data?.id],
      enabled: cycle.isSuccess,
      queryFn: async () =>
        must(
          await api.GET("/api/v1/goals", {
            params: { query: { ownerId: p.id, cycleId: cycle.data?.id, limit: 100 } },
          }),
        ).items,
    })),
  });
  const rows = useMemo(() => {
    const out: Row[] = [];
    people.forEach((person, i) => {
      for (const goal of goals[i]?.data ?? []) out.push({ person, goal });
    });
    const q = text.trim().toLowerCase();
    const kept = out.filter(
      (r) =>
        (!status || (r.goal.progress?.status ?? "no_data") === status) &&
        (!q || r.person.name.toLowerCase().includes(q) || r.goal.title.toLowerCase().includes(q)),
    );
    const value = (r: Row): string | number => {
      switch (sort.key) {
        case "status":
          return SEVERITY[r.goal.progress?.status ?? "no_data"] ?? 5;
        case "person":
          return r.person.name;
        case "goal":
          return r.goal.title;
        case "attainment":
          return r.goal.progress?.attainment ?? -1;
        default: {
          const never: never = sort.key;
          return never;
        }
      }
    };
    return kept.sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.desc ? -c : c;
    });
  }, [people, goals, status, text, sort]);
  const loadingGoals = goals.some((g) => g.isPending);
  const header = (key: SortKey, label: string) => (
    <Table.Th aria-sort={sort.key === key ? (sort.desc ? "descending" : "ascending") : "none"}>
      <UnstyledButton
        fw={700}
        fz="sm"
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}
      >
        {label} {sort.key === key ? (sort.desc ? "↓" : "↑") : ""}
      </UnstyledButton>
    </Table.Th>
  );
  return (
    <Stack>
      <div>
        <Title order={1}>Team</Title>
        <Text size="sm" c="dimmed">
          Your direct reports' goals in {cycle.data ? `cycle ${cycle.data.name}` : "the current cycle"}, with
          off-track goals first.
        </Text>
      </div>
      <Group align="flex-end">
        <TextInput
          label="Filter"
          placeholder="Person or goal"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          w={240}
        />
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          value={status}
          onChange={setStatus}
          w={200}
        />
      </Group>
      {reports.isPending || cycle.isPending ? (
        <Loading label="Loading your team…" />
      ) : reports.error ? (
        <ErrorState error={reports.error} onRetry={() => reports.refetch()} />
      ) : people.length === 0 ? (
        <Empty title="No direct reports">Nobody reports to you in Yardstick.</Empty>
      ) : (
        <Paper withBorder p="sm">
          {loadingGoals ? <Loading label="Loading goals…" /> : null}
          <ScrollX label="Team goals" minWidth={760}>
            <Table fz="sm" striped aria-label="Team goals">
              <Table.Thead>
                <Table.Tr>
                  {header("person", "Person")}
                  {header("goal", "Goal")}
                  {header("status", "Status")}
                  {header("attainment", "Attainment")}
                  <Table.Th>Expected</Table.Th>
                  <Table.Th>Last check-in</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.goal.id}>
                    <Table.Td>{r.person.name}</Table.Td>
                    <Table.Td>
                      <GoalLink id={r.goal.id}>{r.goal.title}</GoalLink>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={r.goal.progress?.status} />
                    </Table.Td>
                    <Table.Td>{formatPercent(f, r.goal.progress?.attainment)}</Table.Td>
                    <Table.Td>{formatPercent(f, r.goal.progress?.expected)}</Table.Td>
                    <Table.Td>
                      <CheckInCell goal={r.goal} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          {!loadingGoals && rows.length === 0 ? <Empty title="No goals match the filter" /> : null}
        </Paper>
      )}
    </Stack>
  );
}
