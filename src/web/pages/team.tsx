import { Title } from "@mantine/core";

export function TeamPage() {
  return <Title order={1}>TeamPage</Title>;
}
