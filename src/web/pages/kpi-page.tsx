import { Title } from "@mantine/core";

export function KpiPage() {
  return <Title order={1}>KpiPage</Title>;
}
