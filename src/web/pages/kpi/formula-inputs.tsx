import { List, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import { api, must } from "../../api/client.ts";

/**
 * The metric keys a formula names, as the user types: words not followed by "(" (those are the
 * functions min, max, abs, round, sqrt). The server's check is the authority; this is a preview.
 */
export function formulaKeys(formula: string): string[] {
  const keys: string[] = [];
  for (const m of formula.matchAll(/(?<![A-Za-z0-9_.])[A-Za-z_][A-Za-z0-9_]*(?!\s*\(|[A-Za-z0-9_])/g)) {
    if (!keys.includes(m[0])) keys.push(m[0]);
  }
  return keys;
}

/** The metrics a formula reads, each with its name, or marked when the KPI library has no such key. */
export function FormulaInputs({ formula }: { formula: string }) {
  const [debounced] = useDebouncedValue(formula, 300);
  const keys = formulaKeys(debounced);
  const found = useQuery({
    queryKey: ["metrics", "formula-inputs", keys],
    enabled: keys.length > 0,
    queryFn: async () =>
      Promise.all(
        keys.map(async (key) => {
          const page = must(await api.GET("/api/v1/metrics", { params: { query: { q: key, limit: 50 } } }));
          return { key, metric: page.items.find((m) => m.key === key) ?? null };
        }),
      ),
  });
  if (keys.length === 0) return null;
  if (found.isError)
    return (
      <Text size="sm" c="red" role="alert">
        Could not look the referenced metrics up.
      </Text>
    );
  return (
    <div aria-live="polite">
      <Text size="sm" fw={500} id="formula-inputs-label">
        Reads these metrics
      </Text>
      {found.isPending ? (
        <Text size="sm" c="dimmed">
          Looking them up…
        </Text>
      ) : (
        <List size="sm" aria-labelledby="formula-inputs-label">
          {(found.data ?? []).map(({ key, metric }) => (
            <List.Item key={key}>
              <Text span ff="monospace" size="sm">
                {key}
              </Text>{" "}
              {metric ? (
                <Text span size="sm" c="dimmed">
                  — {metric.name}
                </Text>
              ) : (
                <Text span size="sm" c="red">
                  — not in the KPI library
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}
