/**
 * The Data review page's second list: series of metrics with a frequency rule that stopped
 * reporting (open missing-data alerts). The daily job finds them; "Check now" runs the same check at
 * once for the people who look after the data. An alert leaves the list when a value arrives.
 */
import { Button, Group, Paper, Table, Text } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, must, type Schemas } from "../api/client.ts";
import { hasRole, useFormat, useMe } from "../app/session.ts";
import { AnchorLink } from "../components/links.tsx";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { formatDay, formatInstant } from "../lib/format.ts";

type Alert = Schemas["MissingDataAlert"];

const UNIT: Record<Alert["metric"]["period"], [string, string]> = {
  day: ["day", "days"],
  week: ["week", "weeks"],
  month: ["month", "months"],
  quarter: ["quarter", "quarters"],
};
const periods = (n: number, p: Alert["metric"]["period"]) => `${n} ${UNIT[p][n === 1 ? 0 : 1]}`;

export function MissingDataSection({ metricId }: { metricId: string | null }) {
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const canCheck = hasRole(me, "admin", "performance_office", "data_steward");
  const alerts = useInfiniteQuery({
    queryKey: ["missing-data", metricId],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(
        await api.GET("/api/v1/measurements/missing-data", {
          params: { query: { limit: 50, cursor: pageParam, metricId: metricId ?? undefined } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const check = useMutation({
    mutationFn: async () => must(await api.POST("/api/v1/measurements/missing-data/check")),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["missing-data"] });
    },
  });
  const items = alerts.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed">
          Series whose metric expects a value every period and that stopped reporting. Checked daily; an alert
          closes when a value arrives.
        </Text>
        {canCheck ? (
          <Button variant="default" size="xs" loading={check.isPending} onClick={() => check.mutate()}>
            Check now
          </Button>
        ) : null}
      </Group>
      {check.data ? (
        <Text size="sm" role="status">
          Checked for {formatDay(f, check.data.today)}: {check.data.opened} opened, {check.data.resolved}{" "}
          resolved, {check.data.open} open.
        </Text>
      ) : null}
      {check.error ? (
        <Text size="sm" c="red.9" role="alert">
          {check.error instanceof ApiError ? check.error.message : "The check failed; try again."}
        </Text>
      ) : null}
      {alerts.isPending ? (
        <Loading label="Loading the missing-data alerts…" />
      ) : alerts.error ? (
        <ErrorState error={alerts.error} onRetry={() => alerts.refetch()} />
      ) : items.length === 0 ? (
        <Empty title="Every series is reporting">
          No series of a metric with a frequency rule is missing data.
        </Empty>
      ) : (
        <Paper withBorder p="sm">
          <ScrollX label="Series missing data" minWidth={800}>
            <Table fz="sm" striped aria-label="Series missing data">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Metric</Table.Th>
                  <Table.Th>Scope</Table.Th>
                  <Table.Th>Last value for</Table.Th>
                  <Table.Th>Missing since</Table.Th>
                  <Table.Th>Missing</Table.Th>
                  <Table.Th>Found</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <AnchorLink to="/kpis/$metricId" params={{ metricId: a.metric.id }}>
                        {a.metric.name}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td>{a.scopeType === "org" ? "Whole organisation" : a.scopeName}</Table.Td>
                    <Table.Td>{formatDay(f, a.lastPeriodEnd)}</Table.Td>
                    <Table.Td>{formatDay(f, a.missingSince)}</Table.Td>
                    <Table.Td>
                      {periods(a.periodsMissing, a.metric.period)}
                      <Text size="xs" c="dimmed">
                        {a.maxMissingPeriods > 0
                          ? `${periods(a.maxMissingPeriods, a.metric.period)} tolerated`
                          : "none tolerated"}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatInstant(f, a.openedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          {alerts.hasNextPage ? (
            <Button
              variant="default"
              mt="sm"
              loading={alerts.isFetchingNextPage}
              onClick={() => alerts.fetchNextPage()}
            >
              Show more
            </Button>
          ) : null}
        </Paper>
      )}
    </>
  );
}
