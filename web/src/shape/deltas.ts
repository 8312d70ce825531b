// Live deltas from /api/experiments/{id}/events applied to the data a page already holds, so an open page reads
// the experiment once and then only what changed (docs/decisions/0019).
import type { CurveTrial, Curves, ExperimentDetail, ExperimentSummary, TrialPoint, TrialSummary } from '../api';

/** The `epoch` event: one epoch row of a trial (metrics as GET /api/trials/{id} gives them). */
export interface EpochEvent { trialId: string; trialNumber: number; epoch: number; metrics: Record<string, unknown> }

const finishedTrial = (s: string) => s !== 'queued' && s !== 'running';

/**
 * `trials` with `t` put in by number order (a new trial) or in place of its older self. A delta that arrives late
 * (an earlier attempt, or fewer epochs of a running attempt than already shown) is ignored.
 */
export function applyTrial<T extends TrialPoint>(trials: T[], t: T): T[] {
  const i = trials.findIndex((x) => x.id === t.id);
  if (i < 0) {
    const at = trials.findIndex((x) => x.number > t.number);
    return at < 0 ? [...trials, t] : [...trials.slice(0, at), t, ...trials.slice(at)];
  }
  const cur = trials[i]!;
  const stale = t.attempt < cur.attempt
    || (t.attempt === cur.attempt && finishedTrial(cur.status) && !finishedTrial(t.status))
    || (t.attempt === cur.attempt && t.status === cur.status && t.epochCount < cur.epochCount);
  if (stale) return trials;
  const next = trials.slice();
  next[i] = t;
  return next;
}

/** The experiment detail with a fresher summary; spec, stages and best trial are kept (the summary lacks them). */
export function applyExperiment(exp: ExperimentDetail, summary: ExperimentSummary, trials: TrialSummary[]): ExperimentDetail {
  const best = trials.find((t) => t.id === summary.bestTrialId)
    ?? (summary.bestTrialId === exp.bestTrial?.id ? exp.bestTrial : null);
  return { ...exp, ...summary, spec: exp.spec, stages: exp.stages, bestTrial: best ?? null };
}

/** Curves with the event's epoch put in its trial's curve (a new curve for a trial not shown yet); a re-written epoch
 * replaces its point. Only the metrics the curves carry are kept. */
export function applyEpoch(curves: Curves | null, e: EpochEvent, status: TrialSummary['status'] = 'running'): Curves {
  const metrics = curves?.metrics ?? ['trainLoss', 'valLoss', 'valAccuracy'];
  const trials = curves ? curves.trials.slice() : [];
  let i = trials.findIndex((t) => t.id === e.trialId);
  if (i < 0) {
    const fresh: CurveTrial = { id: e.trialId, number: e.trialNumber, status, epochs: [] };
    for (const m of metrics) fresh[m] = [];
    trials.push(fresh);
    i = trials.length - 1;
  }
  const cur = trials[i]!;
  const epochs = cur.epochs.slice();
  const columns: Record<string, (number | null)[]> = {};
  for (const m of metrics) columns[m] = Array.isArray(cur[m]) ? (cur[m] as (number | null)[]).slice() : [];
  let at = epochs.findIndex((x) => x >= e.epoch);
  const replace = at >= 0 && epochs[at] === e.epoch;
  if (at < 0) at = epochs.length;
  const value = (m: string) => { const v = e.metrics[m]; return typeof v === 'number' ? v : null; };
  for (const m of metrics) {
    const column = columns[m]!;
    if (replace) column[at] = value(m);
    else column.splice(at, 0, value(m));
  }
  if (!replace) epochs.splice(at, 0, e.epoch);
  trials[i] = { ...cur, status, epochs, ...columns };
  return { metrics, trials };
}

/** The curves' statuses brought in line with the trials' (a trial that ended changes its curve's group). */
export function syncCurveStatuses(curves: Curves | null, trials: TrialPoint[]): Curves | null {
  if (!curves) return curves;
  const status = new Map(trials.map((t) => [t.id, t.status]));
  return { ...curves, trials: curves.trials.map((c) => { const s = status.get(c.id); return s && s !== c.status ? { ...c, status: s } : c; }) };
}
