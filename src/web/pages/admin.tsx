import {
  Alert,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  Tree,
  type TreeNodeData,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ApiError, api, must } from "../api/client.ts";
import { type Unit, useUnits } from "../api/hooks.ts";
import { useFormat } from "../app/session.ts";
import { PersonName } from "../components/person-name.tsx";
import { ErrorState, Loading } from "../components/states.tsx";
import { formatDay } from "../lib/format.ts";
import { PeopleAdmin } from "./admin/people-admin.tsx";

function unitTree(units: Unit[]): TreeNodeData[] {
  const kids = new Map<string | null, Unit[]>();
  for (const u of units) kids.set(u.parentId, [...(kids.get(u.parentId) ?? []), u]);
  const build = (parent: string | null): TreeNodeData[] =>
    (kids.get(parent) ?? []).map((u) => ({
      value: u.id,
      label: `${u.name} (${u.kind})`,
      children: build(u.id),
    }));
  return build(null);
}

function UnitsAdmin() {
  const units = useUnits();
  const data = useMemo(() => unitTree(units.data ?? []), [units.data]);
  const byId = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  if (units.isPending) return <Loading label="Loading units…" />;
  if (units.error) return <ErrorState error={units.error} onRetry={() => units.refetch()} />;
  return (
    <Paper withBorder p="sm">
      <Tree
        data={data}
        aria-label="Organisation units"
        levelOffset="lg"
        renderNode={({ node, expanded, hasChildren, elementProps }) => {
          const u = byId.get(node.value);
          return (
            <Group gap="xs" py={2} {...elementProps}>
              <Text span size="sm" w={14} aria-hidden>
                {hasChildren ? (expanded ? "−" : "+") : ""}
              </Text>
              <Text span size="sm" fw={500}>
                {node.label}
              </Text>
              {u?.headId ? (
                <Text span size="xs" c="dimmed">
                  head: <PersonName id={u.headId} size="xs" />
                </Text>
              ) : null}
            </Group>
          );
        }}
      />
    </Paper>
  );
}

function CyclesAdmin() {
  const f = useFormat();
  const qc = useQueryClient();
  const cycles = useQuery({
    queryKey: ["cycles", "all"],
    queryFn: async () => must(await api.GET("/api/v1/cycles", { params: { query: { limit: 100 } } })),
  });
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"year" | "half" | "quarter" | "sprint" | "custom">("quarter");
  const [startDate, setStart] = useState("");
  const [endDate, setEnd] = useState("");
  const create = useMutation({
    mutationFn: async () =>
      must(await api.POST("/api/v1/cycles", { body: { name, kind, startDate, endDate, phase: "planning" } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["cycles"] }),
  });
  const err = create.error instanceof ApiError ? create.error : null;
  if (cycles.isPending) return <Loading label="Loading cycles…" />;
  if (cycles.error) return <ErrorState error={cycles.error} onRetry={() => cycles.refetch()} />;
  return (
    <Stack>
      <Table fz="sm" striped aria-label="Cycles">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Cycle</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>Phase</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cycles.data.items.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>{c.kind}</Table.Td>
              <Table.Td>{formatDay(f, c.startDate)}</Table.Td>
              <Table.Td>{formatDay(f, c.endDate)}</Table.Td>
              <Table.Td>{c.phase}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Paper
        withBorder
        p="md"
        component="form"
        aria-label="New cycle"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Title order={3} size="h5" mb="xs">
          New cycle
        </Title>
        <Group align="flex-start" grow>
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={err?.fieldError("name")}
          />
          <Select
            label="Kind"
            data={["year", "half", "quarter", "sprint", "custom"]}
            value={kind}
            onChange={(v) => v && setKind(v as typeof kind)}
            allowDeselect={false}
          />
          <TextInput
            label="Start"
            type="date"
            value={startDate}
            onChange={(e) => setStart(e.currentTarget.value)}
            error={err?.fieldError("startDate")}
          />
          <TextInput
            label="End"
            type="date"
            value={endDate}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={err?.fieldError("endDate")}
          />
        </Group>
        {err && err.errors.length === 0 ? (
          <Alert color="red" role="alert" variant="light" mt="xs">
            {err.message}
          </Alert>
        ) : null}
        <Button type="submit" mt="sm" loading={create.isPending}>
          Create cycle
        </Button>
      </Paper>
    </Stack>
  );
}

export function AdminPage() {
  return (
    <Stack>
      <Title order={1}>Administration</Title>
      <Tabs defaultValue="units" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="units">Units</Tabs.Tab>
          <Tabs.Tab value="people">People</Tabs.Tab>
          <Tabs.Tab value="cycles">Cycles</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="units" pt="md">
          <UnitsAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <PeopleAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="cycles" pt="md">
          <CyclesAdmin />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
