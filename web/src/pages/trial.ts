import { api, type LayerStats, type TrialDetail } from '../api';
import { badge, errorBox, fill, h, section } from '../dom';
import { drawTrialMetrics } from '../charts/trialMetrics';
import { followExperiment } from '../live';
import { fmt, fmtTime } from '../shape/format';
import { attemptLabel, runLabel, runOf } from '../shape/run';
import type { Page } from '../main';
import { loadArtifacts } from './artifacts';

const preferred = ['trainLoss', 'valLoss', 'trainAccuracy', 'valAccuracy'];
const ended = (s: string) => !['queued', 'running'].includes(s);

/** Epoch rows with the API's `extra` metrics object flattened next to the named ones. */
function flatten(t: TrialDetail): TrialDetail {
  const metrics = t.metrics.map((m) => {
    const extra = m.extra;
    return extra && typeof extra === 'object' && !Array.isArray(extra) ? { ...(extra as Record<string, unknown>), ...m } : m;
  });
  return { ...t, metrics };
}

function metricNames(t: TrialDetail): string[] {
  const names = new Set<string>();
  for (const m of t.metrics) for (const [k, v] of Object.entries(m)) if (k !== 'epoch' && typeof v === 'number') names.add(k);
  return [...preferred.filter((p) => names.has(p)), ...[...names].filter((n) => !preferred.includes(n)).sort()];
}

function layersTable(t: TrialDetail): HTMLElement | null {
  const withLayers = t.metrics.filter((m) => Array.isArray(m.layers) && m.layers.length);
  if (!withLayers.length) return null;
  const last = withLayers[withLayers.length - 1]!;
  const layers = last.layers as LayerStats[];
  const keys = [...new Set(layers.flatMap((l) => Object.keys(l).filter((k) => k !== 'layer')))];
  return h('div', {},
    h('p', { class: 'sub' }, `Epoch ${last.epoch} (latest with statistics). Dead = fraction of units never active; saturated = fraction at the activation's flat ends.`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'layers' },
      h('thead', {}, h('tr', {}, h('th', {}, 'layer'), ...keys.map((k) => h('th', {}, k)))),
      h('tbody', {}, ...layers.map((l) => h('tr', {}, h('td', {}, l.layer), ...keys.map((k) => h('td', { class: 'num' }, fmt(l[k] as number)))))))));
}

export const trialPage: Page = (root, _params, id) => {
  const head = h('section', { class: 'card', id: 'trial-header' }, h('p', { class: 'empty' }, 'Loading…'));
  const chartEl = h('div', { class: 'chart tall', id: 'trial-chart' });
  const tableBox = h('div', { class: 'table-wrap scroll' });
  const layersBox = h('div', { id: 'layers-box' });
  const artifactsBox = h('div', { id: 'artifacts-box' });
  root.append(head, section('Per-epoch metrics', 'trial-metrics', chartEl, tableBox), section('Activation statistics per layer', 'activations', layersBox),
    section('Artifacts', 'artifacts', artifactsBox));

  const render = (raw: TrialDetail) => {
    const t = flatten(raw);
    const r = t.stopReason;
    const run = runOf(t);
    fill(head,
      h('div', { class: 'row wrap' }, h('h1', {}, `Trial #${t.number}`), badge(t.status), h('span', { class: 'grow' }), h('a', { href: `#/experiments/${t.experimentId}` }, '← experiment')),
      h('dl', { class: 'facts' },
        h('dt', {}, 'parameters'), h('dd', {}, h('table', { class: 'kv', id: 'params' }, ...Object.entries(t.params).map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, fmt(v as number)))))),
        h('dt', {}, 'attempt'), h('dd', { id: 'attempt' }, attemptLabel(t)),
        // An ask/tell trial is held by a client ("client:HOST"), not a worker slot: show the client's host name.
        t.worker?.startsWith('client:') ? [h('dt', {}, 'client host'), h('dd', { id: 'client-host' }, t.worker.slice('client:'.length))]
          : [h('dt', {}, 'worker'), h('dd', {}, t.worker ?? '–')],
        h('dt', {}, 'trainer'), h('dd', { id: 'trainer-device' }, runLabel(run)),
        h('dt', {}, 'stage'), h('dd', {}, t.stage === null || t.stage === undefined ? '–' : String(t.stage)),
        h('dt', {}, 'epochs'), h('dd', {}, `${t.epochCount} of ${t.maxEpochs} · best at epoch ${t.bestEpoch ?? '–'} (${fmt(t.bestValue)})`),
        h('dt', {}, 'times'), h('dd', {}, `created ${fmtTime(t.createdAt)} · started ${fmtTime(t.startedAt)} · finished ${fmtTime(t.finishedAt)}`),
        h('dt', {}, 'why it stopped'), h('dd', { id: 'stop-reason' }, r
          ? h('span', {}, h('b', {}, r.rule), r.rung !== null && r.rung !== undefined ? ` · rung ${r.rung}` : '', r.epoch ? ` · at epoch ${r.epoch}` : '',
            r.value !== null && r.value !== undefined ? ` · value ${fmt(r.value)}` : '', r.threshold !== null && r.threshold !== undefined ? ` · threshold ${fmt(r.threshold)}` : '',
            r.message ? h('div', {}, r.message) : null)
          : t.error ? h('pre', { class: 'error-text' }, t.error) : ended(t.status) ? `ran to its last epoch (${t.status})` : 'still running'),
        t.error && r ? [h('dt', {}, 'error'), h('dd', {}, h('pre', { class: 'error-text' }, t.error))] : null,
        t.testAccuracy !== null && t.testAccuracy !== undefined ? [h('dt', {}, 'test'), h('dd', {}, `accuracy ${fmt(t.testAccuracy)} · loss ${fmt(t.testLoss)} (chosen trial, evaluated once)`)] : null,
        run.values.length ? [h('dt', {}, 'summary'), h('dd', {}, run.values.map(([k, v]) => `${k} = ${fmt(v as number)}`).join(' · '))] : null));
    const names = metricNames(t);
    const plotted = names.filter((n) => /loss|acc/i.test(n));
    if (t.metrics.length) drawTrialMetrics(chartEl, t.metrics, plotted.length ? plotted : names, t.bestEpoch, r?.epoch ?? null);
    else fill(chartEl, h('p', { class: 'empty' }, 'No epoch finished yet.'));
    const rows = t.metrics.length > 500 ? t.metrics.slice(-500) : t.metrics;
    fill(tableBox, h('table', { class: 'grid', id: 'epochs' },
      h('thead', {}, h('tr', {}, h('th', {}, 'epoch'), ...names.map((n) => h('th', {}, n)))),
      h('tbody', {}, ...rows.map((m) => h('tr', { class: m.epoch === t.bestEpoch ? 'best' : '' }, h('td', {}, String(m.epoch)), ...names.map((n) => h('td', { class: 'num' }, fmt(m[n] as number))))))));
    fill(layersBox, layersTable(t) ?? h('p', { class: 'sub' }, 'No activation statistics were recorded for this trial.'));
  };

  let live: { stop(): void } | null = null;
  const refresh = async () => {
    const t = await api.trial(id!);
    render(t);
    return !ended(t.status);
  };
  api.trial(id!).then((t) => {
    render(t);
    loadArtifacts(artifactsBox, { trial: id! });
    if (!ended(t.status)) live = followExperiment(t.experimentId, refresh, 700, 2000, (data) => data.id === t.id || data.trialId === t.id);
  }).catch((e) => fill(head, errorBox(e)));
  return () => live?.stop();
};
