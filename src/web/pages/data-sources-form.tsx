/**
 * The create / edit form of a data source: kind, where to fetch, how items map to measurements, the
 * metrics it feeds, its schedule and backup. Every problem the API finds is shown at its field.
 */
import {
  Button,
  Group,
  MultiSelect,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, must, type Schemas } from "../api/client.ts";
import { initialMapping, MappingInputs, mappingConfig } from "./data-sources-mapping.tsx";

type Source = Schemas["DataSource"];
type Input = Schemas["CreateDataSourceInput"];
type Kind = Source["kind"];
type ScheduleMode = "manual" | "every" | "cron";
export const KIND_LABEL: Record<Kind, string> = {
  http_json: "HTTP JSON endpoint",
  csv_url: "CSV at a URL",
  sql: "SQL query (PostgreSQL)",
};

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The form's flat state, from a source being edited or empty. */
function initial(s: Source | null) {
  const c = (s?.config ?? {}) as Record<string, unknown>;
  const sched = s?.schedule ?? null;
  return {
    name: s?.name ?? "",
    kind: (s?.kind ?? "http_json") as Kind,
    url: str(c.url),
    headerName: str(c.headerName),
    secret: s?.secret ?? "",
    mapping: initialMapping(c),
    query: str(c.query),
    timeoutMs: typeof c.timeoutMs === "number" ? c.timeoutMs : 10_000,
    metricIds: s?.metrics.map((m) => m.id) ?? [],
    scheduleMode: (sched === null ? "manual" : "every" in sched ? "every" : "cron") as ScheduleMode,
    every: sched && "every" in sched ? sched.every : 60,
    cron: sched && "cron" in sched ? sched.cron : "0 6 * * *",
    backupSourceId: s?.backupSourceId ?? null,
  };
}
type FormState = ReturnType<typeof initial>;

function toInput(f: FormState): Input {
  const common = {
    name: f.name,
    metricIds: f.metricIds,
    schedule:
      f.scheduleMode === "manual" ? null : f.scheduleMode === "every" ? { every: f.every } : { cron: f.cron },
    backupSourceId: f.backupSourceId,
    ...(f.secret === "" ? {} : { secret: f.secret }),
  };
  const header = f.headerName.trim() === "" ? {} : { headerName: f.headerName.trim() };
  const mapping = mappingConfig(f.kind, f.mapping);
  if (f.kind === "sql")
    return {
      ...common,
      kind: "sql",
      config: { query: f.query, timeoutMs: f.timeoutMs, ...mapping },
    } as Input;
  return {
    ...common,
    kind: f.kind,
    config: { url: f.url, timeoutMs: f.timeoutMs, ...header, ...mapping },
  } as Input;
}

export function SourceForm({
  source,
  sources,
  onDone,
}: {
  source: Source | null;
  sources: Source[];
  onDone: () => void;
}) {
  const qc = useQueryClient();
  const [f, setF] = useState(() => initial(source));
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((x) => ({ ...x, [k]: v }));
  const metrics = useQuery({
    queryKey: ["metrics", "all"],
    queryFn: async () => must(await api.GET("/api/v1/metrics", { params: { query: { limit: 200 } } })),
  });
  const save = useMutation({
    mutationFn: async () =>
      source
        ? must(
            await api.PUT("/api/v1/data-sources/{id}", {
              params: { path: { id: source.id } },
              body: toInput(f),
            }),
          )
        : must(await api.POST("/api/v1/data-sources", { body: toInput(f) })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["data-sources"] });
      onDone();
    },
  });
  const err = save.error instanceof ApiError ? save.error : null;
  /** The API's message for a field or anything under it (`config.fields.value`, `metricIds.0`). */
  const at = (...fields: string[]) =>
    err?.errors.find((e) => fields.some((x) => e.field === x || e.field.startsWith(`${x}.`)))?.message;
  const shown = [
    "name",
    "config.url",
    "config.headerName",
    "secret",
    "config.itemsPath",
    "config.fields",
    "config.query",
    "config.timeoutMs",
    "config.delimiter",
    "config.columns",
    "config.maxRows",
    "metricIds",
    "schedule",
    "backupSourceId",
    "stewardId",
  ];
  const other =
    err && !err.errors.some((e) => shown.some((x) => e.field === x || e.field.startsWith(`${x}.`)));
  const isHttp = f.kind !== "sql";
  return (
    <form
      noValidate
      aria-label={source ? "Edit data source" : "New data source"}
      onSubmit={(ev) => {
        ev.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Name"
            required
            data-autofocus
            value={f.name}
            onChange={(e) => set("name", e.currentTarget.value)}
            error={at("name")}
          />
          <Select
            label="Kind"
            required
            disabled={source !== null}
            allowDeselect={false}
            data={Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label }))}
            value={f.kind}
            onChange={(v) => v && set("kind", v as Kind)}
          />
        </SimpleGrid>
        {isHttp ? (
          <>
            <TextInput
              label="URL"
              required
              placeholder="https://…"
              value={f.url}
              onChange={(e) => set("url", e.currentTarget.value)}
              error={at("config.url")}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Auth header name"
                placeholder="Authorization"
                value={f.headerName}
                onChange={(e) => set("headerName", e.currentTarget.value)}
                error={at("config.headerName")}
              />
              <PasswordInput
                label="Auth header value (secret)"
                description={source?.secret ? "Stored; leave *** to keep it" : "Never shown again once saved"}
                value={f.secret}
                onChange={(e) => set("secret", e.currentTarget.value)}
                error={at("secret")}
              />
            </SimpleGrid>
          </>
        ) : (
          <>
            <PasswordInput
              label="Connection URL (secret)"
              required={source === null}
              placeholder="postgres://reader:…@host:5432/warehouse"
              description={source?.secret ? "Stored; leave *** to keep it" : "Run read-only, with a timeout"}
              value={f.secret}
              onChange={(e) => set("secret", e.currentTarget.value)}
              error={at("secret")}
            />
            <Textarea
              label="Query"
              required
              autosize
              minRows={3}
              description="Columns: metric, scope_type, scope, period_start, period_end, value"
              value={f.query}
              onChange={(e) => set("query", e.currentTarget.value)}
              error={at("config.query")}
            />
          </>
        )}
        <MappingInputs kind={f.kind} m={f.mapping} onChange={(m) => set("mapping", m)} at={at} />
        <MultiSelect
          label="Metrics it feeds"
          required
          searchable
          data={(metrics.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name} (${m.key})` }))}
          value={f.metricIds}
          onChange={(v) => set("metricIds", v)}
          error={at("metricIds")}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label="Schedule"
            allowDeselect={false}
            data={[
              { value: "manual", label: "Only when run by hand" },
              { value: "every", label: "Every N minutes" },
              { value: "cron", label: "Cron expression" },
            ]}
            value={f.scheduleMode}
            onChange={(v) => v && set("scheduleMode", v as ScheduleMode)}
          />
          {f.scheduleMode === "every" ? (
            <NumberInput
              label="Minutes between pulls"
              min={1}
              max={10080}
              value={f.every}
              onChange={(v) => set("every", typeof v === "number" ? v : 60)}
              error={at("schedule")}
            />
          ) : f.scheduleMode === "cron" ? (
            <TextInput
              label="Cron (organisation's time zone)"
              value={f.cron}
              onChange={(e) => set("cron", e.currentTarget.value)}
              error={at("schedule")}
            />
          ) : (
            <div />
          )}
          <NumberInput
            label="Timeout (ms)"
            min={100}
            max={60000}
            value={f.timeoutMs}
            onChange={(v) => set("timeoutMs", typeof v === "number" ? v : 10_000)}
            error={at("config.timeoutMs")}
          />
        </SimpleGrid>
        <Select
          label="Backup source"
          description="Feeds the same metrics while this one fails or is stale"
          clearable
          data={sources
            .filter((s) => s.id !== source?.id && s.active)
            .map((s) => ({ value: s.id, label: s.name }))}
          value={f.backupSourceId}
          onChange={(v) => set("backupSourceId", v)}
          error={at("backupSourceId")}
        />
        {at("stewardId") ? (
          <Text size="sm" c="red">
            {at("stewardId")}
          </Text>
        ) : null}
        {other ? (
          <Text size="sm" c="red" role="alert">
            {err?.message}
          </Text>
        ) : save.error && !err ? (
          <Text size="sm" c="red" role="alert">
            {(save.error as Error).message}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {source ? "Save source" : "Create source"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
