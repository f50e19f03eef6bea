import { Button, Group, List, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { type Goal, useCurrentCycle, useGoalPages } from "../api/hooks.ts";
import { useMe } from "../app/session.ts";
import { GoalCard } from "../components/goal-card.tsx";
import { ButtonLink, GoalLink } from "../components/links.tsx";
import { Empty, ErrorState, Loading } from "../components/states.tsx";

/** "What I must do now": goals off track or at risk, and goals failing their SMART check. */
function ToDo({ goals }: { goals: Goal[] }) {
  const offTrack = goals.filter(
    (g) => g.progress?.status === "off_track" || g.progress?.status === "at_risk",
  );
  const failingSmart = goals.filter((g) => !g.smart.pass && g.state !== "cancelled");
  if (offTrack.length === 0 && failingSmart.length === 0) {
    return <Text size="sm">Nothing urgent: every goal is on pace and passes its SMART check.</Text>;
  }
  const link = (g: Goal) => <GoalLink id={g.id}>{g.title}</GoalLink>;
  return (
    <Stack gap="xs">
      {offTrack.length > 0 ? (
        <div>
          <Text fw={600} size="sm">
            Behind plan
          </Text>
          <List size="sm">
            {offTrack.map((g) => (
              <List.Item key={g.id}>
                {link(g)} — {g.progress?.status === "off_track" ? "off track" : "at risk"}
              </List.Item>
            ))}
          </List>
        </div>
      ) : null}
      {failingSmart.length > 0 ? (
        <div>
          <Text fw={600} size="sm">
            Failing the SMART check
          </Text>
          <List size="sm">
            {failingSmart.map((g) => (
              <List.Item key={g.id}>{link(g)}</List.Item>
            ))}
          </List>
        </div>
      ) : null}
    </Stack>
  );
}

export function MyGoalsPage() {
  const me = useMe();
  const cycle = useCurrentCycle();
  const pages = useGoalPages({ mine: "true", cycleId: cycle.data?.id }, cycle.isSuccess);
  const goals = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={1}>My goals</Title>
          <Text c="dimmed" size="sm">
            {me.name} · {cycle.data ? `cycle ${cycle.data.name}` : "no active cycle"}
          </Text>
        </div>
        <ButtonLink to="/goals/new" search={{ parentId: undefined }}>
          New goal
        </ButtonLink>
      </Group>
      {cycle.isPending || pages.isPending ? (
        <Loading label="Loading your goals…" />
      ) : cycle.error || pages.error ? (
        <ErrorState error={cycle.error ?? pages.error} onRetry={() => pages.refetch()} />
      ) : goals.length === 0 ? (
        <Empty title="No goals yet">
          You own no goals in this cycle. Create one, or ask your manager to cascade one.
        </Empty>
      ) : (
        <>
          <Paper withBorder p="md" component="section" aria-labelledby="todo-title">
            <Title order={2} size="h4" id="todo-title" mb="xs">
              What I must do now
            </Title>
            <ToDo goals={goals} />
          </Paper>
          <Title order={2} size="h3">
            Goals I own or contribute to
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {goals.map((g) => (
              <GoalCard key={g.id} goal={g} />
            ))}
          </SimpleGrid>
          {pages.hasNextPage ? (
            <Button
              variant="default"
              onClick={() => pages.fetchNextPage()}
              loading={pages.isFetchingNextPage}
            >
              Show more goals
            </Button>
          ) : null}
        </>
      )}
    </Stack>
  );
}
