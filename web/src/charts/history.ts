import type { TrialPoint } from '../api';
import { history } from '../shape/history';
import { fmt } from '../shape/format';
import { base, chartIn, palette, statusColor } from './setup';

/** Objective per trial (coloured by status) and the best-so-far step line. */
export function drawHistory(el: HTMLElement, trials: TrialPoint[], metric: string, direction: 'maximize' | 'minimize', axis: 'number' | 'epochs', onPick: (t: TrialPoint) => void): void {
  const h = history(trials, direction, axis);
  const byStatus = new Map<string, [number, number, number][]>();
  for (const p of h.points) {
    const key = p.status;
    if (!byStatus.has(key)) byStatus.set(key, []);
    byStatus.get(key)!.push([p.x, p.y, p.trialIndex]);
  }
  const chart = chartIn(el);
  el.dataset.points = String(h.points.length); // how many trials the chart shows (read by the browser tests)
  chart.setOption(base({
    grid: { left: 56, right: 16, top: 44, bottom: 44 },
    legend: { top: 0, type: 'scroll' },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; data: number[] }) => {
        if (p.seriesName === 'best so far') return `best so far: ${fmt(p.data[1])}`;
        const t = trials[p.data[2]!];
        return t ? `trial #${t.number} (${t.status})<br>${metric}: ${fmt(t.bestValue)}<br>epochs: ${t.epochCount}` : '';
      },
    },
    xAxis: { type: 'value', name: axis === 'number' ? 'trial number' : 'cumulative epochs', nameLocation: 'middle', nameGap: 28, min: 'dataMin' },
    yAxis: { type: 'value', name: metric, scale: true },
    series: [
      ...[...byStatus.entries()].map(([status, data]) => ({
        name: status, type: 'scatter', data, symbolSize: trials.length > 500 ? 4 : 7,
        itemStyle: { color: statusColor[status] ?? palette.completed, opacity: status === 'completed' ? 0.85 : 0.6 },
        large: data.length > 300, largeThreshold: 300,
      })),
      { name: 'best so far', type: 'line', step: 'end', data: h.best, showSymbol: false, lineStyle: { color: palette.line, width: 2 }, itemStyle: { color: palette.line } },
    ],
  }), { notMerge: true });
  chart.off('click');
  chart.on('click', (p) => {
    const data = p.data as number[] | undefined;
    const t = data && p.seriesName !== 'best so far' ? trials[data[2]!] : undefined;
    if (t) onPick(t);
  });
}
