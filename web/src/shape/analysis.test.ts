import { describe, expect, it } from 'vitest';
import { compareIds, completedValues, contourGrid, curvesForStages, edf, specDiff, stagesOf, timeline } from './analysis';
import { trial } from './fixtures';
import type { Curves } from '../api';
import type { ParamDef } from './params';

const curve = (id: string) => ({ id, number: Number(id.slice(1)), status: 'completed' as const, epochs: [1, 2], valAccuracy: [0.1, 0.2] });

describe('curvesForStages', () => {
  const trials = [
    trial({ number: 0, stage: 'overfit' }), trial({ number: 1, stage: 'lr-finder' }),
    trial({ number: 2, stage: 'coarse' }), trial({ number: 3, stage: 'refine' }),
  ];
  const curves: Curves = { metrics: ['valAccuracy'], trials: ['t0', 't1', 't2', 't3'].map(curve) };
  it('keeps the competing stages by default, one stage when asked, everything for all', () => {
    expect(curvesForStages(curves, trials, 'competing').trials.map((c) => c.id)).toEqual(['t2', 't3']);
    expect(curvesForStages(curves, trials, 'overfit').trials.map((c) => c.id)).toEqual(['t0']);
    expect(curvesForStages(curves, trials, 'all').trials).toHaveLength(4);
  });
  it('leaves a run without stages alone', () => {
    const plain = [trial({ number: 0 }), trial({ number: 1 })];
    expect(curvesForStages({ metrics: [], trials: ['t0', 't1'].map(curve) }, plain, 'competing').trials).toHaveLength(2);
  });
  it('lists the stages in the order their trials came', () => {
    expect(stagesOf([trials[3]!, trials[0]!, trials[2]!])).toEqual(['overfit', 'coarse', 'refine']);
  });
});

describe('edf', () => {
  it('steps once per distinct value, at the share of values at or below it', () => {
    expect(edf([0.5, null, 0.2, 0.5, Number.NaN, 0.9])).toEqual([[0.2, 0.25], [0.5, 0.75], [0.9, 1]]);
    expect(edf([])).toEqual([]);
  });
  it('takes only completed trials with a finite value', () => {
    expect(completedValues([trial({ number: 0, bestValue: 0.3 }), trial({ number: 1, bestValue: 0.9, status: 'pruned' }), trial({ number: 2, bestValue: null })])).toEqual([0.3]);
  });
});

describe('contourGrid', () => {
  const lr: ParamDef = { name: 'lr', kind: 'log', categories: [] };
  const opt: ParamDef = { name: 'optimizer', kind: 'categorical', categories: ['sgd', 'adam'] };
  it('averages completed trials per cell, log-binning a log axis', () => {
    const trials = [
      trial({ number: 0, params: { lr: 1e-4, optimizer: 'sgd' }, bestValue: 0.2 }),
      trial({ number: 1, params: { lr: 1.1e-4, optimizer: 'sgd' }, bestValue: 0.4 }),
      trial({ number: 2, params: { lr: 1e-2, optimizer: 'adam' }, bestValue: 0.9 }),
      trial({ number: 3, params: { lr: 1e-3, optimizer: 'adam' }, bestValue: 0.1, status: 'pruned' }),
    ];
    const c = contourGrid(lr, opt, trials, 2);
    expect(c.yLabels).toEqual(['sgd', 'adam']);
    expect(c.xLabels).toEqual(['3.2e-4', '0.00316']); // geometric centres of [1e-4, 1e-3] and [1e-3, 1e-2]
    expect(c.cells).toEqual(expect.arrayContaining([{ x: 0, y: 0, mean: expect.closeTo(0.3, 10), count: 2 }, { x: 1, y: 1, mean: 0.9, count: 1 }]));
    expect(c.points).toHaveLength(3);
  });
  it('is empty without completed trials having both parameters', () => {
    expect(contourGrid(lr, opt, [trial({ number: 0, params: { lr: 1e-3 }, bestValue: 1 })]).cells).toEqual([]);
  });
});

describe('timeline', () => {
  it('puts each trial on its slot row from start to finish, running ones up to now', () => {
    const t = timeline([
      trial({ number: 0, worker: 'n1/cpu/1', startedAt: '2026-12-01T00:00:10Z', finishedAt: '2026-12-01T00:00:20Z' }),
      trial({ number: 1, worker: 'n1/cpu/0', startedAt: '2026-12-01T00:00:00Z', finishedAt: null, status: 'running' }),
      trial({ number: 2, worker: null, startedAt: null, status: 'queued' }),
      trial({ number: 4, worker: 'n1/cpu/0', startedAt: '2026-12-01T00:00:01Z', finishedAt: null, status: 'failed' }),
      trial({ number: 3, worker: 'n1/cpu/10', startedAt: '2026-12-01T00:00:05Z', finishedAt: '2026-12-01T00:00:06Z' }),
    ], Date.parse('2026-12-01T00:00:30Z'));
    expect(t.rows).toEqual(['n1/cpu/0', 'n1/cpu/1', 'n1/cpu/10']);
    expect(t.bars).toEqual([
      { row: 1, start: Date.parse('2026-12-01T00:00:10Z'), end: Date.parse('2026-12-01T00:00:20Z'), trialIndex: 0, running: false },
      { row: 0, start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:30Z'), trialIndex: 1, running: true },
      { row: 2, start: Date.parse('2026-12-01T00:00:05Z'), end: Date.parse('2026-12-01T00:00:06Z'), trialIndex: 4, running: false },
    ]);
  });
});

describe('specDiff', () => {
  it('names each differing leaf by its path, arrays compared whole', () => {
    const a = { name: 'a', budget: { maxTrials: 10 }, params: { hidden: [64] }, searchSpace: { lr: { type: 'logUniform', low: 1e-4 } } };
    const b = { name: 'b', budget: { maxTrials: 10 }, params: { hidden: [64, 64] }, searchSpace: { lr: { type: 'logUniform', low: 1e-3 }, dropout: { type: 'uniform' } } };
    expect(specDiff(a, b)).toEqual([
      { path: 'name', left: '"a"', right: '"b"' },
      { path: 'params.hidden', left: '[64]', right: '[64,64]' },
      { path: 'searchSpace.dropout.type', left: undefined, right: '"uniform"' },
      { path: 'searchSpace.lr.low', left: '0.0001', right: '0.001' },
    ]);
  });
});

describe('compareIds', () => {
  it('keeps distinct well-formed ids in order, at most eight', () => {
    expect(compareIds(new URLSearchParams('ids=a1,b2,a1,<x>, c3'))).toEqual(['a1', 'b2', 'c3']);
    expect(compareIds(new URLSearchParams('ids=' + Array.from({ length: 12 }, (_, i) => `e${i}`).join(',')))).toHaveLength(8);
    expect(compareIds(new URLSearchParams(''))).toEqual([]);
  });
});
