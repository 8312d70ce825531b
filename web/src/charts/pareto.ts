import { fmt } from '../shape/format';
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
