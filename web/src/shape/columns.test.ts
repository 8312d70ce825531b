import { describe, expect, it } from 'vitest';
import type { TrialColumns } from '../api';
import { pointsFromColumns } from './columns';

const chunk = (over: Partial<TrialColumns> = {}): TrialColumns => ({
  count: 2, next: null, id: ['a', 'b'], number: [0, 1], status: ['completed', 'pruned'], stage: [null, 'coarse'], attempt: [1, 2],
  bestValue: [0.9, null], bestEpoch: [3, null], epochCount: [3, 1], maxEpochs: [3, 3], worker: ['n/cpu/0', null],
  startedAt: [Date.UTC(2026, 0, 1), null], finishedAt: [Date.UTC(2026, 0, 1, 0, 1), null], stopRule: [null, 'asha'],
  params: { lr: [0.01, 0.1], momentum: [0.9, null] }, objectives: {}, ...over,
});

describe('pointsFromColumns', () => {
  it('gives one point per trial with every column at its index', () => {
    const [a, b] = pointsFromColumns([chunk()]);
    expect(a).toEqual({
      id: 'a', number: 0, status: 'completed', stage: null, params: { lr: 0.01, momentum: 0.9 }, attempt: 1, worker: 'n/cpu/0',
      startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', epochCount: 3, maxEpochs: 3,
      bestValue: 0.9, bestEpoch: 3, best: null, stopReason: null,
    });
    expect(b!.stopReason).toEqual({ rule: 'asha' });
    expect(b!.stage).toBe('coarse');
    expect(b!.startedAt).toBeNull();
  });

  it('leaves out a parameter the trial lacks, as a trial summary does', () => {
    const [, b] = pointsFromColumns([chunk()]);
    expect(b!.params).toEqual({ lr: 0.1 });
    expect('momentum' in b!.params).toBe(false);
  });

  it('puts the objectives’ values in best when the columns carry several objectives', () => {
    const [a, b] = pointsFromColumns([chunk({ objectives: { valAccuracy: [0.9, null], parameters: [1000, 2000] } })]);
    expect(a!.best).toEqual({ valAccuracy: 0.9, parameters: 1000 });
    expect(b!.best).toEqual({ valAccuracy: null, parameters: 2000 });
  });

  it('concatenates chunks in order', () => {
    const second = chunk({ id: ['c', 'd'], number: [2, 3] });
    expect(pointsFromColumns([chunk({ next: 1 }), second]).map((p) => p.number)).toEqual([0, 1, 2, 3]);
  });
});
