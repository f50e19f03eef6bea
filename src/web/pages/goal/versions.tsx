import { Group, Select, Stack, Table, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../../api/client.ts";
import { useFormat } from "../../app/session.ts";
import { PersonName } from "../../components/person-name.tsx";
import { ScrollX } from "../../components/scroll-x.tsx";
import { ErrorState, Loading } from "../../components/states.tsx";
import { formatInstant } from "../../lib/format.ts";

const show = (v: unknown) =>
  v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v);

function useVersion(goalId: string, version: number | null) {
  return useQuery({
    queryKey: ["goal", goalId, "version", version],
    enabled: version !== null,
    queryFn: async () =>
      must(
        await api.GET("/api/v1/goals/{id}/versions/{version}", {
          params: { path: { id: goalId, version: version ?? 1 } },
        }),
      ),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The goal's version history, and what changed between two versions. */
export function Versions({ goalId }: { goalId: string }) {
  const f = useFormat();
  const list = useQuery({
    queryKey: ["goal", goalId, "versions"],
    queryFn: async () =>
      must(
        await api.GET("/api/v1/goals/{id}/versions", {
          params: { path: { id: goalId }, query: { limit: 100 } },
        }),
      ),
  });
  const versions = list.data?.items ?? [];
  const latest = versions.reduce((m, v) => Math.max(m, v.version), 0);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const fromV = from ? Number(from) : latest > 1 ? latest - 1 : null;
  const toV = to ? Number(to) : latest || null;
  const a = useVersion(goalId, fromV);
  const b = useVersion(goalId, toV);
  if (list.isPending) return <Loading label="Loading versions…" />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const options = versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  const sa = (a.data?.snapshot ?? {}) as Record<string, unknown>;
  const sb = (b.data?.snapshot ?? {}) as Record<string, unknown>;
  const changed = Object.keys({ ...sa, ...sb }).filter((k) => k !== "version" && show(sa[k]) !== show(sb[k]));
  return (
    <Stack gap="sm">
      <Table fz="sm" aria-label="Versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Effective from</Table.Th>
            <Table.Th>Changed by</Table.Th>
            <Table.Th>Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.version}>
              <Table.Td>{v.version}</Table.Td>
              <Table.Td>{formatInstant(f, v.effectiveFrom)}</Table.Td>
              <Table.Td>
                <PersonName id={v.changedBy} />
              </Table.Td>
              <Table.Td>{v.reason || "—"}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {versions.length > 1 ? (
        <>
          <Group grow>
            <Select
              label="Compare version"
              data={options}
              value={fromV ? String(fromV) : null}
              onChange={setFrom}
              allowDeselect={false}
            />
            <Select
              label="with version"
              data={options}
              value={toV ? String(toV) : null}
              onChange={setTo}
              allowDeselect={false}
            />
          </Group>
          {a.isPending || b.isPending ? (
            <Loading label="Comparing…" />
          ) : changed.length === 0 ? (
            <Text size="sm">No differences between these versions.</Text>
          ) : (
            <ScrollX label="Differences between versions" minWidth={480}>
              <Table fz="sm" aria-label="Differences between versions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Field</Table.Th>
                    <Table.Th>Version {fromV}</Table.Th>
                    <Table.Th>Version {toV}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {changed.map((k) => (
                    <Table.Tr key={k}>
                      <Table.Td fw={600}>{k}</Table.Td>
                      <Table.Td style={{ textDecoration: "line-through" }}>{show(sa[k])}</Table.Td>
                      <Table.Td>{show(sb[k])}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollX>
          )}
        </>
      ) : (
        <Text size="sm">Only one version so far: the goal has not been changed since it was created.</Text>
      )}
    </Stack>
  );
}
