/**
 * A goal's chart: the metric's values over the goal's window, the plan curve from baseline through
 * the checkpoints to the target, threshold and stretch lines, and a marker for the as-of date.
 * Flow metrics (sum) are drawn cumulatively, since their target is the window's total.
 */
import type { EChartsCoreOption } from "echarts/core";
import { useMemo } from "react";
import { EChart } from "./echart.tsx";

export type GoalChartInput = {
  startDate: string;
  dueDate: string;
  asOf: string;
  baseline: number | null;
  target: number | null;
  threshold: number | null;
  stretch: number | null;
  checkpoints: { date: string; expected: number }[];
  aggregation: string | null;
  measurements: { periodEnd: string; value: number; superseded?: boolean }[];
  formatValue: (v: number) => string;
  formatDay: (d: string) => string;
};

/** Plan curve in value terms: level metrics move from baseline to target, flow metrics from 0. */
export function planPoints(
  g: Pick<GoalChartInput, "startDate" | "dueDate" | "baseline" | "target" | "checkpoints" | "aggregation">,
) {
  if (g.target === null) return [];
  const flow = g.aggregation === "sum";
  const from = flow ? 0 : (g.baseline ?? 0);
  const to = g.target;
  const pts: [string, number][] = [[g.startDate, from]];
  for (const c of [...g.checkpoints].sort((a, b) => a.date.localeCompare(b.date))) {
    pts.push([c.date, from + c.expected * (to - from)]);
  }
  pts.push([g.dueDate, to]);
  return pts;
}

export function GoalChart(props: GoalChartInput) {
  const option = useMemo<EChartsCoreOption>(() => {
    const flow = props.aggregation === "sum";
    const current = props.measurements
      .filter((m) => !m.superseded)
      .sort((a, b) => a.periodEnd.localeCompare(b.periodEnd));
    let running = 0;
    const actual = current
      .filter((m) => m.periodEnd >= props.startDate)
      .map((m) => {
        running += m.value;
        return [m.periodEnd, flow ? running : m.value] as [string, number];
      });
    const superseded = props.measurements.filter((m) => m.superseded).map((m) => [m.periodEnd, m.value]);
    const lines: object[] = [
      {
        xAxis: props.asOf,
        name: "As of",
        label: { formatter: "as of" },
        lineStyle: { color: "#1a1b1e", type: "solid" },
      },
    ];
    if (props.threshold !== null)
      lines.push({
        yAxis: props.threshold,
        name: "Threshold",
        label: { formatter: "threshold" },
        lineStyle: { color: "#e8590c" },
      });
    if (props.stretch !== null)
      lines.push({
        yAxis: props.stretch,
        name: "Stretch",
        label: { formatter: "stretch" },
        lineStyle: { color: "#087f5b" },
      });
    return {
      animation: false,
      grid: { left: 56, right: 56, top: 36, bottom: 40 },
      legend: { top: 0 },
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: unknown) => (typeof v === "number" ? props.formatValue(v) : String(v)),
      },
      xAxis: {
        type: "time",
        min: props.startDate,
        max: props.dueDate,
        axisLabel: {
          formatter: (v: number) => props.formatDay(new Date(v).toISOString().slice(0, 10)),
          hideOverlap: true,
        },
      },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: (v: number) => props.formatValue(v) } },
      series: [
        {
          name: flow ? "Actual (cumulative)" : "Actual",
          type: "line",
          data: actual,
          symbolSize: 7,
          lineStyle: { width: 3, color: "#364fc7" },
          itemStyle: { color: "#364fc7" },
          markLine: { symbol: "none", data: lines },
        },
        {
          name: "Plan",
          type: "line",
          data: planPoints(props),
          symbol: "diamond",
          lineStyle: { type: "dashed", color: "#495057" },
          itemStyle: { color: "#495057" },
        },
        {
          name: "Superseded",
          type: "scatter",
          data: superseded,
          itemStyle: { color: "#adb5bd", borderColor: "#495057", borderType: "dashed" },
        },
      ],
    };
  }, [props]);
  return (
    <EChart
      option={option}
      label={`Chart of the goal's values against its plan from ${props.formatDay(props.startDate)} to ${props.formatDay(props.dueDate)}`}
    />
  );
}
