import { Title } from "@mantine/core";

export function NewGoalPage() {
  return <Title order={1}>New goal</Title>;
}
export function EditGoalPage() {
  return <Title order={1}>Edit goal</Title>;
}
