import { ApiError, allTrialColumns, api, type Curves, type ExperimentDetail, type Importance, type TrialPoint, type TrialSummary } from '../api';
import { pointsFromColumns } from '../shape/columns';
import { apiKey, forgetApiKey } from '../apiKey';
import { badge, errorBox, fill, h, section } from '../dom';
import { drawCurves } from '../charts/curves';
import { drawHistory } from '../charts/history';
import { drawWhenVisible } from '../charts/setup';
import { drawImportance, drawParallel, drawSlice } from '../charts/params';
import { drawContour, drawEdf, drawTimeline } from '../charts/analysis';
import { drawPareto } from '../charts/pareto';
import { frontIds, paretoView } from '../shape/pareto';
import { completedValues, contourGrid, curvesForStages, stagesOf, timeline, type StageView } from '../shape/analysis';
import { watchExperiment } from '../live';
import { applyEpoch, applyExperiment, applyTrial, syncCurveStatuses } from '../shape/deltas';
import { fmt, fmtTime } from '../shape/format';
import { paramDefs, type ParamDef } from '../shape/params';
import type { Page } from '../main';
import { parseTags, progressBar, tagChips } from './experiments';
import { stageTimeline, stageLabel } from './stages';
import { TrialsTable, stopText } from './trialsTable';
import { loadArtifacts } from './artifacts';

/** `trials`: every trial as the charts read it (the compact columns, then live deltas); the table reads its own page. */
interface Data { exp: ExperimentDetail; trials: TrialPoint[]; curves: Curves | null; importance: Importance | string | null }

const finished = (s: string) => s === 'completed' || s === 'failed' || s === 'cancelled';

/** Curves of at most this many trials are loaded: the best ones (all of them in a smaller experiment); the running
 * trials' curves join them as their epochs arrive. More lines than this are an unreadable band on a 600-pixel chart. */
const curvesShown = 250;
/** At most this many epochs of each curve (evenly spread, first and last kept): about a point per pixel of the chart. */
const curvePoints = 200;

/** Everything but importance, which the API computes on demand (a forest fit: seconds for 2,000 trials), and the table's
 * page, which `readPage` reads alongside. Every trial comes as compact columns (docs/decisions/0026). */
async function load(id: string, importance: Importance | string | null, readPage: () => Promise<void>): Promise<Data> {
  const [exp, trials, curves] = await Promise.all([api.experiment(id), allTrialColumns(id).then(pointsFromColumns),
    api.curves(id, curvesShown, undefined, curvePoints).catch(() => null), readPage()]);
  return { exp, trials, curves, importance };
}

const ended = (t: TrialPoint) => t.status !== 'queued' && t.status !== 'running';

/** Plain-language answers to "which parameters matter, which trials were cut and why, which stage won". */
function glance(d: Data, defs: ParamDef[]): HTMLElement {
  const best = d.exp.bestTrial;
  const cut = d.trials.filter((t) => t.status === 'pruned' || t.status === 'diverged');
  const byRule = new Map<string, number>();
  for (const t of cut) { const r = t.stopReason?.rule ?? t.status; byRule.set(r, (byRule.get(r) ?? 0) + 1); }
  const imp = typeof d.importance === 'object' && d.importance ? [...d.importance.parameters].sort((a, b) => b.importance - a.importance) : [];
  return h('ul', { class: 'glance', id: 'glance' },
    h('li', {}, h('b', {}, 'Best: '), best
      ? [h('a', { href: `#/trials/${best.id}` }, `trial #${best.number}`), ` ${d.exp.objective.metric} ${fmt(best.bestValue)}`,
        best.stage !== null && best.stage !== undefined ? ` · found in stage ${stageLabel(d.exp, best.stage)}` : '',
        best.testAccuracy !== null && best.testAccuracy !== undefined ? ` · test accuracy ${fmt(best.testAccuracy)}` : '']
      : 'no completed trial yet'),
    h('li', {}, h('b', {}, 'Cut short: '), cut.length
      ? `${cut.length} trial(s) — ${[...byRule.entries()].map(([r, n]) => `${r}: ${n}`).join(', ')}; ${d.exp.epochsSaved ?? '–'} epochs saved`
      : 'none so far'),
    h('li', {}, h('b', {}, 'Matters most: '), imp.length
      ? imp.slice(0, 3).map((p) => `${p.name} (${fmt(p.importance, 2)})`).join(', ')
      : !defs.length ? 'nothing searched'
        : typeof d.importance === 'string' ? `importance ${d.importance}; see the slice plots and parallel coordinates`
          : d.importance === null ? 'computing importance…' : 'not enough finished trials yet'),
  );
}

export const experimentPage: Page = (root, _params, id) => {
  const eid = id!;
  const pick = (t: { id: string }) => { location.hash = `#/trials/${t.id}`; };
  const header = h('section', { class: 'card', id: 'header' }, h('p', { class: 'empty' }, 'Loading…'));
  const glanceBox = h('div');
  const labelsBox = h('section', { class: 'card', id: 'labels' });

  const historyAxis = h('select', { id: 'history-axis', 'aria-label': 'history x axis' }, h('option', { value: 'number' }, 'by trial number'), h('option', { value: 'epochs' }, 'by cumulative epochs'));
  const historyEl = h('div', { class: 'chart', id: 'history-chart' });

  const curveMetric = h('select', { id: 'curve-metric', 'aria-label': 'curve metric' });
  const smoothing = h('input', { id: 'curve-smoothing', type: 'number', min: 1, max: 50, value: 3, 'aria-label': 'moving average window', class: 'narrow' });
  const curvesEl = h('div', { class: 'chart tall', id: 'curves-chart' });
  const curvesInfo = h('div', { class: 'sub hover-info', id: 'curves-info' });
  // On a recipe run the stages train on other budgets (60-epoch overfit runs on 50 examples): show the competing ones first.
  const curveStage = h('select', { id: 'curve-stage', 'aria-label': 'curve stages', hidden: true });

  const edfEl = h('div', { class: 'chart', id: 'edf-chart' });
  const timelineEl = h('div', { class: 'chart', id: 'timeline-chart' });
  const contourX = h('select', { id: 'contour-x', 'aria-label': 'contour x parameter' });
  const contourY = h('select', { id: 'contour-y', 'aria-label': 'contour y parameter' });
  const contourEl = h('div', { class: 'chart tall', id: 'contour-chart' });
  const contourInfo = h('p', { class: 'sub', id: 'contour-info' });

  const importanceMethod = h('p', { class: 'sub', id: 'importance-method' });
  const importanceEl = h('div', { class: 'chart short', id: 'importance-chart' });
  const parallelEl = h('div', { class: 'chart tall', id: 'parallel-chart' });
  const slicesEl = h('div', { class: 'slices', id: 'slices' });
  const stagesEl = h('div', { id: 'stages' });
  // Several objectives: the front is the result — a scatter of two of them, front members highlighted in the table too.
  const paretoX = h('select', { id: 'pareto-x', 'aria-label': 'Pareto x objective' });
  const paretoY = h('select', { id: 'pareto-y', 'aria-label': 'Pareto y objective' });
  const paretoEl = h('div', { class: 'chart tall', id: 'pareto-chart' });
  const paretoInfo = h('p', { class: 'sub', id: 'pareto-info' });
  const paretoBox = section('Pareto front', 'pareto', h('div', { class: 'row wrap' }, paretoX, h('span', {}, '×'), paretoY, paretoInfo), paretoEl);
  paretoBox.hidden = true;
  const table = new TrialsTable('value', () => current?.exp.bestTrialId ?? null, () => frontIds(current?.exp.front),
    (q) => api.trialsPage(eid, q), () => current?.exp.objective.direction !== 'minimize');
  // Full summaries of the trials live deltas brought (the best trial's header line needs one; the columns are compact).
  const summaries = new Map<string, TrialSummary>();
  let bestAskedFor: string | null = null;
  const tableBox = h('div', { id: 'trials-box' });
  const artifactsBox = h('div', { id: 'artifacts-box' }, h('p', { class: 'empty' }, 'Shown once the experiment has finished.'));

  root.append(header, labelsBox, glanceBox, paretoBox,
    h('div', { class: 'two' },
      section('Optimization history', 'history', h('div', { class: 'row' }, historyAxis, h('span', { class: 'sub' }, 'dots: each trial’s best value (colour = status); line: best so far over completed trials')), historyEl),
      section('Learning curves', 'curves', h('div', { class: 'row wrap' }, curveMetric, curveStage, h('label', {}, 'smoothing ', smoothing), curvesInfo), curvesEl)),
    h('div', { class: 'two' },
      section('Distribution of values', 'edf', h('p', { class: 'sub' }, 'Empirical distribution of the completed trials’ values: the share of trials at or below each value.'), edfEl),
      section('Timeline', 'timeline', h('p', { class: 'sub' }, 'Each trial on the worker slot that ran it, from start to finish; click a bar to open the trial.'), timelineEl)),
    h('div', { class: 'two' },
      section('Parameter importance', 'importance', importanceMethod, importanceEl),
      section('Six-step recipe', 'six-step', stagesEl)),
    section('Parallel coordinates', 'parallel', h('p', { class: 'sub' }, 'One line per trial with a value; colour = objective; thick orange = best. Drag along an axis to filter.'), parallelEl),
    section('Contour', 'contour', h('div', { class: 'row wrap' }, contourX, h('span', {}, '×'), contourY, contourInfo), contourEl),
    section('Slice plots', 'slice', h('p', { class: 'sub' }, 'Objective against each parameter (log x for log-scale parameters). Click a dot to open the trial.'), slicesEl),
    section('Trials', 'trials-section', tableBox),
    section('Artifacts', 'artifacts', h('p', { class: 'sub' }, 'Checkpoints and files of the best trials, kept once the experiment completed (spec: artifacts.keepTop, artifacts.retentionDays).'), artifactsBox));

  let artifactsShown = false;
  let current: Data | null = null;
  let defs: ParamDef[] = [];
  let tableMounted = false;

  const drawCurvesNow = () => {
    if (!current?.curves) { fill(curvesInfo, 'no curves yet'); return; }
    const metric = curveMetric.value || current.exp.objective.metric;
    const smooth = /train/i.test(metric) ? Math.max(1, Number(smoothing.value) || 1) : 1;
    smoothing.disabled = !/train/i.test(metric);
    const shown = curvesForStages(current.curves, current.trials, (curveStage.value || 'competing') as StageView);
    drawCurves(curvesEl, curvesInfo, shown, current.exp.bestTrialId, { metric, smoothing: smooth }, (tid) => pick({ id: tid }));
  };
  const drawContourNow = () => {
    if (!current) return;
    const x = defs.find((d) => d.name === contourX.value);
    const y = defs.find((d) => d.name === contourY.value);
    if (!x || !y || x === y) { contourInfo.textContent = defs.length < 2 ? 'needs two searched parameters' : 'choose two different parameters'; return; }
    const c = contourGrid(x, y, current.trials);
    contourInfo.textContent = c.cells.length ? `mean ${current.exp.objective.metric} of the completed trials per cell (numeric ranges in 8 bins); dots are trials` : 'no completed trial has both parameters yet';
    const exp = current.exp, trials = current.trials;
    drawWhenVisible(contourEl, () => drawContour(contourEl, c, x.name, y.name, exp.objective.metric, exp.objective.direction, trials, pick));
  };
  const drawHistoryNow = () => {
    if (!current) return;
    drawHistory(historyEl, current.trials, current.exp.objective.metric, current.exp.objective.direction, historyAxis.value as 'number' | 'epochs', pick);
  };
  const drawParetoNow = () => {
    const objectives = current?.exp.objectives ?? [];
    paretoBox.hidden = objectives.length < 2;
    if (!current || objectives.length < 2) return;
    const v = paretoView(objectives, current.exp.front ?? [], current.trials, Number(paretoX.value || 0), Number(paretoY.value || 1));
    if (!v) { paretoInfo.textContent = 'choose two different objectives'; return; }
    paretoInfo.textContent = `${v.front.length} trial(s) on the front: no other completed trial is as good on every objective and better on one.`;
    drawWhenVisible(paretoEl, () => drawPareto(paretoEl, v, (tid) => pick({ id: tid })));
  };
  paretoX.addEventListener('change', drawParetoNow);
  paretoY.addEventListener('change', drawParetoNow);
  historyAxis.addEventListener('change', drawHistoryNow);
  curveMetric.addEventListener('change', drawCurvesNow);
  curveStage.addEventListener('change', drawCurvesNow);
  contourX.addEventListener('change', drawContourNow);
  contourY.addEventListener('change', drawContourNow);
  smoothing.addEventListener('input', drawCurvesNow);

  const cancelButton = () => h('button', {
    id: 'cancel', class: 'danger', type: 'button',
    onclick: async (e: Event) => {
      const btn = e.currentTarget as HTMLButtonElement;
      const key = await apiKey();
      if (!key) return;
      btn.disabled = true;
      try {
        await api.cancel(eid, key);
        await refresh();
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) forgetApiKey();
        btn.after(errorBox(err));
        btn.disabled = false;
      }
    },
  }, 'Cancel experiment');

  // Resume, retry and extend: each a write; a refused key is forgotten, an error shown beside the button.
  const actionButton = (id: string, label: string, title: string, act: (key: string) => Promise<unknown>, before?: () => boolean) => h('button', {
    id, type: 'button', title,
    onclick: async (e: Event) => {
      const btn = e.currentTarget as HTMLButtonElement;
      if (before && !before()) return;
      const key = await apiKey();
      if (!key) return;
      btn.disabled = true;
      btn.parentElement?.querySelectorAll('.error').forEach((el) => el.remove());
      try {
        await act(key);
        // The experiment runs again: a new watch reads it once and follows its deltas (the old one stopped when it finished).
        live.stop();
        live = watch();
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) forgetApiKey();
        btn.after(errorBox(err));
        btn.disabled = false;
      }
    },
  }, label);

  const continueControls = (e: ExperimentDetail) => {
    const failedTrials = e.trialCounts.failed ?? 0;
    const extendable = finished(e.status) && (e.strategy === 'random' || e.strategy === 'tpe');
    const more = h('input', { type: 'number', id: 'extend-trials', class: 'narrow', min: e.maxTrials + 1, value: e.maxTrials + 10, 'aria-label': 'new maxTrials' });
    return [
      e.status === 'cancelled' || e.status === 'failed'
        ? actionButton('resume', 'Resume', 'Run the cancelled trials and the rest of the budget; finished trials are kept', (key) => api.resume(eid, key)) : null,
      failedTrials > 0 && e.status !== 'queued'
        ? actionButton('retry', `Retry ${failedTrials} failed`, 'Run the failed trials again: same parameters and seed, a new attempt', (key) => api.retry(eid, key)) : null,
      extendable ? h('span', { class: 'row', id: 'extend-box' }, h('label', { for: 'extend-trials' }, 'maxTrials '), more,
        actionButton('extend', 'Extend', 'Raise maxTrials: the sampler continues its seeded sequence', (key) => api.extend(eid, Number(more.value), key))) : null,
    ];
  };

  // Tags and note: shown always, edited in a form that live refreshes leave alone while it is open.
  let editingLabels = false;
  const renderLabels = (e: ExperimentDetail) => {
    if (editingLabels) return;
    const chips = tagChips(e.tags, (t) => { location.hash = `#/experiments?tag=${encodeURIComponent(t)}`; });
    fill(labelsBox,
      h('div', { class: 'row wrap' }, h('b', {}, 'Tags '), h('span', { id: 'tags' }, chips ?? h('span', { class: 'sub' }, 'none')), h('span', { class: 'grow' }),
        h('button', { type: 'button', id: 'edit-labels', onclick: () => openLabelsEditor(e) }, 'Edit tags & note')),
      e.note ? h('p', { id: 'note', class: 'experiment-note' }, e.note) : h('p', { id: 'note', class: 'sub' }, 'No note.'));
  };
  const openLabelsEditor = (e: ExperimentDetail) => {
    editingLabels = true;
    const tags = h('input', { type: 'text', id: 'tags-input', value: (e.tags ?? []).join(' '), 'aria-label': 'tags', placeholder: 'tags, separated by spaces or commas' });
    const note = h('textarea', { id: 'note-input', rows: 4, 'aria-label': 'note', maxlength: 4000 }, e.note ?? '');
    const tagsError = h('div', { class: 'field-error', id: 'tags-error' });
    const noteError = h('div', { class: 'field-error', id: 'note-error' });
    const other = h('div');
    const close = () => { editingLabels = false; if (current) renderLabels(current.exp); };
    fill(labelsBox, h('form', { id: 'labels-form', onsubmit: async (ev: Event) => {
      ev.preventDefault();
      const key = await apiKey();
      if (!key) return;
      fill(tagsError); fill(noteError); fill(other);
      try {
        const saved = await api.editExperiment(eid, { tags: parseTags(tags.value), note: note.value }, key);
        editingLabels = false;
        if (current) current = { ...current, exp: { ...current.exp, tags: saved.tags, note: saved.note } };
        renderLabels(saved);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) forgetApiKey();
        const errors = err instanceof ApiError ? err.problem?.errors ?? {} : {};
        const at = (prefix: string) => Object.entries(errors).filter(([k]) => k === prefix || k.startsWith(`${prefix}[`)).map(([k, v]) => `${k}: ${v.join(' ')}`);
        fill(tagsError, at('tags').join(' · '));
        fill(noteError, at('note').join(' · '));
        if (!at('tags').length && !at('note').length) fill(other, errorBox(err));
      }
    } },
    h('label', { for: 'tags-input' }, 'Tags'), tags, tagsError,
    h('label', { for: 'note-input' }, 'Note'), note, noteError, other,
    h('div', { class: 'row' }, h('button', { type: 'submit', id: 'save-labels' }, 'Save'), h('button', { type: 'button', onclick: close }, 'Cancel'))));
    tags.focus();
  };

  const renderHeader = (d: Data) => {
    const e = d.exp;
    const best = e.bestTrial;
    fill(header,
      h('div', { class: 'row wrap' },
        h('h1', {}, e.name), badge(e.status),
        h('span', { class: 'grow' }),
        h('a', { class: 'button', href: api.exportUrl(eid, 'csv'), download: `${e.name}.csv`, id: 'export-csv' }, 'Export CSV'),
        h('a', { class: 'button', href: api.exportUrl(eid, 'json'), download: `${e.name}.json`, id: 'export-json' }, 'Export JSON'),
        h('button', { type: 'button', id: 'clone', title: 'Open this spec on the Submit page', onclick: () => {
          // The labels as they are now (edited since submit, perhaps), not as the stored spec has them.
          const { tags: _t, note: _n, ...rest } = e.spec;
          sessionStorage.setItem('hpsearch.draft', JSON.stringify({ ...rest, ...(e.tags?.length ? { tags: e.tags } : {}), ...(e.note ? { note: e.note } : {}) }, null, 2));
          location.hash = '#/submit';
        } }, 'Clone'),
        ...continueControls(e),
        finished(e.status) ? null : cancelButton()),
      h('dl', { class: 'facts' },
        h('dt', {}, 'strategy'), h('dd', {}, `${e.strategy} · ${e.trainer} · ${e.dataset}`),
        h('dt', {}, (e.objectives?.length ?? 1) > 1 ? 'objectives' : 'objective'),
        h('dd', { id: 'objectives' }, (e.objectives?.length ? e.objectives : [e.objective]).map((o) => `${o.direction} ${o.metric}`).join(' · ')),
        (e.objectives?.length ?? 1) > 1 ? [h('dt', {}, 'front'), h('dd', { id: 'front' }, e.front?.length
          ? e.front.flatMap((m, i) => [i ? ', ' : '', h('a', { href: `#/trials/${m.trialId}` }, `#${m.number}`)])
          : '–')] : null,
        h('dt', {}, 'progress'), h('dd', {}, progressBar(e)),
        h('dt', {}, 'stage'), h('dd', { id: 'current-stage' }, e.currentStage !== null && e.currentStage !== undefined ? stageLabel(e, e.currentStage) : e.strategy === 'six-step' ? '–' : 'n/a (not a recipe run)'),
        h('dt', {}, 'best trial'), h('dd', { id: 'best-trial' }, best
          ? [h('a', { href: `#/trials/${best.id}` }, `#${best.number}`), ` ${fmt(best.bestValue)}`, best.testAccuracy !== null && best.testAccuracy !== undefined ? ` · test accuracy ${fmt(best.testAccuracy)}` : ' · test accuracy: after completion']
          : '–'),
        h('dt', {}, 'epochs'), h('dd', {}, `${e.epochsTrained ?? '–'} trained of ${e.epochsBudget ?? '–'} budgeted · ${e.epochsSaved ?? '–'} saved by early stopping`),
        h('dt', {}, 'created'), h('dd', {}, fmtTime(e.createdAt), e.finishedAt ? ` · finished ${fmtTime(e.finishedAt)}` : ''),
        e.failureReason ? [h('dt', {}, 'failure'), h('dd', { class: 'error-text' }, e.failureReason)] : null,
        e.scheduleId ? [h('dt', {}, 'schedule'), h('dd', { id: 'schedule-link' }, h('a', { href: `#/schedules/${e.scheduleId}` }, 'scheduled run'),
          e.warmStartTrials ? ` · warm start: the first ${e.warmStartTrials} trials re-evaluate the previous run's best` : '',
          e.regression === true ? [' · ', h('span', { class: 'badge s-failed' }, 'regression'), ` (previous best ${fmt(e.previousBestValue)})`]
            : e.regression === false ? ` · no regression (previous best ${fmt(e.previousBestValue)})` : '')] : null),
      h('details', { class: 'spec' }, h('summary', {}, 'Spec'), h('pre', { id: 'spec' }, JSON.stringify(e.spec, null, 2))));
  };

  const renderImportance = (d: Data) => {
    if (typeof d.importance === 'object' && d.importance) {
      importanceMethod.textContent = `Method: ${d.importance.method} (over ${d.importance.trials} trials).`;
      const imp = d.importance;
      if (imp.parameters.length) drawWhenVisible(importanceEl, () => drawImportance(importanceEl, imp));
    } else importanceMethod.textContent = d.importance === null ? 'Computing importance…' : `Importance is ${d.importance}.`;
  };

  // Importance is fetched apart from the rest, never blocks the first paint, and is asked again only when
  // more trials have ended (at most every 15 s): the API fits a forest for each request.
  let importance: Importance | string | null = null;
  let importanceFor = -1;
  let importanceAt = 0;
  let importanceBusy = false;
  const refreshImportance = (d: Data) => {
    const done = d.trials.filter(ended).length;
    if (importanceBusy || done === importanceFor || Date.now() - importanceAt < 15_000) return;
    importanceBusy = true;
    importanceAt = Date.now();
    api.importance(eid)
      .then((imp) => { importance = imp; importanceFor = done; })
      .catch((e: unknown) => { importance = e instanceof ApiError ? e.message : 'not available'; importanceFor = done; })
      .finally(() => {
        importanceBusy = false;
        if (!current) return;
        current = { ...current, importance };
        renderImportance(current);
        fill(glanceBox, h('section', { class: 'card' }, h('h2', {}, 'At a glance'), glance(current, defs)));
      });
  };

  const render = (d: Data) => {
    current = d;
    defs = paramDefs(d.exp.spec, d.trials);
    renderHeader(d);
    renderLabels(d.exp);
    fill(glanceBox, h('section', { class: 'card' }, h('h2', {}, 'At a glance'), glance(d, defs)));
    drawHistoryNow();
    const objectives = d.exp.objectives ?? [];
    if (objectives.length > 1 && paretoX.options.length !== objectives.length) {
      const option = (i: number, selected: boolean) => h('option', { value: i, selected }, `${objectives[i]!.metric} (${objectives[i]!.direction})`);
      fill(paretoX, ...objectives.map((_, i) => option(i, i === 0)));
      fill(paretoY, ...objectives.map((_, i) => option(i, i === 1)));
    }
    drawParetoNow();

    const metrics = d.curves?.metrics ?? [];
    const wanted = [d.exp.objective.metric, ...metrics.filter((m) => m !== d.exp.objective.metric)];
    if (curveMetric.options.length !== wanted.length) {
      const keep = curveMetric.value;
      fill(curveMetric, ...wanted.map((m) => h('option', { value: m, selected: m === keep }, /train/i.test(m) ? `${m} (smoothed)` : m)));
    }
    const stages = stagesOf(d.trials);
    curveStage.hidden = stages.length === 0;
    if (curveStage.options.length !== stages.length + 2) {
      const keep = curveStage.value || 'competing';
      fill(curveStage, h('option', { value: 'competing', selected: keep === 'competing' }, 'competing stages (coarse, refine)'),
        h('option', { value: 'all', selected: keep === 'all' }, 'all stages'),
        ...stages.map((s) => h('option', { value: s, selected: keep === s }, `stage: ${s}`)));
    }
    drawCurvesNow();

    drawWhenVisible(edfEl, () => drawEdf(edfEl, [{ name: d.exp.name, values: completedValues(d.trials) }], d.exp.objective.metric));
    drawWhenVisible(timelineEl, () => drawTimeline(timelineEl, timeline(d.trials, Date.now()), d.trials, pick));
    if (contourX.options.length !== defs.length) {
      const [kx, ky] = [contourX.value || defs[0]?.name, contourY.value || defs[1]?.name];
      fill(contourX, ...defs.map((p) => h('option', { value: p.name, selected: p.name === kx }, p.name)));
      fill(contourY, ...defs.map((p) => h('option', { value: p.name, selected: p.name === ky }, p.name)));
    }
    drawContourNow();

    renderImportance(d);

    fill(stagesEl, stageTimeline(d.exp, d.trials));

    if (defs.length) drawWhenVisible(parallelEl, () => drawParallel(parallelEl, defs, d.trials, d.exp.objective.metric, d.exp.objective.direction, d.exp.bestTrialId));
    if (slicesEl.children.length !== defs.length) fill(slicesEl, ...defs.map((def) => h('div', { class: 'chart slice', 'data-param': def.name })));
    defs.forEach((def, i) => {
      const el = slicesEl.children[i] as HTMLElement;
      drawWhenVisible(el, () => drawSlice(el, def, d.trials, d.exp.objective.metric, pick));
    });

    // Artifacts exist only once the experiment finished: loaded then, once.
    if (finished(d.exp.status) && !artifactsShown) { artifactsShown = true; loadArtifacts(artifactsBox, { experiment: eid }); }

    if (!tableMounted) { fill(tableBox, table.el); tableMounted = true; }
    table.update(d.trials, defs);
  };

  let first = true;
  const refresh = async (): Promise<boolean> => {
    const d = await load(eid, importance, () => table.fetch());
    summaries.clear();
    if (first) performance.mark('hpsearch:experiment-data');
    render(d);
    if (first) {
      // For the dashboard benchmark: the first full render has been painted.
      requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('hpsearch:experiment-drawn')));
      first = false;
    }
    refreshImportance(d);
    return !finished(d.exp.status);
  };

  // One full read when the stream opens; then the stream's deltas are applied to `current` and drawn once per burst.
  const watch = () => watchExperiment(eid, {
    reload: refresh,
    trial: (t) => {
      summaries.set(t.id, t);
      table.noteTrial(t);
      if (current) current = { ...current, trials: applyTrial<TrialPoint>(current.trials, t) };
    },
    epoch: (e) => {
      if (!current) return;
      const status = current.trials.find((t) => t.id === e.trialId)?.status ?? 'running';
      current = { ...current, curves: applyEpoch(current.curves, e, status) };
    },
    experiment: (s) => {
      if (!current) return;
      // A recipe's stage moved on: its stages' results are in the detail only.
      if (s.currentStage !== current.exp.currentStage) void api.experiment(eid).then((x) => { if (current) { current = { ...current, exp: x }; render(current); } });
      current = { ...current, exp: applyExperiment(current.exp, s, [...summaries.values()]) };
      // A new best trial whose summary no delta brought: the detail has it.
      const bestId = current.exp.bestTrialId;
      if (bestId && !current.exp.bestTrial && bestAskedFor !== bestId) {
        bestAskedFor = bestId;
        void api.experiment(eid).then((x) => { if (current) { current = { ...current, exp: { ...current.exp, bestTrial: x.bestTrial } }; render(current); } });
      }
    },
    render: () => {
      if (!current) return;
      const best = summaries.get(current.exp.bestTrialId ?? '') ?? current.exp.bestTrial;
      const d = { ...current, exp: { ...current.exp, bestTrial: best }, curves: syncCurveStatuses(current.curves, current.trials), importance };
      render(d);
      refreshImportance(d);
      if (finished(d.exp.status)) live.stop();
    },
  });
  let live = watch();
  return () => live.stop();
};

export { stopText };
