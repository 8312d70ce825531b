// Pure shaping of metric series for the charts: best-so-far, smoothing, down-sampling.

export type Direction = 'maximize' | 'minimize';
type Num = number | null | undefined;

const finite = (v: Num): v is number => typeof v === 'number' && Number.isFinite(v);

/** Running best of `values` in `direction`; positions before the first finite value are null. */
export function bestSoFar(values: Num[], direction: Direction): (number | null)[] {
  let best: number | null = null;
  return values.map((v) => {
    if (finite(v) && (best === null || (direction === 'maximize' ? v > best : v < best))) best = v;
    return best;
  });
}

/** Trailing moving average over the last `window` finite values; non-finite inputs stay null. */
export function movingAverage(values: Num[], window: number): (number | null)[] {
  const w = Math.max(1, Math.floor(window));
  const buf: number[] = [];
  let sum = 0;
  return values.map((v) => {
    if (!finite(v)) return null;
    buf.push(v);
    sum += v;
    if (buf.length > w) sum -= buf.shift()!;
    return sum / buf.length;
  });
}

/** Cumulative sum of epochs: x position of each trial's end on a "total epochs trained" axis. */
export function cumulative(counts: number[]): number[] {
  let total = 0;
  return counts.map((c) => (total += Math.max(0, c || 0)));
}

/**
 * Min–max decimation: at most `maxPoints` points, keeping each bucket's extremes in x order,
 * so spikes (a diverging loss) survive down-sampling. Non-finite y values are dropped.
 */
export function downsample(xs: number[], ys: Num[], maxPoints: number): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    const x = xs[i];
    if (finite(y) && x !== undefined) pts.push([x, y]);
  }
  if (pts.length <= maxPoints || maxPoints < 4) return pts;
  const buckets = Math.floor(maxPoints / 2);
  const size = pts.length / buckets;
  const out: [number, number][] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(pts.length, Math.floor((b + 1) * size));
    let lo = start;
    let hi = start;
    for (let i = start; i < end; i++) {
      if (pts[i]![1] < pts[lo]![1]) lo = i;
      if (pts[i]![1] > pts[hi]![1]) hi = i;
    }
    if (lo === hi) out.push(pts[lo]!);
    else if (lo < hi) out.push(pts[lo]!, pts[hi]!);
    else out.push(pts[hi]!, pts[lo]!);
  }
  return out;
}

/** Value at `epoch` of a curve given as parallel arrays, or null. */
export function valueAt(epochs: number[], values: Num[], epoch: number): number | null {
  const i = epochs.indexOf(epoch);
  const v = i >= 0 ? values[i] : null;
  return finite(v) ? v : null;
}
