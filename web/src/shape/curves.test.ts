import { describe, expect, it } from 'vitest';
import type { CurveTrial } from '../api';
import { mergeCurves, nearestCurve } from './curves';

const curves: CurveTrial[] = [
  { id: 'a', number: 0, status: 'completed', epochs: [1, 2, 3], valAccuracy: [0.1, 0.2, 0.3], trainLoss: [3, 1, 2] },
  { id: 'b', number: 1, status: 'pruned', epochs: [1], valAccuracy: [0.05], trainLoss: [4] },
  { id: 'c', number: 2, status: 'completed', epochs: [1, 2], valAccuracy: [0.5, null], trainLoss: [2, 2] },
];

describe('mergeCurves', () => {
  it('puts each trial in its group, the best trial apart, and drops missing points', () => {
    const m = mergeCurves(curves, 'valAccuracy', 1, 'c');
    expect(m.groupOf).toEqual(['completed', 'pruned', 'best']);
    expect(m.byTrial[0]!.points).toEqual([[1, 0.1], [2, 0.2], [3, 0.3]]);
    expect(m.byTrial[2]!.points).toEqual([[1, 0.5]]);
  });
  it('smooths with a trailing moving average', () => {
    const m = mergeCurves(curves, 'trainLoss', 2, null);
    expect(m.byTrial[0]!.points).toEqual([[1, 3], [2, 2], [3, 1.5]]);
  });
});

describe('nearestCurve', () => {
  it('finds the curve passing nearest to the pointer', () => {
    const m = mergeCurves(curves, 'valAccuracy', 1, null);
    expect(nearestCurve(m.byTrial, 1.5, 0.16, 100, 100)).toBe(0);
    expect(nearestCurve(m.byTrial, 1, 0.5, 100, 100)).toBe(2);
    expect(nearestCurve(m.byTrial, 10, 10, 100, 100)).toBe(-1);
  });
});
