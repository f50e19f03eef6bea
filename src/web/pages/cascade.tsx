import { Title } from "@mantine/core";

export function CascadePage() {
  return <Title order={1}>CascadePage</Title>;
}
