// ECharts, tree-shaken to the charts the dashboard draws, on canvas (docs/decisions/0004).
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, LinesChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, ParallelComponent,
  TitleComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart, LinesChart, ScatterChart, BarChart, HeatmapChart, ParallelChart, GridComponent, TooltipComponent, LegendComponent,
  ParallelComponent, VisualMapComponent, DataZoomComponent, MarkLineComponent, TitleComponent, CanvasRenderer,
]);

export type Chart = echarts.ECharts;
export type Option = echarts.EChartsCoreOption;

const dark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

/** Colours that read in both light and dark mode. */
export const palette = {
  best: '#e8590c',
  completed: '#1c7ed6',
  pruned: '#868e96',
  running: '#2f9e44',
  failed: '#c92a2a',
  line: '#e8590c',
};

export const statusColor: Record<string, string> = {
  completed: palette.completed, pruned: palette.pruned, diverged: '#f08c00', failed: palette.failed,
  cancelled: '#adb5bd', running: palette.running, queued: '#adb5bd',
};

const instances = new Map<HTMLElement, { chart: Chart; ro: ResizeObserver }>();

/** The chart living in `el`, created on first use (kept across live refreshes so nothing flickers). */
export function chartIn(el: HTMLElement): Chart {
  const existing = instances.get(el);
  if (existing) return existing.chart;
  const chart = echarts.init(el, dark() ? 'dark' : undefined, { renderer: 'canvas' });
  const ro = new ResizeObserver(() => chart.resize());
  ro.observe(el);
  instances.set(el, { chart, ro });
  return chart;
}

/** Base options shared by every chart: no animation (live updates must not flicker), transparent background. */
export function base(option: Option): Option {
  return { animation: false, backgroundColor: 'transparent', textStyle: { fontFamily: 'inherit' }, ...option };
}

export function disposeCharts(root: HTMLElement): void {
  for (const [el, { chart, ro }] of instances) {
    if (root.contains(el) || !el.isConnected) {
      ro.disconnect();
      chart.dispose();
      instances.delete(el);
    }
  }
}

const pending = new Map<Element, () => void>();
const observer = typeof IntersectionObserver === 'undefined' ? null : new IntersectionObserver((entries) => {
  for (const e of entries) {
    if (!e.isIntersecting) continue;
    const draw = pending.get(e.target);
    pending.delete(e.target);
    observer!.unobserve(e.target);
    draw?.();
  }
}, { rootMargin: '300px' });

/**
 * Draw now if `el` is on (or near) the screen, else when it scrolls into view: charts below the fold
 * (parallel coordinates, slices) then cost nothing on the first paint of a 2,000-trial experiment.
 */
export function drawWhenVisible(el: HTMLElement, draw: () => void): void {
  const r = el.getBoundingClientRect();
  if (!observer || (r.top < window.innerHeight + 300 && r.bottom > -300)) { pending.delete(el); draw(); return; }
  if (!pending.has(el)) observer.observe(el);
  pending.set(el, draw);
}

export { echarts };
