import type { Curves } from '../api';
import { mergeCurves, nearestCurve, type CurveGroup, type MergedCurves } from '../shape/curves';
import { fmt } from '../shape/format';
import { base, chartIn, palette } from './setup';

/** Upper y limit that ignores a few exploding losses (diverged trials) so the rest stays readable. */
export function robustMax(data: [number, number][]): number | undefined {
  const ys = data.map((p) => p[1]).filter(Number.isFinite).sort((a, b) => a - b);
  if (ys.length < 20) return undefined;
  const p99 = ys[Math.floor(ys.length * 0.99)]!;
  const max = ys[ys.length - 1]!;
  return max > p99 * 3 ? p99 * 1.2 : undefined;
}

export interface CurveView { metric: string; smoothing: number }

/**
 * Every trial's curve of one metric: completed trials solid, pruned/stopped ones dashed and grey,
 * running ones green, the best thick orange. Hover shows the nearest trial; click opens it.
 */
export function drawCurves(el: HTMLElement, info: HTMLElement, curves: Curves, bestTrialId: string | null, view: CurveView, onPick: (id: string) => void): void {
  const m: MergedCurves = mergeCurves(curves.trials, view.metric, view.smoothing, bestTrialId);
  const chart = chartIn(el);
  const many = curves.trials.length > 200;
  // `lines` in large mode draws thousands of polylines in one batch (docs/decisions/0004).
  const polylines = (name: string, group: CurveGroup, color: string, width: number, opacity: number, type: 'solid' | 'dashed' = 'solid', z = 2) => ({
    name, type: 'lines', coordinateSystem: 'cartesian2d', polyline: true, large: true, largeThreshold: 200, silent: true, z,
    // A polyline needs two points: a trial cut after one epoch is drawn as a zero-length line.
    data: m.byTrial.filter((t, i) => t.points.length > 0 && m.groupOf[i] === group).map((t) => ({ coords: t.points.length > 1 ? t.points : [t.points[0]!, t.points[0]!] })),
    lineStyle: { color, width, opacity, type }, itemStyle: { color }, emphasis: { disabled: true },
  });
  const all = m.byTrial.flatMap((t) => t.points);
  const xmax = all.reduce((a, p) => Math.max(a, p[0]), 1);
  const isLoss = /loss/i.test(view.metric);
  chart.setOption(base({
    grid: { left: 56, right: 16, top: 44, bottom: 44 },
    legend: { top: 0, type: 'scroll', data: ['completed', 'pruned / stopped', 'running', 'best'] },
    tooltip: { show: false },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 28, minInterval: 1, min: 1, max: xmax },
    yAxis: { type: 'value', name: view.smoothing > 1 ? `${view.metric} (moving avg ${view.smoothing})` : view.metric, scale: true, max: isLoss ? robustMax(all) : undefined },
    series: [
      polylines('completed', 'completed', palette.completed, 1, many ? 0.25 : 0.6),
      polylines('pruned / stopped', 'pruned', palette.pruned, 1, many ? 0.3 : 0.7, 'dashed'),
      polylines('running', 'running', palette.running, 1.5, 0.9),
      polylines('best', 'best', palette.best, 3, 1, 'solid', 4),
      { name: 'hovered', type: 'line', data: [], showSymbol: false, silent: true, z: 5, lineStyle: { width: 2.5 }, emphasis: { disabled: true } },
    ],
  }), { notMerge: true });

  // Hover: find the nearest curve under the pointer (one merged series cannot tell trials apart).
  const zr = chart.getZr();
  zr.off('mousemove');
  zr.off('click');
  zr.off('globalout');
  let hovered = -1;
  let frame = 0;
  const locate = (px: number, py: number) => {
    if (!chart.containPixel({ gridIndex: 0 }, [px, py])) return -1;
    const [x, y] = chart.convertFromPixel({ gridIndex: 0 }, [px, py]) as number[];
    const [x1, y1] = chart.convertFromPixel({ gridIndex: 0 }, [px + 1, py + 1]) as number[];
    return nearestCurve(m.byTrial, x!, y!, 1 / Math.abs(x1! - x! || 1), 1 / Math.abs(y1! - y! || 1), 10);
  };
  const show = (i: number) => {
    if (i === hovered) return;
    hovered = i;
    const t = m.byTrial[i];
    chart.setOption({ series: [{}, {}, {}, {}, { data: t ? t.points : [], lineStyle: { color: getComputedStyle(el).color } }] });
    const last = t?.points[t.points.length - 1];
    info.textContent = t ? `trial #${t.number} (${t.status}) · ${view.metric} ${fmt(last?.[1])} at epoch ${last?.[0]} · click to open` : 'hover a curve to see its trial';
    el.style.cursor = t ? 'pointer' : 'default';
  };
  zr.on('mousemove', (e: { offsetX: number; offsetY: number }) => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => show(locate(e.offsetX, e.offsetY)));
  });
  zr.on('globalout', () => show(-1));
  zr.on('click', (e: { offsetX: number; offsetY: number }) => {
    const t = m.byTrial[locate(e.offsetX, e.offsetY)];
    if (t) onPick(t.id);
  });
  if (!info.textContent) info.textContent = 'hover a curve to see its trial';
}
