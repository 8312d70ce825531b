// Where a trial ran: the trainer (with `auto` resolved) and the device, which the worker stores in the trial's summary.
import type { TrialSummary } from '../api';

export interface TrialRun { trainer: string | null; device: string | null; values: [string, unknown][] }

/** Splits a trial's summary into its trainer, its device and the remaining (numeric) values such as initialLoss. */
export function runOf(t: Pick<TrialSummary, 'summary'>): TrialRun {
  const s = t.summary ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v.length ? v : null);
  return {
    trainer: text(s.trainer),
    device: text(s.device),
    values: Object.entries(s).filter(([k]) => k !== 'trainer' && k !== 'device'),
  };
}

/** "torchsharp on cuda:1", "builtin on cpu", or "–" before the trial started. */
export function runLabel(r: TrialRun): string {
  if (!r.trainer && !r.device) return '–';
  return `${r.trainer ?? '?'} on ${r.device ?? '?'}`;
}

/** "1", or "3 · its worker died 2 times on earlier attempts" when attempts were lost to a dead worker (a kill, an OOM). */
export function attemptLabel(t: Pick<TrialSummary, 'attempt' | 'workerDeaths'>): string {
  const deaths = t.workerDeaths ?? 0;
  if (deaths <= 0) return String(t.attempt);
  return `${t.attempt} · its worker died ${deaths === 1 ? 'once' : `${deaths} times`} on earlier attempts`;
}
