import { Badge, Group, List, Paper, Stack, Text, Title } from "@mantine/core";
import type { SmartCheck } from "../../../domain/smart.ts";

const LETTERS = [
  ["specific", "Specific"],
  ["measurable", "Measurable"],
  ["achievable", "Achievable"],
  ["relevant", "Relevant"],
  ["timeBound", "Time-bound"],
] as const;

/** The SMART check as the person types: each letter passes, or says which field to fix. */
export function SmartPanel({ smart }: { smart: SmartCheck }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="smart-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h5" id="smart-title">
            SMART check
          </Title>
          <Badge color={smart.pass ? "#237032" : "red.9"} aria-live="polite">
            {smart.pass ? "passes" : "fails"}
          </Badge>
        </Group>
        <div aria-live="polite">
          {LETTERS.map(([k, label]) => (
            <div key={k}>
              <Text size="sm" fw={600} c={smart[k].pass ? "#237032" : "red.9"}>
                {smart[k].pass ? "✓" : "✗"} {label}
              </Text>
              {smart[k].reasons.length > 0 ? (
                <List size="xs" ml="md">
                  {smart[k].reasons.map((r) => (
                    <List.Item key={r}>{r}</List.Item>
                  ))}
                </List>
              ) : null}
            </div>
          ))}
        </div>
      </Stack>
    </Paper>
  );
}
