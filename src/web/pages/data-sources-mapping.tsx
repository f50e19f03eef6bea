/**
 * How a data source's items map to measurements, on its form: the JSONPath of each field (HTTP
 * JSON), or the delimiter (CSV), the row limit (SQL) and the column that feeds each field (CSV and
 * SQL; an empty one is guessed by the server from the names). Every problem the API finds is shown
 * at its input.
 */
import { Fieldset, NumberInput, Select, SimpleGrid, Text, TextInput } from "@mantine/core";
import type { Schemas } from "../api/client.ts";

type Kind = Schemas["DataSource"]["kind"];
type Delimiter = "comma" | "semicolon" | "tab";

/** The fields a CSV or SQL column feeds, in the API's names, with their labels. */
const COLUMN_FIELDS = [
  ["metric", "Metric column"],
  ["scopeType", "Scope type column"],
  ["scope", "Scope column"],
  ["periodStart", "Period start column"],
  ["periodEnd", "Period end column"],
  ["value", "Value column"],
] as const;
type ColumnField = (typeof COLUMN_FIELDS)[number][0];

const DELIMITERS: { value: Delimiter; label: string }[] = [
  { value: "comma", label: "Comma ( , )" },
  { value: "semicolon", label: "Semicolon ( ; )" },
  { value: "tab", label: "Tab" },
];

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The mapping's form state, from a source's config (or an empty one). */
export function initialMapping(c: Record<string, unknown>) {
  const fields = (c.fields ?? {}) as Record<string, unknown>;
  const cols = (c.columns ?? {}) as Record<string, unknown>;
  return {
    itemsPath: str(c.itemsPath) || "$[*]",
    metricKeyPath: str(fields.metricKey),
    periodStartPath: str(fields.periodStart),
    periodEndPath: str(fields.periodEnd),
    scopeTypePath: str(fields.scopeType),
    scopeIdPath: str(fields.scopeId),
    valuePath: str(fields.value),
    columns: Object.fromEntries(COLUMN_FIELDS.map(([k]) => [k, str(cols[k])])) as Record<ColumnField, string>,
    delimiter: (str(c.delimiter) || "comma") as Delimiter,
    maxRows: typeof c.maxRows === "number" ? c.maxRows : 10_000,
  };
}
export type MappingState = ReturnType<typeof initialMapping>;

/** The part of the config the mapping sets, for the source's kind (empty inputs left out). */
export function mappingConfig(kind: Kind, m: MappingState): Record<string, unknown> {
  const path = (k: string, v: string) => (v.trim() === "" ? {} : { [k]: v.trim() });
  // only the columns named; the server guesses the others from the headers
  const named = COLUMN_FIELDS.flatMap(([k]) =>
    m.columns[k].trim() === "" ? [] : [[k, m.columns[k].trim()]],
  );
  const columns = named.length === 0 ? {} : { columns: Object.fromEntries(named) };
  switch (kind) {
    case "sql":
      return { maxRows: m.maxRows, ...columns };
    case "csv_url":
      return { delimiter: m.delimiter, ...columns };
    case "http_json":
      return {
        itemsPath: m.itemsPath,
        fields: {
          periodStart: m.periodStartPath,
          value: m.valuePath,
          ...path("metricKey", m.metricKeyPath),
          ...path("periodEnd", m.periodEndPath),
          ...path("scopeType", m.scopeTypePath),
          ...path("scopeId", m.scopeIdPath),
        },
      };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export function MappingInputs({
  kind,
  m,
  onChange,
  at,
}: {
  kind: Kind;
  m: MappingState;
  onChange: (m: MappingState) => void;
  /** the API's message for a field (or anything under it) */
  at: (...fields: string[]) => string | undefined;
}) {
  const put = <K extends keyof MappingState>(k: K, v: MappingState[K]) => onChange({ ...m, [k]: v });
  return kind === "http_json" ? (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput
        label="Items path"
        description="JSONPath to the list, e.g. $.data[*]"
        value={m.itemsPath}
        onChange={(e) => put("itemsPath", e.currentTarget.value)}
        error={at("config.itemsPath")}
      />
      <TextInput
        label="Metric key path"
        description="Leave empty when the source feeds one metric"
        value={m.metricKeyPath}
        onChange={(e) => put("metricKeyPath", e.currentTarget.value)}
        error={at("config.fields.metricKey")}
      />
      <TextInput
        label="Period start path"
        required
        placeholder="$.date"
        value={m.periodStartPath}
        onChange={(e) => put("periodStartPath", e.currentTarget.value)}
        error={at("config.fields.periodStart")}
      />
      <TextInput
        label="Value path"
        required
        placeholder="$.value"
        value={m.valuePath}
        onChange={(e) => put("valuePath", e.currentTarget.value)}
        error={at("config.fields.value")}
      />
      <TextInput
        label="Period end path"
        description="Leave empty when each value describes one day"
        value={m.periodEndPath}
        onChange={(e) => put("periodEndPath", e.currentTarget.value)}
        error={at("config.fields.periodEnd")}
      />
      <TextInput
        label="Scope type path"
        description="org, unit or person; org when empty"
        value={m.scopeTypePath}
        onChange={(e) => put("scopeTypePath", e.currentTarget.value)}
        error={at("config.fields.scopeType")}
      />
      <TextInput
        label="Scope id path"
        description="The unit's or person's id"
        value={m.scopeIdPath}
        onChange={(e) => put("scopeIdPath", e.currentTarget.value)}
        error={at("config.fields.scopeId")}
      />
    </SimpleGrid>
  ) : (
    <Fieldset legend={kind === "sql" ? "Result columns" : "CSV columns"}>
      <Text size="xs" c="dimmed" mb="xs">
        The column that feeds each field. Leave one empty to guess it from the{" "}
        {kind === "sql" ? "column names" : "headers"} (metric, scope_type, scope, period_start, period_end,
        value).
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {kind === "csv_url" ? (
          <Select
            label="Delimiter"
            allowDeselect={false}
            data={DELIMITERS}
            value={m.delimiter}
            onChange={(v) => v && put("delimiter", v as Delimiter)}
            error={at("config.delimiter")}
          />
        ) : (
          <NumberInput
            label="Max rows"
            description="A larger answer fails the pull"
            min={1}
            max={100000}
            value={m.maxRows}
            onChange={(v) => put("maxRows", typeof v === "number" ? v : 10_000)}
            error={at("config.maxRows")}
          />
        )}
        {COLUMN_FIELDS.map(([k, label]) => (
          <TextInput
            key={k}
            label={label}
            value={m.columns[k]}
            onChange={(e) => onChange({ ...m, columns: { ...m.columns, [k]: e.currentTarget.value } })}
            error={at(`config.columns.${k}`)}
          />
        ))}
      </SimpleGrid>
    </Fieldset>
  );
}
