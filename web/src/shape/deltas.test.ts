import { describe, expect, it } from 'vitest';
import { applyEpoch, applyExperiment, applyTrial, syncCurveStatuses } from './deltas';
import { trial } from './fixtures';
import type { ExperimentDetail, ExperimentSummary } from '../api';

describe('applyTrial', () => {
  it('inserts a new trial in number order', () => {
    const got = applyTrial([trial({ number: 0 }), trial({ number: 2 })], trial({ number: 1 }));
    expect(got.map((t) => t.number)).toEqual([0, 1, 2]);
  });
  it('replaces a trial with its newer state', () => {
    const got = applyTrial([trial({ number: 0, status: 'running', epochCount: 1 })], trial({ number: 0, status: 'running', epochCount: 2 }));
    expect(got[0]!.epochCount).toBe(2);
  });
  it('ignores a late delta of fewer epochs, of a finished trial going back to running, or of an older attempt', () => {
    const cur = [trial({ number: 0, status: 'running', epochCount: 5, attempt: 2 })];
    expect(applyTrial(cur, trial({ number: 0, status: 'running', epochCount: 4, attempt: 2 }))).toBe(cur);
    expect(applyTrial(cur, trial({ number: 0, status: 'completed', epochCount: 9, attempt: 1 }))).toBe(cur);
    const done = [trial({ number: 0, status: 'completed', epochCount: 5 })];
    expect(applyTrial(done, trial({ number: 0, status: 'running', epochCount: 5 }))).toBe(done);
  });
  it('takes a new attempt even with fewer epochs (a re-run starts over)', () => {
    const got = applyTrial([trial({ number: 0, status: 'running', epochCount: 5, attempt: 1 })], trial({ number: 0, status: 'running', epochCount: 1, attempt: 2 }));
    expect(got[0]!.attempt).toBe(2);
  });
});

describe('applyEpoch', () => {
  it('appends an epoch to a trial curve and creates the curve of a trial not shown yet', () => {
    let c = applyEpoch(null, { trialId: 'a', trialNumber: 3, epoch: 1, metrics: { valAccuracy: 0.5, trainLoss: 1 } });
    c = applyEpoch(c, { trialId: 'a', trialNumber: 3, epoch: 2, metrics: { valAccuracy: 0.6, trainLoss: 0.8 } });
    expect(c.trials).toHaveLength(1);
    expect(c.trials[0]!.epochs).toEqual([1, 2]);
    expect(c.trials[0]!.valAccuracy).toEqual([0.5, 0.6]);
    expect(c.trials[0]!.valLoss).toEqual([null, null]);
  });
  it('replaces a re-written epoch and keeps epochs ordered', () => {
    let c = applyEpoch(null, { trialId: 'a', trialNumber: 0, epoch: 2, metrics: { valAccuracy: 0.6 } });
    c = applyEpoch(c, { trialId: 'a', trialNumber: 0, epoch: 1, metrics: { valAccuracy: 0.4 } });
    c = applyEpoch(c, { trialId: 'a', trialNumber: 0, epoch: 2, metrics: { valAccuracy: 0.7 } });
    expect(c.trials[0]!.epochs).toEqual([1, 2]);
    expect(c.trials[0]!.valAccuracy).toEqual([0.4, 0.7]);
  });
});

describe('applyExperiment and syncCurveStatuses', () => {
  it('keeps the spec and stages and finds the new best trial among the trials', () => {
    const exp = { id: 'e', spec: { name: 'x' }, stages: [], bestTrial: null, bestTrialId: null, status: 'running' } as unknown as ExperimentDetail;
    const best = trial({ number: 4, id: 't4' });
    const got = applyExperiment(exp, { id: 'e', status: 'completed', bestTrialId: 't4' } as ExperimentSummary, [best]);
    expect(got.status).toBe('completed');
    expect(got.spec).toEqual({ name: 'x' });
    expect(got.bestTrial?.id).toBe('t4');
  });
  it('moves a curve to its trial status', () => {
    const c = applyEpoch(null, { trialId: 't1', trialNumber: 1, epoch: 1, metrics: {} });
    expect(syncCurveStatuses(c, [trial({ number: 1, status: 'pruned' })])!.trials[0]!.status).toBe('pruned');
  });
});
