// Optimization history: each trial's objective and the best-so-far line, against trial number and
// against cumulative epochs trained (the cost axis on which early stopping shows its savings).
import type { TrialStatus, TrialPoint } from '../api';
import { bestSoFar, cumulative, type Direction } from './series';

export interface HistoryPoint { x: number; y: number; trialIndex: number; status: TrialStatus }
export interface History {
  points: HistoryPoint[];
  /** Step line of the best completed trial so far: [x, best]. */
  best: [number, number][];
}

const ended = (s: TrialStatus) => s !== 'queued' && s !== 'running';

/**
 * `axis = 'number'`: x is the trial number. `axis = 'epochs'`: x is the total epochs trained by all
 * trials up to and including this one (in trial-number order). Best-so-far counts completed trials only:
 * a pruned trial's value comes from fewer epochs and is not comparable. `value` reads a trial's value (by default its
 * `bestValue`, the first objective; the compare page passes another objective's reader).
 */
export function history<T extends TrialPoint>(trials: T[], direction: Direction, axis: 'number' | 'epochs',
  value: (t: T) => number | null = (t) => t.bestValue): History {
  const order = trials.map((t, i) => ({ t, i })).sort((a, b) => a.t.number - b.t.number);
  const xs = axis === 'number' ? order.map(({ t }) => t.number) : cumulative(order.map(({ t }) => t.epochCount));
  const values = order.map(({ t }) => value(t));
  const completed = order.map(({ t }, k) => (t.status === 'completed' ? values[k]! : null));
  const running = bestSoFar(completed, direction);
  const points: HistoryPoint[] = [];
  const best: [number, number][] = [];
  order.forEach(({ t, i }, k) => {
    const x = xs[k]!;
    const v = values[k];
    if (v !== null && v !== undefined && Number.isFinite(v) && (ended(t.status) || t.epochCount > 0)) {
      points.push({ x, y: v, trialIndex: i, status: t.status });
    }
    const b = running[k];
    if (b !== null && b !== undefined) best.push([x, b]);
  });
  return { points, best };
}

/** Epochs saved by early stopping: budgeted epochs minus trained, over trials that ended. */
export function epochsSaved(trials: TrialPoint[]): number {
  return trials.filter((t) => ended(t.status) && t.status !== 'cancelled').reduce((s, t) => s + Math.max(0, (t.maxEpochs ?? 0) - (t.epochCount ?? 0)), 0);
}
