import { Title } from "@mantine/core";

export function GoalPage() {
  return <Title order={1}>GoalPage</Title>;
}
