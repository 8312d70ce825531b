import type { Importance, TrialPoint } from '../api';
import { fmt } from '../shape/format';
import { parallelData, slicePoints, type ParamDef } from '../shape/params';
import { base, chartIn, palette, statusColor } from './setup';

/** Parallel coordinates: one axis per searched parameter (log where the parameter is) and the objective. */
export function drawParallel(el: HTMLElement, defs: ParamDef[], trials: TrialPoint[], metric: string, direction: 'maximize' | 'minimize', bestTrialId: string | null): void {
  const p = parallelData(defs, trials, metric);
  const values = p.rows.map((r) => r.value[r.value.length - 1] as number);
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const best = p.rows.filter((r) => trials[r.trialIndex]?.id === bestTrialId);
  chartIn(el).setOption(base({
    parallel: { left: 60, right: 80, top: 40, bottom: 30, parallelAxisDefault: { nameLocation: 'start', nameGap: 16, nameTextStyle: { fontSize: 12 } } },
    parallelAxis: p.axes.map((a) => ({ ...a, scale: a.type === 'value' })),
    visualMap: {
      type: 'continuous', dimension: p.axes.length - 1, min, max: max === min ? min + 1 : max, calculable: true,
      inRange: { color: direction === 'maximize' ? ['#4c6ef5', '#40c057', '#fab005', '#e8590c'] : ['#e8590c', '#fab005', '#40c057', '#4c6ef5'] },
      right: 0, top: 'middle', itemHeight: 120, text: [fmt(max), fmt(min)], seriesIndex: 0,
    },
    tooltip: { show: false },
    series: [
      { type: 'parallel', data: p.rows.map((r) => r.value), lineStyle: { width: 1, opacity: p.rows.length > 300 ? 0.25 : 0.6 }, emphasis: { disabled: true }, progressive: 0, realtime: true },
      { type: 'parallel', data: best.map((r) => r.value), lineStyle: { width: 3, opacity: 1, color: palette.best }, z: 5 },
    ],
  }), { notMerge: true });
}

/** One small scatter per parameter: objective against the parameter (log x for log parameters). */
export function drawSlice(el: HTMLElement, def: ParamDef, trials: TrialPoint[], metric: string, onPick: (t: TrialPoint) => void): void {
  const pts = slicePoints(def, trials);
  const groups = new Map<string, [number | string, number, number][]>();
  for (const p of pts) {
    const s = trials[p[2]]!.status === 'completed' ? 'completed' : 'pruned / stopped';
    if (!groups.has(s)) groups.set(s, []);
    groups.get(s)!.push(p);
  }
  const chart = chartIn(el);
  chart.setOption(base({
    title: { text: def.name + (def.kind === 'log' ? ' (log)' : ''), left: 'center', top: 0, textStyle: { fontSize: 13 } },
    grid: { left: 50, right: 12, top: 28, bottom: 28 },
    tooltip: { trigger: 'item', formatter: (p: { data: [unknown, number, number] }) => `trial #${trials[p.data[2]]?.number}<br>${def.name}: ${fmt(p.data[0])}<br>${metric}: ${fmt(p.data[1])}` },
    xAxis: def.kind === 'categorical' ? { type: 'category', data: def.categories } : { type: def.kind === 'log' ? 'log' : 'value', scale: true },
    yAxis: { type: 'value', scale: true },
    series: [...groups.entries()].map(([s, data]) => ({
      name: s, type: 'scatter', data, symbolSize: pts.length > 500 ? 3 : 6,
      itemStyle: { color: s === 'completed' ? palette.completed : statusColor.pruned, opacity: 0.7 }, large: data.length > 300, largeThreshold: 300,
    })),
  }), { notMerge: true });
  chart.off('click');
  chart.on('click', (p) => { const t = trials[(p.data as number[])[2]!]; if (t) onPick(t); });
}

export function drawImportance(el: HTMLElement, imp: Importance): void {
  const items = [...imp.parameters].sort((a, b) => a.importance - b.importance);
  chartIn(el).setOption(base({
    grid: { left: 110, right: 40, top: 10, bottom: 24 },
    xAxis: { type: 'value', max: Math.max(1e-9, ...items.map((i) => i.importance)) },
    yAxis: { type: 'category', data: items.map((i) => i.name) },
    tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}: ${fmt(p.value, 3)}` },
    series: [{ type: 'bar', data: items.map((i) => i.importance), itemStyle: { color: palette.completed }, label: { show: true, position: 'right', formatter: (p: { value: number }) => fmt(p.value, 2) } }],
  }), { notMerge: true });
}
