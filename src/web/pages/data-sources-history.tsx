/** A data source's run history (paged) and its discrepancy report against its backup. */
import { Badge, Button, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, must, type Schemas } from "../api/client.ts";
import { useFormat } from "../app/session.ts";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";

type Run = Schemas["DataSourceRun"];

const KIND_LABEL: Record<Run["kind"], string> = {
  pull: "Pull",
  switch_to_backup: "Switched to backup",
  switch_to_primary: "Back to primary",
};
const STATUS_COLOR: Record<Run["status"], string> = {
  running: "blue.9",
  succeeded: "#1b6b2f",
  failed: "red.9",
  recorded: "dark",
};

export function RunHistory({ sourceId }: { sourceId: string }) {
  const f = useFormat();
  const runs = useInfiniteQuery({
    queryKey: ["data-sources", sourceId, "runs"],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(
        await api.GET("/api/v1/data-sources/{id}/runs", {
          params: { path: { id: sourceId }, query: { limit: 20, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const when = (iso: string) =>
    new Date(iso).toLocaleString(f.locale, { timeZone: f.timeZone, dateStyle: "medium", timeStyle: "short" });
  const items = runs.data?.pages.flatMap((p) => p.items) ?? [];
  if (runs.isPending) return <Loading label="Loading the run history…" />;
  if (runs.error) return <ErrorState error={runs.error} onRetry={() => runs.refetch()} />;
  if (items.length === 0) return <Empty title="No runs yet">Run the source to pull its data.</Empty>;
  return (
    <Stack gap="xs">
      <ScrollX label="Run history" minWidth={760}>
        <Table fz="sm" striped aria-label="Run history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Outcome</Table.Th>
              <Table.Th>Rows read</Table.Th>
              <Table.Th>Accepted</Table.Th>
              <Table.Th>Flagged</Table.Th>
              <Table.Th>Quarantined</Table.Th>
              <Table.Th>Rejected</Table.Th>
              <Table.Th>Unchanged</Table.Th>
              <Table.Th>Error or note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{when(r.startedAt)}</Table.Td>
                <Table.Td>
                  {KIND_LABEL[r.kind]} ({r.trigger}){r.kind === "pull" && !r.fed ? ", read only" : ""}
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="outline" color={STATUS_COLOR[r.status]}>
                    {r.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.rowsRead}</Table.Td>
                <Table.Td>{r.counts.accepted}</Table.Td>
                <Table.Td>{r.counts.flagged}</Table.Td>
                <Table.Td>{r.counts.quarantined}</Table.Td>
                <Table.Td>{r.counts.rejected}</Table.Td>
                <Table.Td>{r.counts.unchanged}</Table.Td>
                <Table.Td>
                  {r.error ?? r.note ?? ""}
                  {r.problems.length > 0 ? (
                    <Text size="xs" c="dimmed">
                      {r.problems
                        .slice(0, 3)
                        .map((p) => `item ${p.row}, ${p.field}: ${p.message}`)
                        .join("; ")}
                      {r.problems.length > 3 ? ` (+${r.problems.length - 3} more)` : ""}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
      {runs.hasNextPage ? (
        <Button
          variant="default"
          w="fit-content"
          loading={runs.isFetchingNextPage}
          onClick={() => runs.fetchNextPage()}
        >
          Show more runs
        </Button>
      ) : null}
    </Stack>
  );
}

export function Discrepancies({ sourceId }: { sourceId: string }) {
  const f = useFormat();
  const report = useQuery({
    queryKey: ["data-sources", sourceId, "discrepancies"],
    queryFn: async () =>
      must(
        await api.GET("/api/v1/data-sources/{id}/discrepancies", {
          params: { path: { id: sourceId }, query: { limit: 100 } },
        }),
      ),
  });
  const num = (v: number) => v.toLocaleString(f.locale, { maximumFractionDigits: 4 });
  if (report.isPending) return <Loading label="Loading the discrepancy report…" />;
  if (report.error) return <ErrorState error={report.error} onRetry={() => report.refetch()} />;
  const r = report.data;
  if (!r.backup) return <Empty title="No backup">This source has no backup and stands in for none.</Empty>;
  if (r.items.length === 0)
    return (
      <Empty title="Nothing to compare">
        {r.primary.name} and {r.backup.name} have not both read a value for the same period yet.
      </Empty>
    );
  return (
    <Paper withBorder p="sm">
      <ScrollX label="Discrepancies" minWidth={700}>
        <Table fz="sm" striped aria-label="Discrepancies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Metric</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th>{r.primary.name} (primary)</Table.Th>
              <Table.Th>{r.backup.name} (backup)</Table.Th>
              <Table.Th>Difference</Table.Th>
              <Table.Th>Relative</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.items.map((d) => (
              <Table.Tr key={`${d.metricId}|${d.scopeType}|${d.scopeId}|${d.periodStart}|${d.periodEnd}`}>
                <Table.Td>{d.metricKey}</Table.Td>
                <Table.Td>
                  {d.scopeType === "org" ? "Organisation" : `${d.scopeType} ${d.scopeId.slice(0, 8)}`}
                </Table.Td>
                <Table.Td>
                  {d.periodStart === d.periodEnd ? d.periodStart : `${d.periodStart} – ${d.periodEnd}`}
                </Table.Td>
                <Table.Td>{num(d.primaryValue)}</Table.Td>
                <Table.Td>{num(d.backupValue)}</Table.Td>
                <Table.Td>{num(d.absolute)}</Table.Td>
                <Table.Td>{d.relative === null ? "—" : `${(d.relative * 100).toFixed(1)} %`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
    </Paper>
  );
}

export function SourceDetail({ source }: { source: Schemas["DataSource"] }) {
  return (
    <Stack>
      <Title order={3} size="h5">
        Run history
      </Title>
      <RunHistory sourceId={source.id} />
      <Title order={3} size="h5">
        Discrepancies with the backup
      </Title>
      <Discrepancies sourceId={source.id} />
    </Stack>
  );
}
