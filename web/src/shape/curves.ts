// Learning curves for thousands of trials, grouped into a few chart series (one per group):
// one series per trial does not scale (docs/decisions/0004).
import type { CurveTrial, TrialStatus } from '../api';
import { movingAverage } from './series';

export type CurveGroup = 'best' | 'completed' | 'pruned' | 'running' | 'other';

export interface MergedCurves {
  /** Group of each trial, by index into `byTrial`. */
  groupOf: CurveGroup[];
  /** Per-trial points (after smoothing) for hover lookup. */
  byTrial: { id: string; number: number; status: TrialStatus; points: [number, number][] }[];
}

export function groupOf(status: TrialStatus, isBest: boolean): CurveGroup {
  if (isBest) return 'best';
  if (status === 'completed') return 'completed';
  if (status === 'pruned' || status === 'diverged' || status === 'cancelled' || status === 'failed') return 'pruned';
  if (status === 'running' || status === 'queued') return 'running';
  return 'other';
}

export function metricArray(t: CurveTrial, metric: string): (number | null)[] {
  const raw = t[metric];
  return Array.isArray(raw) ? (raw as (number | null)[]) : [];
}

/**
 * Every trial's `metric` curve as points, with the group it is drawn in.
 * `smoothing` > 1 applies a trailing moving average (used for the noisy training loss).
 */
export function mergeCurves(trials: CurveTrial[], metric: string, smoothing: number, bestTrialId: string | null): MergedCurves {
  const byTrial: MergedCurves['byTrial'] = [];
  const groupOfTrial: CurveGroup[] = [];
  trials.forEach((t) => {
    const ys = smoothing > 1 ? movingAverage(metricArray(t, metric), smoothing) : metricArray(t, metric);
    const points: [number, number][] = [];
    t.epochs.forEach((e, i) => {
      const y = ys[i];
      if (typeof y === 'number' && Number.isFinite(y)) points.push([e, y]);
    });
    byTrial.push({ id: t.id, number: t.number, status: t.status, points });
    groupOfTrial.push(groupOf(t.status, t.id === bestTrialId));
  });
  return { groupOf: groupOfTrial, byTrial };
}

/**
 * The trial whose curve passes nearest to (x, y) in pixel-like units: `scaleX`/`scaleY` convert data
 * distances to pixels. Linear interpolation between epochs; returns the index into `byTrial` or -1.
 */
export function nearestCurve(byTrial: MergedCurves['byTrial'], x: number, y: number, scaleX: number, scaleY: number, maxDistance = 12): number {
  let best = -1;
  let bestD = maxDistance;
  byTrial.forEach((t, i) => {
    const p = t.points;
    for (let k = 0; k < p.length; k++) {
      const a = p[k]!;
      const b = p[k + 1];
      let d: number;
      if (!b) d = Math.hypot((a[0] - x) * scaleX, (a[1] - y) * scaleY);
      else {
        const ax = a[0] * scaleX, ay = a[1] * scaleY, bx = b[0] * scaleX, by = b[1] * scaleY;
        const px = x * scaleX, py = y * scaleY;
        const dx = bx - ax, dy = by - ay;
        const len2 = dx * dx + dy * dy;
        const tt = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        d = Math.hypot(px - (ax + tt * dx), py - (ay + tt * dy));
      }
      if (d < bestD) { bestD = d; best = i; }
    }
  });
  return best;
}
