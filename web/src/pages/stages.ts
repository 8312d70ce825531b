// The six-step recipe as a timeline: each stage's status, its trials, outcome and diagnosis.
import type { ExperimentDetail, TrialPoint } from '../api';
import { badge, h } from '../dom';
import { fmt } from '../shape/format';

/** The recipe's stage names as the service stores them (Domain/Recipe), in order. */
export const recipeStages = ['initial-loss', 'overfit', 'lr-finder', 'coarse', 'refine', 'curves'];

export function stageLabel(e: ExperimentDetail, stage: number | string): string {
  const found = e.stages?.find((s) => s.number === stage || s.name === stage || String(s.number) === String(stage));
  if (found) return `${found.number}/6 ${found.name}`;
  return typeof stage === 'number' ? `${stage}/6 ${recipeStages[stage - 1] ?? ''}`.trim() : String(stage);
}

export function stageTimeline(e: ExperimentDetail, trials: TrialPoint[]): HTMLElement {
  if (!e.stages || e.stages.length === 0) {
    return h('p', { class: 'sub' }, e.strategy === 'six-step' ? 'No stage has started yet.' : `This experiment uses the ${e.strategy} strategy; the six-step recipe view applies to six-step runs.`);
  }
  const byStage = new Map<string, TrialPoint[]>();
  for (const t of trials) {
    if (t.stage === null || t.stage === undefined) continue;
    const k = String(t.stage);
    if (!byStage.has(k)) byStage.set(k, []);
    byStage.get(k)!.push(t);
  }
  const stages = [...e.stages].sort((a, b) => a.number - b.number);
  return h('ol', { class: 'timeline' }, ...stages.map((s) => {
    const ts = byStage.get(String(s.number)) ?? byStage.get(s.name) ?? [];
    const winner = e.bestTrial && ts.some((t) => t.id === e.bestTrial!.id);
    return h('li', { class: `stage st-${s.status}`, 'data-stage': s.number },
      h('div', { class: 'row wrap' }, h('b', {}, `${s.number}. ${s.name}`), badge(s.status), winner ? h('span', { class: 'winner' }, '★ best trial found here') : null),
      s.summary ? h('p', {}, s.summary) : null,
      s.diagnosis ? h('p', { class: 'diagnosis' }, s.diagnosis) : null,
      s.values && Object.keys(s.values).length ? h('p', { class: 'sub' }, Object.entries(s.values).map(([k, v]) => `${k} = ${fmt(v as number)}`).join(' · ')) : null,
      ts.length ? h('p', { class: 'sub' }, `${ts.length} trial(s): `, ...ts.slice(0, 12).flatMap((t) => [h('a', { href: `#/trials/${t.id}`, title: t.status }, `#${t.number}`), ' ']), ts.length > 12 ? '…' : '') : null);
  }));
}
