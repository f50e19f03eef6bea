/**
 * The one place ECharts is set up, through `echarts/core` with only the parts we draw. Pages load
 * chart components lazily, so none of this is in the initial bundle.
 */
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from "echarts/charts";
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import type { EChartsCoreOption } from "echarts/core";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([
  LineChart,
  ScatterChart,
  BarChart,
  PieChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  DatasetComponent,
  VisualMapComponent,
  SVGRenderer,
]);

export type ChartProps = {
  option: EChartsCoreOption;
  height?: number;
  /** What the chart shows, for screen readers (the page also shows the figures as text). */
  label: string;
  onClick?: (params: { name?: string; data?: unknown; seriesName?: string; value?: unknown }) => void;
};

export function EChart({ option, height = 320, label, onClick }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: "svg" });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    c.on("click", onClick);
    return () => {
      c.off("click", onClick);
    };
  }, [onClick]);
  return <div ref={el} role="img" aria-label={label} style={{ width: "100%", height }} />;
}
