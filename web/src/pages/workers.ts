import { api } from '../api';
import { errorBox, fill, h } from '../dom';
import { ago, fmtTime } from '../shape/format';
import { pollEvery } from '../live';
import type { Page } from '../main';

export const workersPage: Page = (root) => {
  const box = h('div', { id: 'workers' }, h('p', { class: 'empty' }, 'Loading…'));
  root.append(h('section', { class: 'card' }, h('h1', {}, 'Workers'), h('p', { class: 'sub' }, 'Nodes, their pools and slots, what each slot runs now. Refreshes every 2 s. Queues, retries and failed jobs: ', h('a', { href: '/hangfire', target: '_blank', rel: 'noopener' }, 'jobs dashboard (Hangfire)'), '.'), box));
  const render = async () => {
    const nodes = await api.workers();
    if (!nodes.length) { fill(box, h('p', { class: 'empty' }, 'No worker node has checked in.')); return; }
    fill(box, h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'workers-table' },
      h('thead', {}, h('tr', {}, ...['node', 'pools', 'slot', 'running', 'since', 'last heartbeat'].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...nodes.flatMap((n) => {
        const slots = n.slots.length ? n.slots : [null];
        return slots.map((s, i) => h('tr', { class: n.alive ? '' : 'dead' },
          h('td', {}, i === 0 ? [h('b', {}, n.node), h('div', { class: 'sub' }, n.alive ? `up since ${fmtTime(n.startedAt)}` : 'not alive')] : ''),
          h('td', {}, i === 0 ? n.pools.map((p) => `${p.name} (${p.slots})`).join(', ') : ''),
          h('td', {}, s ? `${s.pool}/${s.index}` : '–'),
          h('td', {}, s?.trialId ? h('a', { href: `#/trials/${s.trialId}` }, `trial #${s.trialNumber ?? '?'}`) : h('span', { class: 'sub' }, 'idle'),
            s?.experimentId ? [' of ', h('a', { href: `#/experiments/${s.experimentId}` }, 'experiment')] : null),
          h('td', {}, s?.since ? ago(s.since) : '–'),
          h('td', {}, i === 0 ? ago(n.lastHeartbeat) : ''),
        ));
      })))));
  };
  render().catch((e) => fill(box, errorBox(e)));
  const live = pollEvery(2000, render);
  return () => live.stop();
};
