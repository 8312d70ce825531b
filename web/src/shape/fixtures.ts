import type { TrialSummary } from '../api';

/** A TrialSummary for tests, with only the fields a test cares about given. */
export function trial(over: Partial<TrialSummary> & { number: number }): TrialSummary {
  return {
    id: `t${over.number}`, experimentId: 'e', status: 'completed', stage: null, params: {},
    attempt: 1, workerDeaths: 0, worker: null, createdAt: '2026-11-22T00:00:00Z', startedAt: null, finishedAt: null,
    epochCount: 3, maxEpochs: 3, bestValue: null, bestEpoch: null, best: null, last: null,
    stopReason: null, error: null, testAccuracy: null, testLoss: null,
    ...over,
  };
}
