import { describe, expect, it } from 'vitest';
import { epochsSaved, history } from './history';
import { trial } from './fixtures';

const trials = [
  trial({ number: 1, bestValue: 0.6, epochCount: 3 }),
  trial({ number: 0, bestValue: 0.5, epochCount: 3 }),
  trial({ number: 2, bestValue: 0.9, epochCount: 1, status: 'pruned' }),
  trial({ number: 3, bestValue: 0.7, epochCount: 3 }),
  trial({ number: 4, bestValue: null, epochCount: 0, status: 'queued' }),
];

describe('history', () => {
  it('plots trials by number with a best-so-far over completed trials only', () => {
    const h = history(trials, 'maximize', 'number');
    expect(h.points.map((p) => [p.x, p.y])).toEqual([[0, 0.5], [1, 0.6], [2, 0.9], [3, 0.7]]);
    expect(h.best).toEqual([[0, 0.5], [1, 0.6], [2, 0.6], [3, 0.7], [4, 0.7]]);
    expect(h.points[0]!.trialIndex).toBe(1);
  });
  it('places trials at cumulative epochs', () => {
    const h = history(trials, 'maximize', 'epochs');
    expect(h.points.map((p) => p.x)).toEqual([3, 6, 7, 10]);
  });
});

describe('epochsSaved', () => {
  it('counts unused epochs of ended trials', () => {
    expect(epochsSaved([trial({ number: 0, epochCount: 1, maxEpochs: 20, status: 'pruned' }), trial({ number: 1, epochCount: 2, maxEpochs: 20, status: 'running' })])).toBe(19);
  });
});
