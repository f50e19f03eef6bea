/** One import: the dry-run preview (mapping, first rows, problems), the commit, its progress and outcome. */
import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, must } from "../api/client.ts";
import type { components } from "../api/schema.d.ts";
import { AnchorLink } from "../components/links.tsx";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, QueryState } from "../components/states.tsx";
import { type Import, ImportStatusBadge } from "./imports.tsx";

type Mapping = components["schemas"]["ColumnMapping"];
const FIELDS = [
  ["metric", "Metric (key or id)"],
  ["scopeType", "Scope type"],
  ["scope", "Scope (unit or person)"],
  ["periodStart", "Period start"],
  ["periodEnd", "Period end"],
  ["value", "Value"],
  ["source", "Source"],
  ["note", "Note"],
] as const;
const NONE = "__none__";

const importQuery = (id: string) => ({
  queryKey: ["imports", id],
  queryFn: async () => must(await api.GET("/api/v1/imports/{id}", { params: { path: { id } } })),
});

function MappingForm({ imp }: { imp: Import }) {
  const qc = useQueryClient();
  const [mapping, setMapping] = useState<Mapping>(imp.mapping);
  useEffect(() => setMapping(imp.mapping), [imp.mapping]);
  const apply = useMutation({
    mutationFn: async () =>
      must(
        await api.POST("/api/v1/imports/{id}/preview", {
          params: { path: { id: imp.id } },
          body: mapping,
        }),
      ),
    onSuccess: (data) => {
      qc.setQueryData(["imports", imp.id], data);
      void qc.invalidateQueries({ queryKey: ["imports", imp.id, "problems"] });
    },
  });
  const options = [{ value: NONE, label: "(none)" }, ...imp.columns.map((c) => ({ value: c, label: c }))];
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2}>Column mapping</Title>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          {FIELDS.map(([field, label]) => (
            <Select
              key={field}
              label={label}
              data={options}
              value={mapping[field] ?? NONE}
              onChange={(v) => setMapping({ ...mapping, [field]: v === NONE || v === null ? null : v })}
              allowDeselect={false}
            />
          ))}
          <TextInput
            label="One metric for every row"
            description="A metric key, when the file has no metric column"
            value={mapping.metricKey ?? ""}
            onChange={(e) => setMapping({ ...mapping, metricKey: e.currentTarget.value || null })}
          />
        </SimpleGrid>
        {apply.error ? <ErrorState error={apply.error} /> : null}
        <Group>
          <Button variant="default" onClick={() => apply.mutate()} loading={apply.isPending}>
            Check again with this mapping
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function Sample({ imp }: { imp: Import }) {
  if (imp.sample.length === 0) return <Empty title="The file has no rows of data" />;
  return (
    <Paper withBorder p="sm">
      <Title order={2} mb="xs">
        First rows as they will be read
      </Title>
      <ScrollX label="First rows" minWidth={720}>
        <Table fz="sm" striped aria-label="First rows as they will be read">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Row</Table.Th>
              <Table.Th>Metric</Table.Th>
              <Table.Th>Scope</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Source</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imp.sample.map((r) => (
              <Table.Tr key={r.rowNumber}>
                <Table.Td>{r.rowNumber}</Table.Td>
                {r.read ? (
                  <>
                    <Table.Td>{r.read.metric}</Table.Td>
                    <Table.Td>{r.read.scope || "organisation"}</Table.Td>
                    <Table.Td>
                      {r.read.periodStart === r.read.periodEnd
                        ? r.read.periodStart
                        : `${r.read.periodStart} – ${r.read.periodEnd}`}
                    </Table.Td>
                    <Table.Td>{r.read.value}</Table.Td>
                    <Table.Td>{r.read.source}</Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="red">
                      Has a problem (see below): {r.cells.join(", ")}
                    </Text>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
    </Paper>
  );
}

function Problems({ imp }: { imp: Import }) {
  // a stack of cursors: the last is the current page's
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    queryKey: ["imports", imp.id, "problems", imp.updatedAt, cursor],
    queryFn: async () =>
      must(
        await api.GET("/api/v1/imports/{id}/problems", {
          params: { path: { id: imp.id }, query: { limit: 25, cursor } },
        }),
      ),
  });
  return (
    <Paper withBorder p="sm">
      <Group justify="space-between" mb="xs">
        <Title order={2}>Problems</Title>
        <Anchor href={`/api/v1/imports/${imp.id}/problems.csv`} download>
          Download problems as CSV
        </Anchor>
      </Group>
      {page.isPending ? (
        <Text size="sm">Loading problems…</Text>
      ) : page.error ? (
        <ErrorState error={page.error} onRetry={() => page.refetch()} />
      ) : page.data.items.length === 0 ? (
        <Text size="sm">No problems found.</Text>
      ) : (
        <>
          <ScrollX label="Problems" minWidth={600}>
            <Table fz="sm" striped aria-label="Problems">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.data.items.map((p) => (
                  <Table.Tr key={`${p.rowNumber}-${p.column}-${p.message}`}>
                    <Table.Td>{p.rowNumber}</Table.Td>
                    <Table.Td>{p.column}</Table.Td>
                    <Table.Td>{p.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
          <Group mt="xs">
            <Button
              variant="default"
              size="xs"
              disabled={cursors.length <= 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Previous problems
            </Button>
            <Button
              variant="default"
              size="xs"
              disabled={!page.data.nextCursor}
              onClick={() => setCursors([...cursors, page.data.nextCursor ?? undefined])}
            >
              Next problems
            </Button>
          </Group>
        </>
      )}
    </Paper>
  );
}

function Commit({ imp }: { imp: Import }) {
  const qc = useQueryClient();
  const [skip, setSkip] = useState(false);
  const commit = useMutation({
    mutationFn: async () =>
      must(
        await api.POST("/api/v1/imports/{id}/commit", {
          params: { path: { id: imp.id } },
          body: { skipInvalid: skip },
        }),
      ),
    onSuccess: (data) => qc.setQueryData(["imports", imp.id], data),
  });
  const blocked = imp.error !== null || imp.validRows === 0 || (imp.problemRows > 0 && !skip);
  return (
    <Paper withBorder p="md">
      <Stack>
        <Text>
          {imp.validRows.toLocaleString()} of {imp.totalRows.toLocaleString()} rows are ready;{" "}
          {imp.problemRows.toLocaleString()} {imp.problemRows === 1 ? "has" : "have"} problems.
        </Text>
        {imp.error ? (
          <Alert color="red" role="alert" title="The file cannot be read this way">
            {imp.error}
          </Alert>
        ) : null}
        {imp.problemRows > 0 && !imp.error ? (
          <Checkbox
            label={`Leave out the ${imp.problemRows.toLocaleString()} ${imp.problemRows === 1 ? "row" : "rows"} with problems`}
            checked={skip}
            onChange={(e) => setSkip(e.currentTarget.checked)}
          />
        ) : null}
        {commit.error ? <ErrorState error={commit.error} /> : null}
        <Group>
          <Button onClick={() => commit.mutate()} disabled={blocked} loading={commit.isPending}>
            Import {imp.validRows.toLocaleString()} rows
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function Outcome({ imp }: { imp: Import }) {
  const pct = imp.progress.totalRows === 0 ? 0 : (100 * imp.progress.rowsDone) / imp.progress.totalRows;
  return (
    <Paper withBorder p="md">
      <Stack>
        {imp.status === "running" ? (
          <>
            <Text id="import-progress-label">
              Importing: {imp.progress.rowsDone.toLocaleString()} of {imp.progress.totalRows.toLocaleString()}{" "}
              rows
            </Text>
            <Progress value={pct} aria-labelledby="import-progress-label" animated />
          </>
        ) : null}
        {imp.status === "failed" && imp.error ? (
          <Alert color="red" role="alert" title="The import failed">
            {imp.error}
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 2, sm: 4 }} aria-label="Outcome">
          {(["accepted", "flagged", "quarantined", "rejected"] as const).map((k) => (
            <div key={k}>
              <Text size="xs" c="dimmed" tt="capitalize">
                {k}
              </Text>
              <Text fw={700} size="xl" data-testid={`outcome-${k}`}>
                {imp.outcome[k].toLocaleString()}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

function ImportView({ imp }: { imp: Import }) {
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>{imp.fileName}</Title>
          <Text size="sm" c="dimmed">
            Source {imp.sourceName} · {imp.format.toUpperCase()} · {imp.totalRows.toLocaleString()} rows ·
            columns {imp.columns.join(", ")}
          </Text>
        </div>
        <ImportStatusBadge status={imp.status} />
      </Group>
      {imp.status === "previewed" ? (
        <>
          <MappingForm imp={imp} />
          <Sample imp={imp} />
          <Problems imp={imp} />
          <Commit imp={imp} />
        </>
      ) : (
        <>
          <Outcome imp={imp} />
          {imp.status !== "running" ? <Problems imp={imp} /> : null}
        </>
      )}
      <AnchorLink to="/import">Back to imports</AnchorLink>
    </Stack>
  );
}

export function ImportPage() {
  const { importId } = useParams({ from: "/app/import/$importId" });
  const query = useQuery({
    ...importQuery(importId),
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1000 : false),
  });
  return <QueryState query={query}>{(imp) => <ImportView imp={imp} />}</QueryState>;
}
