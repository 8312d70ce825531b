import type { TrialPoint } from '../api';
import type { Contour, Timeline } from '../shape/analysis';
import { edf } from '../shape/analysis';
import { fmt } from '../shape/format';
import { base, chartIn, palette, statusColor } from './setup';

/** Empirical distribution of objective values, one step line per series (an experiment, or one per compared experiment). */
export function drawEdf(el: HTMLElement, series: { name: string; values: number[] }[], metric: string): void {
  const chart = chartIn(el);
  chart.setOption(base({
    grid: { left: 56, right: 16, top: 44, bottom: 44 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'item', formatter: (p: { seriesName: string; data: number[] }) => `${p.seriesName}<br>${metric} ≤ ${fmt(p.data[0])}: ${fmt(100 * p.data[1]!, 3)}% of completed trials` },
    xAxis: { type: 'value', name: metric, nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'share of trials', min: 0, max: 1 },
    series: series.map((s, i) => ({
      name: s.name, type: 'line', step: 'end', data: edf(s.values), showSymbol: false,
      lineStyle: { width: 2, ...(series.length === 1 ? { color: palette.completed } : {}) }, z: 10 - i,
    })),
  }), { notMerge: true });
}

/** Mean objective per cell of two parameters (a binned contour), with each completed trial as a dot; click opens a trial. */
export function drawContour(el: HTMLElement, c: Contour, xName: string, yName: string, metric: string, direction: 'maximize' | 'minimize',
  trials: TrialPoint[], onPick: (t: TrialPoint) => void): void {
  const chart = chartIn(el);
  const means = c.cells.map((x) => x.mean);
  const lo = Math.min(...means), hi = Math.max(...means);
  // Dots spread inside their cell by trial index (deterministic), so several trials in one cell stay clickable.
  const jitter = (i: number) => ((i * 0.6180339887) % 1) * 0.6 - 0.3;
  const dots = c.points.map(([x, y, v, i]) => [x + jitter(i), y + jitter(i * 7 + 3), v, i]);
  chart.setOption(base({
    grid: { left: 72, right: 80, top: 24, bottom: 56 },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; data: number[]; dataIndex: number }) => {
        if (p.seriesName === 'cells') return `${xName} ≈ ${c.xLabels[p.data[0]!]}, ${yName} ≈ ${c.yLabels[p.data[1]!]}<br>mean ${metric} ${fmt(p.data[2])} over ${p.data[3]} trial(s)`;
        const t = trials[(p.data ?? dots[p.dataIndex] ?? [])[3]!];
        return t ? `trial #${t.number}<br>${metric} ${fmt(t.bestValue)}` : '';
      },
    },
    xAxis: { type: 'category', data: c.xLabels, name: xName, nameLocation: 'middle', nameGap: 32, splitArea: { show: true } },
    yAxis: { type: 'category', data: c.yLabels, name: yName, nameLocation: 'middle', nameGap: 56, splitArea: { show: true } },
    visualMap: {
      min: Number.isFinite(lo) ? lo : 0, max: Number.isFinite(hi) && hi > lo ? hi : lo + 1, calculable: true, orient: 'vertical', right: 0, top: 'middle',
      seriesIndex: 0, inRange: { color: direction === 'maximize' ? ['#f1f3f5', '#1c7ed6'] : ['#1c7ed6', '#f1f3f5'] }, text: ['high', 'low'],
    },
    series: [
      { name: 'cells', type: 'heatmap', data: c.cells.map((x) => [x.x, x.y, x.mean, x.count]), emphasis: { disabled: true } },
      {
        name: 'trials', type: 'scatter', symbolSize: c.points.length > 2000 ? 3 : 6, itemStyle: { color: palette.best, opacity: 0.8 },
        data: dots, large: dots.length > 2000, largeThreshold: 2000,
      },
    ],
  }), { notMerge: true });
  chart.off('click');
  chart.on('click', (p) => {
    // A scatter in large mode reports only the index of the dot.
    const data = (p.data as number[] | undefined) ?? dots[p.dataIndex];
    const t = p.seriesName === 'trials' && data ? trials[data[3]!] : undefined;
    if (t) onPick(t);
  });
}

/** Trials as bars on one row per worker slot, coloured by status (running ones reach now). */
export function drawTimeline(el: HTMLElement, tl: Timeline, trials: TrialPoint[], onPick: (t: TrialPoint) => void): void {
  const chart = chartIn(el);
  if (tl.bars.length === 0) { chart.clear(); return; }
  const byStatus = new Map<string, { coords: [number, string][]; trialIndex: number }[]>();
  for (const b of tl.bars) {
    const status = trials[b.trialIndex]?.status ?? 'completed';
    if (!byStatus.has(status)) byStatus.set(status, []);
    const row = tl.rows[b.row]!;
    // A bar at least a pixel-ish long: a trial that ended within a second still shows.
    byStatus.get(status)!.push({ coords: [[b.start, row], [Math.max(b.end, b.start + 1000), row]], trialIndex: b.trialIndex });
  }
  const barWidth = Math.max(3, Math.min(16, Math.floor((el.clientHeight || 240) / Math.max(1, tl.rows.length) / 2)));
  chart.setOption(base({
    grid: { left: 120, right: 16, top: 32, bottom: 44 },
    legend: { top: 0, type: 'scroll' },
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesName: string; data?: { trialIndex: number }; dataIndex: number }) => {
        const t = trials[(p.data ?? byStatus.get(p.seriesName)?.[p.dataIndex])?.trialIndex ?? -1];
        return t ? `trial #${t.number} (${t.status}) on ${t.worker}<br>${t.epochCount} epochs · ${fmt(t.bestValue)}` : '';
      },
    },
    // A lines series does not widen its axes: the time range is set from the bars.
    xAxis: { type: 'time', name: 'time', nameLocation: 'middle', nameGap: 28,
      min: tl.bars.reduce((m, b) => Math.min(m, b.start), Infinity), max: tl.bars.reduce((m, b) => Math.max(m, b.end, b.start + 1000), -Infinity) },
    yAxis: { type: 'category', data: tl.rows, inverse: true, axisTick: { show: false } },
    // Thousands of bars: `lines` in large mode draws each status's bars in one batch.
    series: [...byStatus.entries()].map(([status, data]) => ({
      name: status, type: 'lines', coordinateSystem: 'cartesian2d', data, large: data.length > 1000, largeThreshold: 1000,
      lineStyle: { color: statusColor[status] ?? palette.completed, width: barWidth, opacity: 0.85, cap: 'butt' }, itemStyle: { color: statusColor[status] ?? palette.completed },
    })),
  }), { notMerge: true });
  chart.off('click');
  chart.on('click', (p) => {
    const bar = (p.data as { trialIndex: number } | undefined) ?? byStatus.get(p.seriesName ?? '')?.[p.dataIndex];
    const t = trials[bar?.trialIndex ?? -1];
    if (t) onPick(t);
  });
}
