import { Code, Stack, Table, Text, Title } from "@mantine/core";
import type { Schemas } from "../../api/client.ts";
import { useFormat } from "../../app/session.ts";
import { GoalLink } from "../../components/links.tsx";
import { ScrollX } from "../../components/scroll-x.tsx";
import { formatDay, formatInstant, formatNumber, formatPercent } from "../../lib/format.ts";

export type Explain = Schemas["ProgressExplain"];

/** How a goal's figures were computed: the formula, the inputs and the measurements read. */
export function ExplainPanel({ explain }: { explain: Explain }) {
  const f = useFormat();
  const i = explain.inputs;
  const inputs: [string, string][] = [
    ["Kind", i.kind],
    ["Aggregation", i.aggregation ?? "—"],
    ["Baseline", formatNumber(f, i.baseline, 2)],
    ["Target", formatNumber(f, i.target, 2)],
    ["Threshold", formatNumber(f, i.threshold, 2)],
    ["Stretch", formatNumber(f, i.stretch, 2)],
    ["Value read", formatNumber(f, i.value, 2)],
  ];
  return (
    <Stack gap="sm" aria-label="Explanation of the figures">
      <Text size="sm">
        Computed as of {formatDay(f, explain.asOf)} from version {explain.version} of the goal
        {explain.knownAt ? `, with what was known at ${formatInstant(f, explain.knownAt)}` : ""}.
      </Text>
      <Code block>{explain.formula}</Code>
      <Table fz="sm" withTableBorder>
        <Table.Tbody>
          {inputs.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th scope="row" w={160}>
                {k}
              </Table.Th>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm">
        Result: attainment {formatPercent(f, explain.result.attainment)}, expected{" "}
        {formatPercent(f, explain.result.expected)}, pace {formatNumber(f, explain.result.pace, 2)}, status{" "}
        {explain.result.status.replaceAll("_", " ")}.
      </Text>
      {i.measurements.length > 0 ? (
        <>
          <Title order={4} size="h6">
            Measurements read ({i.measurements.length})
          </Title>
          <ScrollX label="Measurements read" minWidth={360} maxHeight={240}>
            <Table fz="xs" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Period</Table.Th>
                  <Table.Th ta="right">Value</Table.Th>
                  <Table.Th>Recorded</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {i.measurements.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>
                      {formatDay(f, m.periodStart)} – {formatDay(f, m.periodEnd)}
                    </Table.Td>
                    <Table.Td ta="right">{formatNumber(f, m.value, 2)}</Table.Td>
                    <Table.Td>{formatInstant(f, m.recordedAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollX>
        </>
      ) : null}
      {i.children.length > 0 ? (
        <>
          <Title order={4} size="h6">
            Supporting goals rolled up
          </Title>
          <Table fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Goal</Table.Th>
                <Table.Th ta="right">Weight</Table.Th>
                <Table.Th ta="right">Attainment</Table.Th>
                <Table.Th ta="right">Expected</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {i.children.map((c) => (
                <Table.Tr key={c.goalId}>
                  <Table.Td>
                    <GoalLink id={c.goalId}>open</GoalLink>
                  </Table.Td>
                  <Table.Td ta="right">{formatNumber(f, c.weight, 2)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(f, c.attainment)}</Table.Td>
                  <Table.Td ta="right">{formatPercent(f, c.expected)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : null}
    </Stack>
  );
}
