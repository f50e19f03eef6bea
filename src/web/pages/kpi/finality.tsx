import { Alert, Button, Group, Paper, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiError, api, must, type Schemas } from "../../api/client.ts";
import { useFormat } from "../../app/session.ts";
import { formatDay, todayIn } from "../../lib/format.ts";

type Metric = Schemas["Metric"];

/**
 * How final the metric's data is: values are provisional for its finality lag after their period
 * ends, unless the steward closes the periods earlier (a close is not undone).
 */
export function FinalityPanel({
  metric,
  provisional,
  canClose,
}: {
  metric: Metric;
  provisional: number;
  canClose: boolean;
}) {
  const f = useFormat();
  const qc = useQueryClient();
  const [through, setThrough] = useState(todayIn(f));
  const close = useMutation({
    mutationFn: async () =>
      must(
        await api.POST("/api/v1/metrics/{id}/close-periods", {
          params: { path: { id: metric.id } },
          body: { through },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["metric", metric.id] });
    },
  });
  const err = close.error instanceof ApiError ? close.error : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    close.mutate();
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="metric-finality">
      <Title order={2} size="h4" id="metric-finality" mb="xs">
        Finality
      </Title>
      <Text size="sm">
        Values stay provisional for {metric.finalityLagDays} days after their period ends
        {metric.closedThrough
          ? `; every period through ${formatDay(f, metric.closedThrough)} is closed and final.`
          : "; no period has been closed early."}
      </Text>
      <Text size="sm" mt={4} role="status">
        {provisional === 0
          ? "None of the values shown below is provisional."
          : `${provisional} of the values shown below ${provisional === 1 ? "is" : "are"} provisional.`}
      </Text>
      {canClose ? (
        <form onSubmit={submit} aria-label="Close periods">
          <Group align="flex-end" mt="sm">
            <TextInput
              type="date"
              label="Close every period ending on or before"
              value={through}
              onChange={(e) => setThrough(e.currentTarget.value)}
              error={err?.fieldError("through")}
              required
            />
            <Button type="submit" variant="default" loading={close.isPending}>
              Close periods
            </Button>
          </Group>
          {err && err.errors.length === 0 ? (
            <Alert color="red" variant="light" role="alert" mt="xs" title="Not closed">
              {err.message}
            </Alert>
          ) : null}
        </form>
      ) : null}
    </Paper>
  );
}
