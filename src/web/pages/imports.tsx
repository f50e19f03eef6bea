/** Import measurements: upload a CSV or XLSX file (picker or drop zone), and the list of past imports. */
import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { type DragEvent, type KeyboardEvent, useId, useRef, useState } from "react";
import { ApiError, api, must, type Problem } from "../api/client.ts";
import type { components } from "../api/schema.d.ts";
import { AnchorLink } from "../components/links.tsx";
import { ScrollX } from "../components/scroll-x.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";

export type Import = components["schemas"]["Import"];

const STATUS_COLOR: Record<Import["status"], string> = {
  previewed: "blue",
  running: "yellow",
  done: "green",
  failed: "red",
};
const STATUS_LABEL: Record<Import["status"], string> = {
  previewed: "Preview",
  running: "Running",
  done: "Done",
  failed: "Failed",
};

export function ImportStatusBadge({ status }: { status: Import["status"] }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light">
      {STATUS_LABEL[status]}
    </Badge>
  );
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Sends the file's bytes as the body (streamed by the server to disk); answers the dry-run preview. */
async function uploadFile(file: File, sourceName: string): Promise<Import> {
  const isXlsx = file.name.toLowerCase().endsWith(".xlsx");
  const query = new URLSearchParams({ fileName: file.name, sourceName: sourceName.trim() || "file" });
  const res = await fetch(`/api/v1/imports?${query}`, {
    method: "POST",
    credentials: "include",
    headers: { "content-type": isXlsx ? XLSX : "text/csv" },
    body: file,
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as Problem | null;
    throw new ApiError(res.status, problem);
  }
  return (await res.json()) as Import;
}

function UploadForm() {
  const navigate = useNavigate();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState("file");
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) setFile(dropped);
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      input.current?.click();
    }
  };
  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const imp = await uploadFile(file, source);
      await navigate({ to: "/import/$importId", params: { importId: imp.id } });
    } catch (e) {
      setError(e instanceof Error ? e.message : "the upload failed");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md">
      <Stack>
        <TextInput
          label="Source name"
          description="Where the data comes from; its column mapping is remembered for the next file"
          value={source}
          onChange={(e) => setSource(e.currentTarget.value)}
          maw={360}
        />
        <div>
          <label htmlFor={inputId}>
            <Text size="sm" fw={500}>
              File (CSV in UTF-8, or XLSX)
            </Text>
          </label>
          <input
            id={inputId}
            ref={input}
            type="file"
            accept=".csv,.xlsx,text/csv"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
        {/* biome-ignore lint/a11y/useSemanticElements: a drop zone is a region that also opens the file picker */}
        <div
          role="button"
          tabIndex={0}
          aria-label="Drop a file here, or press Enter to choose one"
          onKeyDown={onKey}
          onClick={() => input.current?.click()}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          style={{
            border: "2px dashed var(--mantine-color-gray-5)",
            borderRadius: 8,
            padding: 24,
            textAlign: "center",
            cursor: "pointer",
            background: dragging ? "var(--mantine-color-blue-0)" : undefined,
          }}
        >
          <Text size="sm">{file ? `Chosen: ${file.name}` : "Drop a CSV or XLSX file here"}</Text>
        </div>
        {error ? (
          <Alert color="red" role="alert" title="Upload failed">
            {error}
          </Alert>
        ) : null}
        <Group>
          <Button onClick={submit} disabled={!file} loading={busy}>
            Upload and preview
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function PastImports() {
  const list = useInfiniteQuery({
    queryKey: ["imports", "list"],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      must(await api.GET("/api/v1/imports", { params: { query: { limit: 20, cursor: pageParam } } })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // imports change in the background (running, done): always show the current list
    refetchOnMount: "always",
  });
  if (list.isPending) return <Loading label="Loading imports…" />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const items = list.data.pages.flatMap((p) => p.items);
  if (items.length === 0) return <Empty title="No imports yet">Upload a file above to start one.</Empty>;
  return (
    <Paper withBorder p="sm">
      <ScrollX label="Past imports" minWidth={720}>
        <Table fz="sm" striped aria-label="Past imports">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Rows</Table.Th>
              <Table.Th>Accepted</Table.Th>
              <Table.Th>Rejected</Table.Th>
              <Table.Th>Uploaded</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>
                  <AnchorLink to="/import/$importId" params={{ importId: i.id }}>
                    {i.fileName}
                  </AnchorLink>
                </Table.Td>
                <Table.Td>{i.sourceName}</Table.Td>
                <Table.Td>
                  <ImportStatusBadge status={i.status} />
                </Table.Td>
                <Table.Td>{i.totalRows.toLocaleString()}</Table.Td>
                <Table.Td>{i.outcome.accepted.toLocaleString()}</Table.Td>
                <Table.Td>{i.outcome.rejected.toLocaleString()}</Table.Td>
                <Table.Td>{new Date(i.createdAt).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
      {list.hasNextPage ? (
        <Button
          variant="default"
          mt="sm"
          onClick={() => list.fetchNextPage()}
          loading={list.isFetchingNextPage}
        >
          Show more imports
        </Button>
      ) : null}
    </Paper>
  );
}

export function ImportsPage() {
  return (
    <Stack>
      <div>
        <Title order={1}>Import measurements</Title>
        <Text size="sm" c="dimmed">
          Upload a file of measurements: one row per value, with the metric, scope, period and value. You see
          every row's problems before anything is written.
        </Text>
      </div>
      <UploadForm />
      <Title order={2}>Past imports</Title>
      <PastImports />
    </Stack>
  );
}
