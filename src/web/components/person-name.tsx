import { Text } from "@mantine/core";
import { usePerson } from "../api/hooks.ts";

/** A person's name, loaded by id (cached), with a placeholder while it loads. */
export function PersonName({ id, size = "sm" }: { id: string | null | undefined; size?: string }) {
  const person = usePerson(id);
  if (!id)
    return (
      <Text span size={size}>
        —
      </Text>
    );
  return (
    <Text span size={size}>
      {person.data?.name ?? "…"}
    </Text>
  );
}
