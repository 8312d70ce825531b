// Two or more experiments side by side: best-so-far against epochs spent, the distributions of their values, and how
// each spec differs from the first one's. #/compare?ids=a,b,c
import { allTrials, api, type ExperimentDetail, type TrialSummary } from '../api';
import { badge, errorBox, fill, h, section } from '../dom';
import { drawEdf } from '../charts/analysis';
import { base, chartIn } from '../charts/setup';
import { compareIds, completedValues, specDiff } from '../shape/analysis';
import { history } from '../shape/history';
import { fmt } from '../shape/format';
import type { Page } from '../main';

export const comparePage: Page = (root, params) => {
  const ids = compareIds(params);
  const body = h('div');
  root.append(h('section', { class: 'card' }, h('h1', {}, 'Compare experiments'), body));
  if (ids.length < 2) {
    fill(body, h('p', { class: 'empty' }, 'Choose two or more experiments on the ', h('a', { href: '#/experiments' }, 'experiments page'), ' and press “Compare selected”.'));
    return;
  }
  const load = async () => Promise.all(ids.map(async (id) => ({ exp: await api.experiment(id), trials: await allTrials(id) })));
  load().then((runs) => render(root, body, runs)).catch((e) => fill(body, errorBox(e)));
};

function render(root: HTMLElement, body: HTMLElement, runs: { exp: ExperimentDetail; trials: TrialSummary[] }[]): void {
  const first = runs[0]!.exp;
  const metric = first.objective.metric;
  const other = runs.filter((r) => r.exp.objective.metric !== metric || r.exp.objective.direction !== first.objective.direction);
  fill(body,
    h('table', { class: 'grid', id: 'compare-table' },
      h('thead', {}, h('tr', {}, ...['experiment', 'status', 'strategy', 'objective', 'best', 'trials', 'epochs trained', 'epochs saved'].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...runs.map(({ exp, trials }) => h('tr', { 'data-id': exp.id },
        h('td', {}, h('a', { href: `#/experiments/${exp.id}` }, exp.name), h('div', { class: 'sub' }, `${exp.trainer} · ${exp.dataset}`)),
        h('td', {}, badge(exp.status)),
        h('td', {}, exp.strategy),
        h('td', {}, `${exp.objective.direction} ${exp.objective.metric}`),
        h('td', { class: 'num' }, fmt(exp.bestValue)),
        h('td', { class: 'num' }, trials.length),
        h('td', { class: 'num' }, exp.epochsTrained ?? '–'),
        h('td', { class: 'num' }, exp.epochsSaved ?? '–'))))),
    other.length ? h('p', { class: 'error-text' }, `Not on the same objective as ${first.name}: ${other.map((r) => r.exp.name).join(', ')}; their values are drawn as they are.`) : null);

  const historyEl = h('div', { class: 'chart', id: 'compare-history' });
  const edfEl = h('div', { class: 'chart', id: 'compare-edf' });
  const diffs = runs.slice(1).map(({ exp }) => {
    const changes = specDiff(first.spec, exp.spec);
    return h('div', { class: 'spec-diff', 'data-id': exp.id },
      h('h3', {}, `${first.name} → ${exp.name}`),
      changes.length === 0 ? h('p', { class: 'sub' }, 'same spec')
        : h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, h('th', {}, 'field'), h('th', {}, first.name), h('th', {}, exp.name))),
          h('tbody', {}, ...changes.map((c) => h('tr', {}, h('td', {}, h('code', {}, c.path)), h('td', {}, c.left ?? '—'), h('td', {}, c.right ?? '—'))))));
  });
  root.append(
    h('div', { class: 'two' },
      section('Best so far against epochs spent', 'compare-history-section', h('p', { class: 'sub' }, 'Each experiment’s best completed value as its trials’ epochs add up: the cost axis on which early stopping shows.'), historyEl),
      section('Distribution of values', 'compare-edf-section', h('p', { class: 'sub' }, 'Share of completed trials at or below each value.'), edfEl)),
    section('Spec differences', 'compare-diff', ...diffs));

  chartIn(historyEl).setOption(base({
    grid: { left: 56, right: 16, top: 44, bottom: 44 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'cumulative epochs', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: metric, scale: true },
    series: runs.map(({ exp, trials }) => ({
      name: exp.name, type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 2 },
      data: history(trials, exp.objective.direction, 'epochs').best,
    })),
  }), { notMerge: true });
  drawEdf(edfEl, runs.map(({ exp, trials }) => ({ name: exp.name, values: completedValues(trials) })), metric);
}
