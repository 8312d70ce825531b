import type { EpochMetrics } from '../api';
import { downsample } from '../shape/series';
import { base, chartIn } from './setup';

const maxPoints = 1500;

/** Per-epoch metrics of one trial: losses on the left axis, accuracies on the right, down-sampled when long. */
export function drawTrialMetrics(el: HTMLElement, metrics: EpochMetrics[], names: string[], bestEpoch: number | null, stopEpoch: number | null): void {
  const xs = metrics.map((m) => m.epoch);
  const series = names.map((name) => {
    const ys = metrics.map((m) => (typeof m[name] === 'number' ? (m[name] as number) : null));
    const acc = /acc/i.test(name);
    return {
      name, type: 'line', yAxisIndex: acc ? 1 : 0, showSymbol: metrics.length < 60, symbolSize: 4,
      data: downsample(xs, ys, maxPoints), lineStyle: { width: 2, type: /^train/.test(name) ? 'dashed' : 'solid' },
    };
  });
  const marks = [
    ...(bestEpoch ? [{ xAxis: bestEpoch, label: { formatter: 'best' } }] : []),
    ...(stopEpoch ? [{ xAxis: stopEpoch, label: { formatter: 'stopped' } }] : []),
  ];
  if (series[0] && marks.length) (series[0] as Record<string, unknown>).markLine = { symbol: 'none', data: marks, lineStyle: { type: 'dotted' } };
  chartIn(el).setOption(base({
    grid: { left: 56, right: 56, top: 44, bottom: 60 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    dataZoom: metrics.length > 50 ? [{ type: 'inside' }, { type: 'slider', height: 16, bottom: 6 }] : [],
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 1 },
    yAxis: [{ type: 'value', name: 'loss', scale: true }, { type: 'value', name: 'accuracy', min: 0, max: 1, splitLine: { show: false } }],
    series,
  }), { notMerge: true });
}
