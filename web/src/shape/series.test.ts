import { describe, expect, it } from 'vitest';
import { bestSoFar, cumulative, downsample, movingAverage } from './series';

describe('bestSoFar', () => {
  it('keeps the running maximum and skips missing values', () => {
    expect(bestSoFar([null, 0.5, 0.4, NaN, 0.7, 0.6], 'maximize')).toEqual([null, 0.5, 0.5, 0.5, 0.7, 0.7]);
  });
  it('keeps the running minimum when minimizing', () => {
    expect(bestSoFar([2, 3, 1, 1.5], 'minimize')).toEqual([2, 2, 1, 1]);
  });
});

describe('movingAverage', () => {
  it('averages the trailing window', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
  });
  it('leaves non-finite inputs as gaps without poisoning later values', () => {
    expect(movingAverage([1, Infinity, 3], 3)).toEqual([1, null, 2]);
  });
  it('treats a window below one as no smoothing', () => {
    expect(movingAverage([5, 7], 0)).toEqual([5, 7]);
  });
});

describe('cumulative', () => {
  it('sums epochs in order', () => {
    expect(cumulative([3, 1, 0, 2])).toEqual([3, 4, 4, 6]);
  });
});

describe('downsample', () => {
  it('returns every finite point when under the limit', () => {
    expect(downsample([1, 2, 3], [1, NaN, 3], 10)).toEqual([[1, 1], [3, 3]]);
  });
  it('keeps spikes and x order when reducing', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const ys = xs.map((x) => (x === 500 ? 100 : Math.sin(x / 50)));
    const out = downsample(xs, ys, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.some(([x, y]) => x === 500 && y === 100)).toBe(true);
    for (let i = 1; i < out.length; i++) expect(out[i]![0]).toBeGreaterThan(out[i - 1]![0]);
  });
});
