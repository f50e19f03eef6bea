import type { EChartsCoreOption } from "echarts/core";
import { useMemo } from "react";
import { STATUS_STYLE, statusLabel } from "../components/status.tsx";
import { EChart } from "./echart.tsx";

export function StatusDistributionChart({
  counts,
  onPick,
}: {
  counts: { status: string; count: number }[];
  onPick: (status: string) => void;
}) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      animation: false,
      grid: { left: 120, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: counts.map((c) => statusLabel(c.status)), inverse: true },
      series: [
        {
          type: "bar",
          data: counts.map((c) => ({
            value: c.count,
            name: c.status,
            itemStyle: { color: STATUS_STYLE[c.status]?.chart ?? "#868e96" },
          })),
          label: { show: true, position: "right" },
        },
      ],
    }),
    [counts],
  );
  return (
    <EChart
      option={option}
      height={Math.max(160, counts.length * 34 + 40)}
      label={`Goals by status: ${counts.map((c) => `${statusLabel(c.status)} ${c.count}`).join(", ")}`}
      onClick={(p) => {
        const d = p.data as { name?: string } | undefined;
        if (d?.name) onPick(d.name);
      }}
    />
  );
}

export function UnitHeatmap({
  units,
  columns,
  cells,
  formatPercent,
  onPick,
}: {
  units: { id: string; name: string }[];
  columns: string[];
  /** [column index, unit index, mean attainment or null, goal count] */
  cells: [number, number, number | null, number][];
  formatPercent: (v: number) => string;
  onPick: (unitId: string) => void;
}) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      animation: false,
      grid: { left: 112, right: 8, top: 8, bottom: 72 },
      tooltip: {
        formatter: (p: { data: [number, number, number | null, number] }) => {
          const [c, u, v, n] = p.data;
          return `${units[u]?.name ?? ""} · ${columns[c] ?? ""}<br/>attainment ${v === null ? "—" : formatPercent(v)} (${n} goals)`;
        },
      },
      xAxis: { type: "category", data: columns, splitArea: { show: true } },
      yAxis: {
        type: "category",
        data: units.map((u) => u.name),
        inverse: true,
        splitArea: { show: true },
        axisLabel: { width: 104, overflow: "truncate" },
      },
      visualMap: {
        min: 0,
        max: 1,
        calculable: false,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        inRange: { color: ["#c92a2a", "#ffd43b", "#2b8a3e"] },
        formatter: (v: number) => formatPercent(v),
      },
      series: [
        {
          type: "heatmap",
          data: cells.filter((c) => c[2] !== null),
          label: {
            show: true,
            formatter: (p: { data: [number, number, number] }) => formatPercent(p.data[2]),
          },
        },
      ],
    }),
    [units, columns, cells, formatPercent],
  );
  return (
    <EChart
      option={option}
      height={Math.max(200, units.length * 36 + 90)}
      label={`Mean attainment by unit and goal level for ${units.length} units`}
      onClick={(p) => {
        const d = p.data as [number, number] | undefined;
        const u = d ? units[d[1]] : undefined;
        if (u) onPick(u.id);
      }}
    />
  );
}

/** Share of goals on track (or achieved) at each month end of the cycle so far. */
export function OnTrackTrendChart({
  points,
  formatPercent,
  formatDay,
}: {
  points: { date: string; share: number | null }[];
  formatPercent: (v: number) => string;
  formatDay: (d: string) => string;
}) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: unknown) => (typeof v === "number" ? formatPercent(v) : "—"),
      },
      xAxis: { type: "category", data: points.map((p) => formatDay(p.date)) },
      yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: (v: number) => formatPercent(v) } },
      series: [
        {
          name: "On track",
          type: "line",
          data: points.map((p) => p.share),
          lineStyle: { color: "#237032", width: 3 },
          itemStyle: { color: "#237032" },
        },
      ],
    }),
    [points, formatPercent, formatDay],
  );
  return (
    <EChart
      option={option}
      height={220}
      label={`Share of goals on track by month: ${points.map((p) => `${formatDay(p.date)} ${p.share === null ? "no data" : formatPercent(p.share)}`).join(", ")}`}
    />
  );
}
