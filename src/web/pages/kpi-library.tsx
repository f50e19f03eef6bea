import { Badge, Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { api, must } from "../api/client.ts";
import { canEditMetrics, useMe } from "../app/session.ts";
import { AnchorLink } from "../components/links.tsx";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { MetricForm } from "./kpi/metric-form.tsx";

export function KpiLibraryPage() {
  const me = useMe();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const [opened, { open, close }] = useDisclosure(false);
  const list = useInfiniteQuery({
    queryKey: ["metrics", "list", debounced],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(
        await api.GET("/api/v1/metrics", {
          params: { query: { limit: 50, cursor: pageParam, ...(debounced ? { q: debounced } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>KPI library</Title>
          <Text size="sm" c="dimmed">
            Every metric goals can be measured by: what it means, where its data comes from, how it is
            calculated.
          </Text>
        </div>
        {canEditMetrics(me) ? <Button onClick={open}>New metric</Button> : null}
      </Group>
      <TextInput
        label="Search metrics"
        placeholder="Name or key"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        maw={320}
      />
      {list.isPending ? (
        <Loading label="Loading metrics…" />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <Empty title="No metrics found" />
      ) : (
        <Paper withBorder p="sm">
          <ScrollX label="Metrics" minWidth={720}>
            <Table fz="sm" striped aria-label="Metrics">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Metric</Table.Th>
                  <Table.Th>Unit</Table.Th>
                  <Table.Th>Direction</Table.Th>
                  <Table.Th>Aggregation</Table.Th>
                  <Table.Th>Calculation</Table.Th>
                  <Table.Th>Source</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>
                      <AnchorLink to="/kpis/$metricId" params={{ metricId: m.id }}>
                        {m.name}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {m.key}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {m.unit === "currency" ? `currency (${m.currencyCode ?? ""})` : m.unit}
                    </Table.Td>
                    <Table.Td>{m.direction.replaceAll("_", " ")}</Table.Td>
                    <Table.Td>{m.aggregation}</Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color="gray.8" size="sm">
                        {m.calculation}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{m.dataSource || "—"}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          {list.hasNextPage ? (
            <Button
              variant="default"
              size="xs"
              mt="xs"
              onClick={() => list.fetchNextPage()}
              loading={list.isFetchingNextPage}
            >
              Show more metrics
            </Button>
          ) : null}
        </Paper>
      )}
      <Modal opened={opened} onClose={close} title="New metric" size="lg">
        <MetricForm
          onSaved={(m) => {
            close();
            void navigate({ to: "/kpis/$metricId", params: { metricId: m.id } });
          }}
        />
      </Modal>
    </Stack>
  );
}
