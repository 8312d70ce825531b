import { api, type Artifact } from '../api';
import { errorBox, fill, h } from '../dom';
import { byTrial, expiryLabel, fmtBytes } from '../shape/artifacts';

/** The files an experiment (or one trial) kept, with download links; the read session cookie authorises the downloads. */
export function artifactsView(list: Artifact[], withTrials: boolean): HTMLElement {
  if (!list.length) return h('p', { class: 'empty' }, 'No artifacts are kept (none yet, keepTop 0, a cancelled or failed run, or past retention).');
  const rows = byTrial(list).flatMap((g) => g.files.map((a, i) => h('tr', {},
    withTrials ? h('td', {}, i === 0 ? h('a', { href: `#/trials/${g.trialId}` }, `#${g.trialNumber}`) : '') : null,
    h('td', {}, h('a', { href: a.url, download: a.name.split('/').pop() ?? a.name, class: 'artifact-link' }, a.name)),
    h('td', {}, a.kind),
    h('td', { class: 'num' }, fmtBytes(a.sizeBytes)),
    h('td', { class: 'mono', title: a.sha256 }, a.sha256.slice(0, 12)),
    h('td', {}, expiryLabel(a.expiresAt)))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'artifacts-table' },
    h('thead', {}, h('tr', {}, withTrials ? h('th', {}, 'trial') : null, h('th', {}, 'file'), h('th', {}, 'kind'), h('th', {}, 'size'), h('th', {}, 'sha256'), h('th', {}, 'retention'))),
    h('tbody', {}, ...rows)));
}

/** Loads and shows the artifacts of an experiment (or a trial) into <paramref name="box"/>, once. */
export function loadArtifacts(box: HTMLElement, of: { experiment: string } | { trial: string }): void {
  const load = 'experiment' in of ? api.experimentArtifacts(of.experiment) : api.trialArtifacts(of.trial);
  load.then((list) => fill(box, artifactsView(list, 'experiment' in of))).catch((e) => fill(box, errorBox(e)));
}
