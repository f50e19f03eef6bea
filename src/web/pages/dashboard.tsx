import { Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { lazy, Suspense, useMemo, useState } from "react";
import { api, must } from "../api/client.ts";
import {
  type Cycle,
  type Goal,
  type GoalsQuery,
  useAllGoals,
  useCurrentCycle,
  useGoalPages,
  useUnits,
} from "../api/hooks.ts";
import { useFormat } from "../app/session.ts";
import { GoalTable } from "../components/goal-table.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { STATUSES, statusLabel } from "../components/status.tsx";
import { formatDay, formatPercent } from "../lib/format.ts";
import { ancestorsOf, childOnPath } from "../lib/units.ts";

const charts = () => import("../charts/dashboard-charts.tsx");
const StatusDistributionChart = lazy(() => charts().then((m) => ({ default: m.StatusDistributionChart })));
const OnTrackTrendChart = lazy(() => charts().then((m) => ({ default: m.OnTrackTrendChart })));
const UnitHeatmap = lazy(() => charts().then((m) => ({ default: m.UnitHeatmap })));
const LEVELS = ["company", "unit", "team", "individual"] as const;

/** What the dashboard reads; the route's loader starts these requests while the page's code loads. */
export const dashboardGoals = (cycleId: string | undefined): GoalsQuery => ({ cycleId, state: "active" });

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="sm">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  );
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The on-track share at each month end of the cycle, computed by the server in one request. */
function useOnTrackTrend(cycle: Cycle | null | undefined, unitId: string | undefined, wanted: boolean) {
  return useQuery({
    queryKey: ["goals", "on-track-trend", cycle?.id, unitId ?? "all"],
    enabled: Boolean(cycle) && wanted,
    staleTime: 5 * 60_000,
    queryFn: async () =>
      must(
        await api.GET("/api/v1/goals/on-track-trend", {
          params: { query: { cycleId: cycle?.id ?? "", ...(unitId ? { unitId } : {}) } },
        }),
      ).items.map((p) => ({ date: p.date, share: p.share })),
  });
}

export function DashboardPage() {
  const { unitId } = useSearch({ from: "/app/dashboard" });
  const navigate = useNavigate({ from: "/dashboard" });
  const f = useFormat();
  const cycle = useCurrentCycle();
  const units = useUnits();
  const all = useAllGoals(dashboardGoals(cycle.data?.id), cycle.isSuccess);
  const [listStatus, setListStatus] = useState<string>("off_track");
  const list = useGoalPages(
    { cycleId: cycle.data?.id, status: listStatus as "off_track", limit: 20, ...(unitId ? { unitId } : {}) },
    cycle.isSuccess,
  );

  const view = useMemo(() => {
    if (!all.data || !units.data) return null;
    const anc = ancestorsOf(units.data);
    const inScope = (g: Goal) =>
      !unitId || (g.unitId !== null && (g.unitId === unitId || (anc.get(g.unitId) ?? []).includes(unitId)));
    const goals = all.data.filter(inScope);
    const counts = STATUSES.map((s) => ({
      status: s,
      count: goals.filter((g) => (g.progress?.status ?? "no_data") === s).length,
    })).filter((c) => c.count > 0);
    // Rows: the units one level below the selected unit (or below the top of the tree).
    const rowIds = new Map<string, number>();
    const rows: { id: string; name: string }[] = [];
    const cellsAcc = new Map<string, { sum: number; n: number; total: number }>();
    for (const g of goals) {
      if (!g.unitId) continue;
      const row = childOnPath(anc, unitId ?? null, g.unitId);
      if (!row) continue;
      if (!rowIds.has(row)) {
        rowIds.set(row, rows.length);
        rows.push({ id: row, name: units.data.find((u) => u.id === row)?.name ?? "?" });
      }
      const key = `${LEVELS.indexOf(g.level)}:${rowIds.get(row)}`;
      const c = cellsAcc.get(key) ?? { sum: 0, n: 0, total: 0 };
      c.total++;
      if (g.progress?.attainment !== null && g.progress?.attainment !== undefined) {
        c.sum += Math.min(g.progress.attainment, 1.5);
        c.n++;
      }
      cellsAcc.set(key, c);
    }
    const cells = [...cellsAcc.entries()].map(([k, c]) => {
      const [x, y] = k.split(":").map(Number);
      return [x ?? 0, y ?? 0, c.n ? c.sum / c.n : null, c.total] as [number, number, number | null, number];
    });
    const onTrack = goals.filter(
      (g) => g.progress?.status === "on_track" || g.progress?.status === "achieved",
    ).length;
    return {
      inScope,
      goals,
      counts,
      rows,
      cells,
      onTrackShare: goals.length ? onTrack / goals.length : null,
      meanAttainment: mean(
        goals.flatMap((g) =>
          (g.progress?.attainment ?? null) === null ? [] : [Math.min(g.progress?.attainment ?? 0, 1.5)],
        ),
      ),
      meanExpected: mean(goals.map((g) => g.progress?.expected ?? 0)),
    };
  }, [all.data, units.data, unitId]);

  // The trend is a full computation per month end on the server: only on request.
  const [wantTrend, setWantTrend] = useState(false);
  const trend = useOnTrackTrend(cycle.data, unitId, wantTrend);
  const unitOptions = (units.data ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.kind})` }));
  const fp = (v: number) => formatPercent(f, v);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Dashboard</Title>
          <Text size="sm" c="dimmed">
            {cycle.data ? `Cycle ${cycle.data.name}, active goals` : ""}
          </Text>
        </div>
        <Select
          label="Unit"
          placeholder="Whole organisation"
          data={unitOptions}
          value={unitId ?? null}
          onChange={(v) => navigate({ search: { unitId: v ?? undefined } })}
          searchable
          clearable
          w={280}
        />
      </Group>
      {all.isPending || units.isPending || cycle.isPending ? (
        <Loading label="Loading the dashboard…" />
      ) : all.error || units.error ? (
        <ErrorState error={all.error ?? units.error} onRetry={() => all.refetch()} />
      ) : !view || view.goals.length === 0 ? (
        <Empty title="No active goals here">No active goals in this cycle for this unit.</Empty>
      ) : (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="dashboard-figures">
            <Figure label="Active goals" value={String(view.goals.length)} />
            <Figure label="On track or achieved" value={formatPercent(f, view.onTrackShare)} />
            <Figure label="Mean attainment" value={formatPercent(f, view.meanAttainment)} />
            <Figure label="Mean expected" value={formatPercent(f, view.meanExpected)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Paper withBorder p="md" component="section" aria-labelledby="dist-title">
              <Title order={2} size="h4" id="dist-title">
                Status distribution
              </Title>
              <Text size="xs" c="dimmed" mb="xs">
                Choose a bar to list those goals below.
              </Text>
              <Suspense fallback={<Loading label="Loading chart…" />}>
                <StatusDistributionChart counts={view.counts} onPick={setListStatus} />
              </Suspense>
            </Paper>
            <Paper withBorder p="md" component="section" aria-labelledby="heat-title">
              <Title order={2} size="h4" id="heat-title">
                Attainment by unit
              </Title>
              <Text size="xs" c="dimmed" mb="xs">
                Mean attainment by unit and goal level; choose a row to open that unit's view.
              </Text>
              <Suspense fallback={<Loading label="Loading chart…" />}>
                <UnitHeatmap
                  units={view.rows}
                  columns={[...LEVELS]}
                  cells={view.cells}
                  formatPercent={fp}
                  onPick={(id) => navigate({ search: { unitId: id } })}
                />
              </Suspense>
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md" component="section" aria-labelledby="trend-title">
            <Title order={2} size="h4" id="trend-title">
              On-track share over the cycle
            </Title>
            {!wantTrend ? (
              <Button variant="default" size="xs" mt="xs" onClick={() => setWantTrend(true)}>
                Show the trend
              </Button>
            ) : trend.isPending ? (
              <Loading label="Loading the trend (one reading per month)…" />
            ) : trend.error ? (
              <ErrorState error={trend.error} onRetry={() => trend.refetch()} />
            ) : (
              <Suspense fallback={<Loading label="Loading chart…" />}>
                <OnTrackTrendChart
                  points={trend.data}
                  formatPercent={fp}
                  formatDay={(d) => formatDay(f, d)}
                />
              </Suspense>
            )}
          </Paper>
          <Paper withBorder p="md" component="section" aria-labelledby="list-title">
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h4" id="list-title">
                {statusLabel(listStatus)} goals
              </Title>
              <Select
                label="Show goals that are"
                data={STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
                value={listStatus}
                onChange={(v) => v && setListStatus(v)}
                allowDeselect={false}
                w={220}
              />
            </Group>
            {list.isPending ? (
              <Loading />
            ) : list.error ? (
              <ErrorState error={list.error} onRetry={() => list.refetch()} />
            ) : list.data.pages[0]?.items.length === 0 ? (
              <Empty title={`No ${statusLabel(listStatus).toLowerCase()} goals`} />
            ) : (
              <GoalTable
                label={`${statusLabel(listStatus)} goals`}
                goals={list.data.pages.flatMap((p) => p.items)}
                hasMore={list.hasNextPage}
                onMore={() => list.fetchNextPage()}
                loadingMore={list.isFetchingNextPage}
              />
            )}
          </Paper>
        </>
      )}
    </Stack>
  );
}
