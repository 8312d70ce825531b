import { describe, expect, it } from 'vitest';
import type { Objective, TrialSummary } from '../api';
import { frontIds, paretoView } from './pareto';

const objectives: Objective[] = [{ metric: 'valAccuracy', direction: 'maximize' }, { metric: 'parameters', direction: 'minimize' }];

const trial = (id: string, number: number, status: TrialSummary['status'], best: Record<string, number> | null) =>
  ({ id, number, status, best } as unknown as TrialSummary);

describe('paretoView', () => {
  const front = [
    { trialId: 'b', number: 1, values: [0.9, 500] },
    { trialId: 'a', number: 0, values: [0.8, 100] },
  ];
  const trials = [
    trial('a', 0, 'completed', { valAccuracy: 0.8, parameters: 100 }),
    trial('b', 1, 'completed', { valAccuracy: 0.9, parameters: 500 }),
    trial('c', 2, 'completed', { valAccuracy: 0.7, parameters: 600 }),
    trial('d', 3, 'pruned', { valAccuracy: 0.95, parameters: 50 }),
    trial('e', 4, 'completed', { valAccuracy: 0.6 }),
  ];

  it('orders the front along x and keeps the other completed trials with both values', () => {
    const v = paretoView(objectives, front, trials)!;
    expect(v.front.map((p) => p.number)).toEqual([0, 1]);
    expect(v.front[0]).toEqual({ x: 0.8, y: 100, number: 0, trialId: 'a' });
    expect(v.others.map((p) => p.number)).toEqual([2]);
  });

  it('swaps the axes when asked', () => {
    const v = paretoView(objectives, front, trials, 1, 0)!;
    expect(v.x.metric).toBe('parameters');
    expect(v.front.map((p) => [p.x, p.y])).toEqual([[100, 0.8], [500, 0.9]]);
  });

  it('is null with one objective or the same axis twice', () => {
    expect(paretoView([objectives[0]!], [], trials)).toBeNull();
    expect(paretoView(objectives, front, trials, 1, 1)).toBeNull();
  });

  it('names the front trials', () => {
    expect([...frontIds(front)].sort()).toEqual(['a', 'b']);
    expect(frontIds(undefined).size).toBe(0);
  });
});
