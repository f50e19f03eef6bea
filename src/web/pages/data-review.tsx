/**
 * Data review: the quarantined values a validation rule kept out of every figure, for the metric's
 * steward (their metrics), the performance office and administrators (all). Each is accepted (it
 * counts from then on) or rejected (it stays out), always with a reason. A second tab lists the
 * series that stopped reporting (data-review-missing.tsx).
 */
import {
  Badge,
  Button,
  Group,
  List,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, must, type Schemas } from "../api/client.ts";
import { useFormat } from "../app/session.ts";
import { AnchorLink } from "../components/links.tsx";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";
import { formatValue } from "../lib/format.ts";
import { MissingDataSection } from "./data-review-missing.tsx";

type Item = Schemas["QuarantinedMeasurement"];
type Decision = "accept" | "reject";

const RULE_LABEL: Record<string, string> = {
  range: "Range",
  step_change: "Step change",
  frequency: "Missing data",
  duplicate: "Duplicate",
  unit_sanity: "Unit sanity",
  outlier: "Outlier",
};

const period = (i: Item) =>
  i.periodStart === i.periodEnd ? i.periodStart : `${i.periodStart} – ${i.periodEnd}`;

function DecisionDialog({
  item,
  decision,
  onClose,
}: {
  item: Item;
  decision: Decision;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const f = useFormat();
  const [reason, setReason] = useState("");
  const [touched, setTouched] = useState(false);
  const save = useMutation({
    mutationFn: async () =>
      must(
        await api.POST("/api/v1/measurements/{id}/review", {
          params: { path: { id: item.id } },
          body: { decision, reason },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["quarantine"] });
      await qc.invalidateQueries({ queryKey: ["metric", item.metric.id] });
      await qc.invalidateQueries({ queryKey: ["goals"] });
      onClose();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const missing = touched && reason.trim() === "" ? "Give the reason for the decision" : undefined;
  return (
    <form
      noValidate
      aria-label={decision === "accept" ? "Accept value" : "Reject value"}
      onSubmit={(ev) => {
        ev.preventDefault();
        setTouched(true);
        if (reason.trim() !== "") save.mutate();
      }}
    >
      <Stack gap="sm">
        <Text size="sm">
          {item.metric.name}, {item.scopeName}, {period(item)}:{" "}
          <strong>{formatValue(f, item.value, item.metric.unit, null)}</strong>
          {item.supersedesValue !== null
            ? ` (replaces ${formatValue(f, item.supersedesValue, item.metric.unit, null)})`
            : ""}
        </Text>
        <Text size="sm" c="dimmed">
          {decision === "accept"
            ? "Accepting makes the value count in every figure from now on."
            : "Rejecting keeps the value out of every figure."}
        </Text>
        <Textarea
          label="Reason"
          required
          autosize
          minRows={2}
          data-autofocus
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={missing ?? err?.fieldError("reason")}
        />
        {err && !err.fieldError("reason") ? (
          <Text size="sm" c="red" role="alert">
            {err.message}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color={decision === "accept" ? "green.9" : "red.9"} loading={save.isPending}>
            {decision === "accept" ? "Accept value" : "Reject value"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function DataReviewPage() {
  const f = useFormat();
  const [metricId, setMetricId] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ item: Item; decision: Decision } | null>(null);
  const metrics = useQuery({
    queryKey: ["metrics", "all"],
    queryFn: async () => must(await api.GET("/api/v1/metrics", { params: { query: { limit: 200 } } })),
  });
  const queue = useInfiniteQuery({
    queryKey: ["quarantine", metricId],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(
        await api.GET("/api/v1/measurements/quarantine", {
          params: { query: { limit: 50, cursor: pageParam, metricId: metricId ?? undefined } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Title order={1}>Data review</Title>
      <Select
        label="Metric"
        placeholder="All metrics"
        clearable
        searchable
        w={320}
        data={(metrics.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name} (${m.key})` }))}
        value={metricId}
        onChange={setMetricId}
      />
      <Tabs defaultValue="quarantine" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="quarantine">Quarantined values</Tabs.Tab>
          <Tabs.Tab value="missing">Missing data</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="quarantine" pt="md">
          <Stack>
            <Text size="sm" c="dimmed">
              Values the metrics' validation rules quarantined: they do not count until accepted.
            </Text>
            {queue.isPending ? (
              <Loading label="Loading the review queue…" />
            ) : queue.error ? (
              <ErrorState error={queue.error} onRetry={() => queue.refetch()} />
            ) : items.length === 0 ? (
              <Empty title="Nothing to review">No quarantined values are waiting for a decision.</Empty>
            ) : (
              <Paper withBorder p="sm">
                <ScrollX label="Quarantined values" minWidth={900}>
                  <Table fz="sm" striped aria-label="Quarantined values">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Metric</Table.Th>
                        <Table.Th>Scope</Table.Th>
                        <Table.Th>Period</Table.Th>
                        <Table.Th>Value</Table.Th>
                        <Table.Th>Findings</Table.Th>
                        <Table.Th>Source</Table.Th>
                        <Table.Th>Decision</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {items.map((i) => (
                        <Table.Tr key={i.id}>
                          <Table.Td>
                            <AnchorLink to="/kpis/$metricId" params={{ metricId: i.metric.id }}>
                              {i.metric.name}
                            </AnchorLink>
                          </Table.Td>
                          <Table.Td>{i.scopeType === "org" ? "Whole organisation" : i.scopeName}</Table.Td>
                          <Table.Td>{period(i)}</Table.Td>
                          <Table.Td>
                            {formatValue(f, i.value, i.metric.unit, null)}
                            {i.supersedesValue !== null ? (
                              <Text size="xs" c="dimmed">
                                replaces {formatValue(f, i.supersedesValue, i.metric.unit, null)}
                              </Text>
                            ) : null}
                          </Table.Td>
                          <Table.Td>
                            <List size="sm" spacing={2}>
                              {i.findings.map((x) => (
                                <List.Item key={x.rule}>
                                  <Badge
                                    size="xs"
                                    variant="outline"
                                    color={x.outcome === "quarantine" ? "red.9" : "dark"}
                                    mr={4}
                                  >
                                    {RULE_LABEL[x.rule] ?? x.rule}
                                  </Badge>
                                  {x.message}
                                </List.Item>
                              ))}
                            </List>
                          </Table.Td>
                          <Table.Td>{i.source}</Table.Td>
                          <Table.Td>
                            <Group gap="xs" wrap="nowrap">
                              <Button
                                size="xs"
                                variant="default"
                                aria-label={`Accept ${i.metric.name} ${period(i)}`}
                                onClick={() => setDeciding({ item: i, decision: "accept" })}
                              >
                                Accept
                              </Button>
                              <Button
                                size="xs"
                                variant="default"
                                aria-label={`Reject ${i.metric.name} ${period(i)}`}
                                onClick={() => setDeciding({ item: i, decision: "reject" })}
                              >
                                Reject
                              </Button>
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </ScrollX>
                {queue.hasNextPage ? (
                  <Button
                    variant="default"
                    mt="sm"
                    loading={queue.isFetchingNextPage}
                    onClick={() => queue.fetchNextPage()}
                  >
                    Show more
                  </Button>
                ) : null}
              </Paper>
            )}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="missing" pt="md">
          <Stack>
            <MissingDataSection metricId={metricId} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
      <Modal
        opened={deciding !== null}
        onClose={() => setDeciding(null)}
        title={deciding?.decision === "accept" ? "Accept quarantined value" : "Reject quarantined value"}
      >
        {deciding ? (
          <DecisionDialog
            item={deciding.item}
            decision={deciding.decision}
            onClose={() => setDeciding(null)}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}
