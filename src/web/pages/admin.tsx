import { Title } from "@mantine/core";

export function AdminPage() {
  return <Title order={1}>AdminPage</Title>;
}
