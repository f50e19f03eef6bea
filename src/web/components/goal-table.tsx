import { Button, Stack, Table } from "@mantine/core";
import type { Goal } from "../api/hooks.ts";
import { useFormat } from "../app/session.ts";
import { formatDay, formatPercent } from "../lib/format.ts";
import { GoalLink } from "./links.tsx";
import { PersonName } from "./person-name.tsx";
import { ScrollX } from "./scroll-x.tsx";
import { StatusBadge } from "./status.tsx";

/** Goals as a table: title (link), owner, status, attainment against plan, due date. */
export function GoalTable({
  goals,
  label,
  hasMore,
  onMore,
  loadingMore,
}: {
  goals: Goal[];
  label: string;
  hasMore?: boolean;
  onMore?: () => void;
  loadingMore?: boolean;
}) {
  const f = useFormat();
  return (
    <Stack gap="xs">
      <ScrollX label={label} minWidth={640}>
        <Table fz="sm" striped highlightOnHover aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Goal</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Attainment</Table.Th>
              <Table.Th ta="right">Expected</Table.Th>
              <Table.Th>Due</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {goals.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>
                  <GoalLink id={g.id}>{g.title}</GoalLink>
                </Table.Td>
                <Table.Td>
                  <PersonName id={g.ownerId} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={g.progress?.status} />
                </Table.Td>
                <Table.Td ta="right">{formatPercent(f, g.progress?.attainment)}</Table.Td>
                <Table.Td ta="right">{formatPercent(f, g.progress?.expected)}</Table.Td>
                <Table.Td>{formatDay(f, g.dueDate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollX>
      {hasMore ? (
        <Button variant="default" size="xs" onClick={onMore} loading={loadingMore} w="fit-content">
          Show more
        </Button>
      ) : null}
    </Stack>
  );
}
