// Two or more experiments side by side: best-so-far against epochs spent, the distributions of their values, and how
// each spec differs from the first one's; with several objectives, each experiment's Pareto front, the fronts overlaid on
// two shared objectives, and the history and distribution per objective. #/compare?ids=a,b,c
import { allTrials, api, type ExperimentDetail, type Objective, type TrialSummary } from '../api';
import { append, badge, errorBox, fill, h, section } from '../dom';
import { drawEdf } from '../charts/analysis';
import { drawFrontOverlay } from '../charts/pareto';
import { base, chartIn } from '../charts/setup';
import { compareIds, completedValues, specDiff } from '../shape/analysis';
import { comparedObjectives, frontOverlay, frontRows, isMultiObjective, objectiveValue, objectivesOf } from '../shape/front';
import { history } from '../shape/history';
import { fmt } from '../shape/format';
import type { Page } from '../main';
import { bestCell } from './experiments';

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
  // With several objectives anywhere, the result is a front: shown per experiment, overlaid where two objectives are
  // shared, and the history and distribution drawn per objective. With one objective each, the page is as it was.
  const multi = runs.some((r) => isMultiObjective(r.exp));
  const other = multi ? [] : runs.filter((r) => r.exp.objective.metric !== first.objective.metric || r.exp.objective.direction !== first.objective.direction);
  fill(body,
    h('table', { class: 'grid', id: 'compare-table' },
      h('thead', {}, h('tr', {}, ...['experiment', 'status', 'strategy', multi ? 'objectives' : 'objective', multi ? 'best / front' : 'best', 'trials', 'epochs trained', 'epochs saved'].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...runs.map(({ exp, trials }) => h('tr', { 'data-id': exp.id },
        h('td', {}, h('a', { href: `#/experiments/${exp.id}` }, exp.name), h('div', { class: 'sub' }, `${exp.trainer} · ${exp.dataset}`)),
        h('td', {}, badge(exp.status)),
        h('td', {}, exp.strategy),
        h('td', {}, objectivesOf(exp).map((o) => `${o.direction} ${o.metric}`).join(' · ')),
        isMultiObjective(exp) ? bestCell(exp) : h('td', { class: 'num' }, fmt(exp.bestValue)),
        h('td', { class: 'num' }, trials.length),
        h('td', { class: 'num' }, exp.epochsTrained ?? '–'),
        h('td', { class: 'num' }, exp.epochsSaved ?? '–'))))),
    other.length ? h('p', { class: 'error-text' }, `Not on the same objective as ${first.name}: ${other.map((r) => r.exp.name).join(', ')}; their values are drawn as they are.`) : null);

  const choices = multi ? comparedObjectives(runs.map((r) => r.exp)) : [first.objective];
  const objectiveSelect = h('select', { id: 'compare-objective', 'aria-label': 'objective to compare' },
    ...choices.map((o, i) => h('option', { value: i }, `${o.direction} ${o.metric}`)));
  const missing = h('p', { class: 'sub', id: 'compare-missing' });
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
  const overlay = multi ? frontOverlay(runs) : null;
  const overlayEl = h('div', { class: 'chart tall', id: 'compare-pareto-chart' });
  append(root, [
    multi ? section('Pareto fronts', 'compare-fronts',
      h('p', { class: 'sub' }, 'Each experiment’s front: the completed trials no other trial of it beats on every objective, best first on its first objective.'),
      h('div', { class: 'fronts' }, ...runs.filter((r) => isMultiObjective(r.exp)).map(({ exp }) => frontTable(exp)))) : null,
    overlay ? section('Fronts overlaid', 'compare-pareto',
      h('p', { class: 'sub', id: 'compare-pareto-info' }, `${overlay.fronts.map((f) => f.name).join(', ')} on ${overlay.x.metric} (${overlay.x.direction}) × ${overlay.y.metric} (${overlay.y.direction})`,
        overlay.left.length ? `; not drawn (lacking one of them): ${overlay.left.join(', ')}` : ''), overlayEl) : null,
    multi ? h('div', { class: 'row wrap', id: 'compare-objective-row' }, h('label', { for: 'compare-objective' }, 'Objective'), objectiveSelect, missing) : null,
    h('div', { class: 'two' },
      section('Best so far against epochs spent', 'compare-history-section', h('p', { class: 'sub' }, 'Each experiment’s best completed value as its trials’ epochs add up: the cost axis on which early stopping shows.'), historyEl),
      section('Distribution of values', 'compare-edf-section', h('p', { class: 'sub' }, 'Share of completed trials at or below each value.'), edfEl)),
    section('Spec differences', 'compare-diff', ...diffs)]);

  const drawOn = (o: Objective) => {
    // One objective each: every experiment's own value and direction, as before. Several: the chosen objective's values,
    // from the experiments that have it.
    const drawn = runs.map((r) => ({ ...r, read: multi ? objectiveValue(r.exp, o) : (t: TrialSummary) => t.bestValue, direction: multi ? o.direction : r.exp.objective.direction }))
      .filter((r): r is typeof r & { read: (t: TrialSummary) => number | null } => r.read !== null);
    const lacking = runs.filter((r) => !drawn.some((d) => d.exp.id === r.exp.id)).map((r) => r.exp.name);
    missing.textContent = lacking.length ? `Not drawn (no objective ${o.direction} ${o.metric}): ${lacking.join(', ')}` : '';
    chartIn(historyEl).setOption(base({
      grid: { left: 56, right: 16, top: 44, bottom: 44 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', name: 'cumulative epochs', nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', name: o.metric, scale: true },
      series: drawn.map(({ exp, trials, read, direction }) => ({
        name: exp.name, type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 2 },
        data: history(trials, direction, 'epochs', read).best,
      })),
    }), { notMerge: true });
    drawEdf(edfEl, drawn.map(({ exp, trials, read }) => ({ name: exp.name, values: completedValues(trials, read) })), o.metric);
  };
  objectiveSelect.addEventListener('change', () => drawOn(choices[Number(objectiveSelect.value)] ?? choices[0]!));
  drawOn(choices[0]!);
  if (overlay) drawFrontOverlay(overlayEl, overlay, (id) => { location.hash = `#/trials/${id}`; });
}

/** One experiment's front as a table: a row per member, a column per objective. */
function frontTable(exp: ExperimentDetail): HTMLElement {
  const objectives = objectivesOf(exp);
  const rows = frontRows(objectives, exp.front ?? []);
  return h('div', { class: 'front-list', 'data-id': exp.id },
    h('h3', {}, exp.name, h('span', { class: 'sub' }, ` · ${rows.length} trial${rows.length === 1 ? '' : 's'} on the front`)),
    rows.length === 0 ? h('p', { class: 'empty' }, 'No completed trial yet.')
      : h('table', { class: 'grid front-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'trial'), ...objectives.map((o) => h('th', { class: 'num' }, `${o.metric} (${o.direction === 'maximize' ? 'max' : 'min'})`)))),
        h('tbody', {}, ...rows.map((m) => h('tr', { 'data-number': m.number },
          h('td', {}, h('a', { href: `#/trials/${m.trialId}` }, `#${m.number}`)),
          ...objectives.map((_, i) => h('td', { class: 'num' }, fmt(m.values[i]))))))));
}
