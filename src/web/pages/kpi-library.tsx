import { Title } from "@mantine/core";

export function KpiLibraryPage() {
  return <Title order={1}>KpiLibraryPage</Title>;
}
