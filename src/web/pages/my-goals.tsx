import { Title } from "@mantine/core";

export function MyGoalsPage() {
  return <Title order={1}>MyGoalsPage</Title>;
}
