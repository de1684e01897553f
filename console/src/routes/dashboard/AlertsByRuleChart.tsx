import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

/** Alerts per day, one series per rule (counts in the order of `days`). */
export interface AlertsChartData {
  days: string[];
  series: { rule: string; counts: number[] }[];
}

// Only what this chart uses, so that the bundle carries a bar chart and not all of ECharts.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Colours per series, in order (the first is the busiest rule). */
const PALETTE = [
  '#cf1322',
  '#fa8c16',
  '#fadb14',
  '#13c2c2',
  '#2f54eb',
  '#722ed1',
  '#eb2f96',
  '#8c8c8c',
];

/**
 * Alerts per day stacked by rule. Loaded on its own (React.lazy) so that ECharts is fetched only
 * by the overview. `ruleName` puts each rule in the reader's language; `label` names the chart
 * for screen readers, which get the figures from the table beside it.
 */
export default function AlertsByRuleChart(props: {
  data: AlertsChartData;
  ruleName: (rule: string) => string;
  label: string;
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const instance = echarts.init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        color: PALETTE,
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { type: 'scroll', bottom: 0 },
        grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
        xAxis: { type: 'category', data: props.data.days.map((day) => day.slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: props.data.series.map((series) => ({
          name: props.ruleName(series.rule),
          type: 'bar',
          stack: 'alerts',
          emphasis: { focus: 'series' },
          data: series.counts,
        })),
      },
      { notMerge: true },
    );
  }, [props.data, props.ruleName]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={props.label}
      style={{ width: '100%', height: props.height ?? 300 }}
    />
  );
}
