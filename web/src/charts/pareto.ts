import { fmt } from '../shape/format';
import type { FrontOverlay } from '../shape/front';
import type { ParetoView } from '../shape/pareto';
import { base, chartIn, palette } from './setup';

/** Two objectives against each other: completed trials as dots, the Pareto front highlighted and joined along x. */
export function drawPareto(el: HTMLElement, v: ParetoView, onPick: (trialId: string) => void): void {
  const row = (p: { x: number; y: number; number: number }) => [p.x, p.y, p.number];
  const chart = chartIn(el);
  chart.setOption(base({
    grid: { left: 64, right: 24, top: 44, bottom: 48 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; data: number[] }) =>
        `trial #${p.data[2]}${p.seriesName === 'Pareto front' ? ' (on the front)' : ''}<br>${v.x.metric}: ${fmt(p.data[0])}<br>${v.y.metric}: ${fmt(p.data[1])}`,
    },
    xAxis: { type: 'value', name: `${v.x.metric} (${v.x.direction})`, nameLocation: 'middle', nameGap: 30, scale: true },
    yAxis: { type: 'value', name: `${v.y.metric} (${v.y.direction})`, scale: true },
    series: [
      { name: 'other trials', type: 'scatter', data: v.others.map(row), symbolSize: 7, itemStyle: { color: palette.pruned, opacity: 0.7 } },
      {
        name: 'Pareto front', type: 'line', data: v.front.map(row), symbol: 'circle', symbolSize: 11,
        lineStyle: { color: palette.best, width: 2, type: 'dashed' }, itemStyle: { color: palette.best },
      },
    ],
  }), { notMerge: true });
  const ids = new Map([...v.front, ...v.others].map((p) => [p.number, p.trialId]));
  chart.off('click');
  chart.on('click', (p) => {
    const id = ids.get((p.data as number[] | undefined)?.[2] ?? -1);
    if (id) onPick(id);
  });
}

/** Several experiments' Pareto fronts on the same two objectives, one joined line of points each; click opens a trial. */
export function drawFrontOverlay(el: HTMLElement, o: FrontOverlay, onPick: (trialId: string) => void): void {
  const chart = chartIn(el);
  chart.setOption(base({
    grid: { left: 64, right: 24, top: 44, bottom: 48 },
    legend: { top: 0, type: 'scroll' },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; data: number[] }) =>
        `${p.seriesName}, trial #${p.data[2]}<br>${o.x.metric}: ${fmt(p.data[0])}<br>${o.y.metric}: ${fmt(p.data[1])}`,
    },
    xAxis: { type: 'value', name: `${o.x.metric} (${o.x.direction})`, nameLocation: 'middle', nameGap: 30, scale: true },
    yAxis: { type: 'value', name: `${o.y.metric} (${o.y.direction})`, scale: true },
    series: o.fronts.map((f) => ({
      name: f.name, type: 'line', data: f.points.map((p) => [p.x, p.y, p.number]), symbol: 'circle', symbolSize: 9,
      lineStyle: { width: 2, type: 'dashed' },
    })),
  }), { notMerge: true });
  chart.off('click');
  chart.on('click', (p) => {
    const number = (p.data as number[] | undefined)?.[2];
    const id = o.fronts[p.seriesIndex ?? -1]?.points.find((x) => x.number === number)?.trialId;
    if (id) onPick(id);
  });
}
