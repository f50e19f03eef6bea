import type { EChartsCoreOption } from "echarts/core";
import { useMemo } from "react";
import { EChart } from "./echart.tsx";

/** A metric's history: current values as a line, superseded (corrected) values as hollow points. */
export function MetricChart({
  points,
  formatValue,
}: {
  points: { periodEnd: string; value: number; superseded: boolean }[];
  formatValue: (v: number) => string;
}) {
  const option = useMemo<EChartsCoreOption>(() => {
    const current = points
      .filter((p) => !p.superseded)
      .sort((a, b) => a.periodEnd.localeCompare(b.periodEnd));
    return {
      animation: false,
      grid: { left: 64, right: 24, top: 32, bottom: 32 },
      legend: { top: 0 },
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: unknown) => (typeof v === "number" ? formatValue(v) : String(v)),
      },
      xAxis: { type: "time" },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: (v: number) => formatValue(v) } },
      series: [
        {
          name: "Value",
          type: "line",
          data: current.map((p) => [p.periodEnd, p.value]),
          lineStyle: { color: "#364fc7" },
          itemStyle: { color: "#364fc7" },
        },
        {
          name: "Superseded",
          type: "scatter",
          data: points.filter((p) => p.superseded).map((p) => [p.periodEnd, p.value]),
          itemStyle: { color: "#ffffff", borderColor: "#495057", borderType: "dashed", borderWidth: 1.5 },
        },
      ],
    };
  }, [points, formatValue]);
  return <EChart option={option} label={`History of the metric: ${points.length} measurements`} />;
}
