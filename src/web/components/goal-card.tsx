import { Badge, Card, Group, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { api, must } from "../api/client.ts";
import type { Goal } from "../api/hooks.ts";
import { useFormat } from "../app/session.ts";
import { nextCheckInDue } from "../lib/cadence.ts";
import { formatDay, todayIn } from "../lib/format.ts";
import { AnchorLink } from "./links.tsx";
import { AttainmentBar, StatusBadge } from "./status.tsx";

export function useLastCheckIn(goalId: string) {
  return useQuery({
    queryKey: ["goal", goalId, "check-ins", "last"],
    queryFn: async () =>
      must(
        await api.GET("/api/v1/goals/{id}/check-ins", {
          params: { path: { id: goalId }, query: { limit: 1 } },
        }),
      ).items[0] ?? null,
  });
}

/** A goal in a list: title, status, attainment against the plan, and when the next check-in is due. */
export function GoalCard({ goal }: { goal: Goal }) {
  const f = useFormat();
  const last = useLastCheckIn(goal.id);
  const due = nextCheckInDue(goal.reviewCadence, last.data?.date ?? null, goal.startDate);
  const overdue = goal.state === "active" && due <= todayIn(f);
  return (
    <Card withBorder padding="md" component="article" aria-label={goal.title}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <AnchorLink to="/goals/$goalId" params={{ goalId: goal.id }} search={{ asOf: undefined }} fw={600}>
            {goal.title}
          </AnchorLink>
          <StatusBadge status={goal.progress?.status} />
        </Group>
        <Group gap={6}>
          <Badge variant="outline" color="gray.8" size="sm">
            {goal.level}
          </Badge>
          <Badge variant="outline" color="gray.8" size="sm">
            {goal.state.replaceAll("_", " ")}
          </Badge>
          {!goal.smart.pass ? (
            <Badge color="red.9" size="sm">
              SMART check fails
            </Badge>
          ) : null}
        </Group>
        <AttainmentBar
          attainment={goal.progress?.attainment}
          expected={goal.progress?.expected}
          status={goal.progress?.status}
        />
        {goal.state === "active" ? (
          <Text size="sm" c={overdue ? "red.9" : undefined} fw={overdue ? 600 : undefined}>
            {overdue ? "Check-in overdue since " : "Next check-in "}
            {formatDay(f, due)}
          </Text>
        ) : null}
      </Stack>
    </Card>
  );
}
