import { Box, Progress, Text, Tooltip } from "@mantine/core";
import { useFormat } from "../app/session.ts";
import { formatPercent } from "../lib/format.ts";

/** Status colours chosen for WCAG AA contrast with their text; the label is always written too. */
export const STATUS_STYLE: Record<string, { bg: string; fg: string; label: string; chart: string }> = {
  on_track: { bg: "#237032", fg: "#ffffff", label: "On track", chart: "#2f9e44" },
  at_risk: { bg: "#ffd43b", fg: "#1a1b1e", label: "At risk", chart: "#fab005" },
  off_track: { bg: "#c92a2a", fg: "#ffffff", label: "Off track", chart: "#e03131" },
  not_started: { bg: "#e9ecef", fg: "#1a1b1e", label: "Not started", chart: "#adb5bd" },
  achieved: { bg: "#087f5b", fg: "#ffffff", label: "Achieved", chart: "#0ca678" },
  partially_achieved: { bg: "#ffc078", fg: "#1a1b1e", label: "Partially achieved", chart: "#fd7e14" },
  missed: { bg: "#862e9c", fg: "#ffffff", label: "Missed", chart: "#862e9c" },
  no_data: { bg: "#dee2e6", fg: "#1a1b1e", label: "No data", chart: "#868e96" },
};

export const STATUSES = Object.keys(STATUS_STYLE);

export function statusLabel(status: string | null | undefined): string {
  if (!status) return "No data";
  return STATUS_STYLE[status]?.label ?? status.replaceAll("_", " ");
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  const s = STATUS_STYLE[status ?? "no_data"] ?? STATUS_STYLE.no_data;
  return (
    <Box
      component="span"
      px={8}
      py={2}
      style={{
        background: s?.bg,
        color: s?.fg,
        borderRadius: 4,
        fontSize: 12,
        fontWeight: 600,
        whiteSpace: "nowrap",
        display: "inline-block",
      }}
    >
      {statusLabel(status)}
    </Box>
  );
}

/** Attainment as a bar, with a tick where the plan expects it to be today. */
export function AttainmentBar({
  attainment,
  expected,
  status,
}: {
  attainment: number | null | undefined;
  expected: number | null | undefined;
  status: string | null | undefined;
}) {
  const f = useFormat();
  const a = Math.max(0, Math.min(1, attainment ?? 0));
  const e = Math.max(0, Math.min(1, expected ?? 0));
  const color = STATUS_STYLE[status ?? "no_data"]?.chart ?? "#868e96";
  const label = `Attainment ${formatPercent(f, attainment)}, expected ${formatPercent(f, expected)}`;
  return (
    <Tooltip label={label}>
      <Box pos="relative" miw={120}>
        <Progress value={a * 100} color={color} size="lg" aria-label={label} />
        <Box aria-hidden pos="absolute" top={-3} left={`calc(${e * 100}% - 1px)`} w={2} h={22} bg="#1a1b1e" />
        <Text size="xs" c="dimmed" mt={2}>
          {formatPercent(f, attainment)} of target · plan {formatPercent(f, expected)}
        </Text>
      </Box>
    </Tooltip>
  );
}
