/**
 * Data sources: the connectors the server pulls on a schedule, with their health. A steward sees
 * their own unhealthy or stale sources first, in an alert at the top. Create and edit in a dialog,
 * run now, and each source's run history and discrepancy report against its backup.
 */
import { Alert, Badge, Button, Group, List, Modal, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, must, type Schemas } from "../api/client.ts";
import { hasRole, useFormat, useMe } from "../app/session.ts";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { KIND_LABEL, SourceForm } from "./data-sources-form.tsx";
import { SourceDetail } from "./data-sources-history.tsx";

type Source = Schemas["DataSource"];

const HEALTH: Record<Source["health"]["state"], { label: string; color: string }> = {
  healthy: { label: "Healthy", color: "#1b6b2f" },
  unhealthy: { label: "Unhealthy", color: "red.9" },
  stale: { label: "Stale", color: "#9c3d00" },
  pending: { label: "Not run yet", color: "dark" },
};

const scheduleText = (s: Source["schedule"]) =>
  s === null ? "by hand" : "every" in s ? `every ${s.every} min` : `cron ${s.cron}`;

/**
 * Run now: the server answers 202 with the run while it pulls in the background; the button polls
 * that run each second until it has succeeded or failed, then refreshes the list.
 */
function RunButton({ source }: { source: Source }) {
  const qc = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async () =>
      must(await api.POST("/api/v1/data-sources/{id}/run", { params: { path: { id: source.id } } })),
    onSuccess: (run) => setRunId(run.id),
  });
  const progress = useQuery({
    queryKey: ["data-source-run", source.id, runId],
    enabled: runId !== null,
    queryFn: async () =>
      must(
        await api.GET("/api/v1/data-sources/{id}/runs/{runId}", {
          params: { path: { id: source.id, runId: runId ?? "" } },
        }),
      ),
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1000 : false),
  });
  const finished = progress.data !== undefined && progress.data.status !== "running";
  useEffect(() => {
    if (!finished) return;
    setRunId(null);
    void qc.invalidateQueries({ queryKey: ["data-sources"] });
  }, [finished, qc]);
  const error = start.error ?? progress.error;
  return (
    <Stack gap={2}>
      <Button
        size="xs"
        variant="default"
        loading={start.isPending || (runId !== null && !progress.error)}
        aria-label={`Run ${source.name} now`}
        onClick={() => start.mutate()}
      >
        Run now
      </Button>
      {error ? (
        <Text size="xs" c="red" role="alert">
          {error.message}
        </Text>
      ) : null}
    </Stack>
  );
}

export function DataSourcesPage() {
  const me = useMe();
  const f = useFormat();
  const [editing, setEditing] = useState<Source | "new" | null>(null);
  const [open, setOpen] = useState<Source | null>(null);
  const list = useInfiniteQuery({
    queryKey: ["data-sources", "list"],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(await api.GET("/api/v1/data-sources", { params: { query: { limit: 100, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const mineFailing = items.filter(
    (s) => s.steward.id === me.id && (s.health.state === "unhealthy" || s.health.state === "stale"),
  );
  const canCreate = hasRole(me, "admin", "performance_office", "data_steward");
  const when = (iso: string | null) =>
    iso === null
      ? "never"
      : new Date(iso).toLocaleString(f.locale, {
          timeZone: f.timeZone,
          dateStyle: "medium",
          timeStyle: "short",
        });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Data sources</Title>
        {canCreate ? <Button onClick={() => setEditing("new")}>New data source</Button> : null}
      </Group>
      <Text size="sm" c="dimmed">
        Systems the server pulls measurements from on a schedule. A source whose pulls fail or stop hands its
        metrics to its backup.
      </Text>
      {mineFailing.length > 0 ? (
        <Alert color="red" variant="filled" title="Your data sources need attention" role="alert">
          <List size="sm">
            {mineFailing.map((s) => (
              <List.Item key={s.id}>
                <strong>{s.name}</strong> is {HEALTH[s.health.state].label.toLowerCase()}: {s.health.reason}
                {s.usingBackup ? " (its backup feeds the metrics meanwhile)" : ""}
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {list.isPending ? (
        <Loading label="Loading data sources…" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <Empty title="No data sources yet">
          {canCreate ? "Create one to pull measurements from another system." : "None feeds your metrics."}
        </Empty>
      ) : (
        <Paper withBorder p="sm">
          <ScrollX label="Data sources" minWidth={980}>
            <Table fz="sm" striped aria-label="Data sources">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Metrics</Table.Th>
                  <Table.Th>Schedule</Table.Th>
                  <Table.Th miw={140}>Health</Table.Th>
                  <Table.Th>Last run</Table.Th>
                  <Table.Th>Steward</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td>
                      {s.name}
                      {s.backupFor.length > 0 ? (
                        <Text size="xs" c="dimmed">
                          backup
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{KIND_LABEL[s.kind]}</Table.Td>
                    <Table.Td>{s.metrics.map((m) => m.key).join(", ")}</Table.Td>
                    <Table.Td>{scheduleText(s.schedule)}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={HEALTH[s.health.state].color}
                        variant="filled"
                        aria-label={`Health: ${HEALTH[s.health.state].label}`}
                      >
                        {HEALTH[s.health.state].label}
                      </Badge>
                      {s.usingBackup ? (
                        <Badge ml={4} color="#9c3d00" variant="outline">
                          Backup feeds
                        </Badge>
                      ) : null}
                      {s.health.reason ? (
                        <Text size="xs" c="dimmed">
                          {s.health.reason}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      {when(s.lastRunAt)}
                      {s.lastRun ? (
                        <Text size="xs" c="dimmed">
                          {s.lastRun.rowsRead} rows read: {s.lastRun.counts.accepted} accepted,{" "}
                          {s.lastRun.counts.flagged} flagged, {s.lastRun.counts.quarantined} quarantined,{" "}
                          {s.lastRun.counts.rejected} rejected, {s.lastRun.counts.unchanged} unchanged
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{s.steward.name}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap" align="flex-start">
                        {s.abilities.run ? <RunButton source={s} /> : null}
                        {s.abilities.update ? (
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={`Edit ${s.name}`}
                            onClick={() => setEditing(s)}
                          >
                            Edit
                          </Button>
                        ) : null}
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={`History of ${s.name}`}
                          onClick={() => setOpen(s)}
                        >
                          History
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          {list.hasNextPage ? (
            <Button
              variant="default"
              mt="sm"
              loading={list.isFetchingNextPage}
              onClick={() => list.fetchNextPage()}
            >
              Show more
            </Button>
          ) : null}
        </Paper>
      )}
      <Modal
        size="xl"
        opened={editing !== null}
        onClose={() => setEditing(null)}
        closeButtonProps={{ "aria-label": "Close" }}
        title={editing === "new" ? "New data source" : `Edit ${editing?.name ?? ""}`}
      >
        {editing !== null ? (
          <SourceForm
            source={editing === "new" ? null : editing}
            sources={items}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Modal>
      <Modal
        size="90%"
        opened={open !== null}
        onClose={() => setOpen(null)}
        closeButtonProps={{ "aria-label": "Close" }}
        title={open ? open.name : ""}
      >
        {open ? <SourceDetail source={open} /> : null}
      </Modal>
    </Stack>
  );
}
