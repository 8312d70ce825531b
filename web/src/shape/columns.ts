// The compact, columnar trials read (GET /api/experiments/{id}/trials/columns) turned into the rows the charts draw.
import type { Metrics, TrialColumns, TrialPoint } from '../api';

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** One TrialPoint per trial of the chunks, in their (number) order. A parameter a trial lacks (null in its column) is
 * left out of its `params`, as in a trial summary; `best` holds the objectives' values when the columns carry them. */
export function pointsFromColumns(chunks: TrialColumns[]): TrialPoint[] {
  const out: TrialPoint[] = [];
  for (const c of chunks) {
    const names = Object.keys(c.params);
    const objectives = Object.keys(c.objectives ?? {});
    for (let i = 0; i < c.count; i++) {
      const params: Record<string, unknown> = {};
      for (const n of names) { const v = c.params[n]![i]; if (v !== null && v !== undefined) params[n] = v; }
      let best: Metrics | null = null;
      if (objectives.length) { best = {}; for (const m of objectives) best[m] = c.objectives[m]![i] ?? null; }
      const rule = c.stopRule[i];
      out.push({
        id: c.id[i]!, number: c.number[i]!, status: c.status[i]!, stage: c.stage[i] ?? null, params, attempt: c.attempt[i]!,
        worker: c.worker[i] ?? null, startedAt: iso(c.startedAt[i]), finishedAt: iso(c.finishedAt[i]),
        epochCount: c.epochCount[i]!, maxEpochs: c.maxEpochs[i]!, bestValue: c.bestValue[i] ?? null, bestEpoch: c.bestEpoch[i] ?? null,
        best, stopReason: rule ? { rule } : null,
      });
    }
  }
  return out;
}
