import { api, experimentStatuses, type ExperimentSummary } from '../api';
import { badge, errorBox, fill, h } from '../dom';
import { fmt, fmtTime } from '../shape/format';
import { pollEvery } from '../live';
import type { Page } from '../main';

const pageSize = 20;

/** Trials done = every ended trial (completed, pruned, diverged, failed, cancelled). */
export function progress(e: ExperimentSummary): { done: number; running: number; budget: number } {
  const c = e.trialCounts ?? {};
  const done = (c.completed ?? 0) + (c.pruned ?? 0) + (c.diverged ?? 0) + (c.failed ?? 0) + (c.cancelled ?? 0);
  return { done, running: c.running ?? 0, budget: Math.max(1, e.maxTrials || done) };
}

export function progressBar(e: ExperimentSummary): HTMLElement {
  const p = progress(e);
  const pct = (n: number) => `${Math.min(100, (100 * n) / p.budget).toFixed(1)}%`;
  return h('div', { class: 'progress', title: `${p.done} of ${p.budget} trials done, ${p.running} running` },
    h('div', { class: 'bar' }, h('span', { class: 'done', style: `width:${pct(p.done)}` }), h('span', { class: 'running', style: `width:${pct(p.running)}` })),
    h('small', {}, `${p.done}/${p.budget}`, p.running ? ` · ${p.running} running` : ''));
}

export const experimentsPage: Page = (root, params) => {
  const status = params.get('status') ?? '';
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const nav = (s: string, p: number) => { location.hash = `#/experiments?${new URLSearchParams({ ...(s ? { status: s } : {}), page: String(p) })}`; };
  const filter = h('select', { 'aria-label': 'status filter', id: 'status-filter', onchange: (e: Event) => nav((e.target as HTMLSelectElement).value, 1) },
    h('option', { value: '' }, 'all statuses'), ...experimentStatuses.map((s) => h('option', { value: s, selected: s === status }, s)));
  const body = h('div', { class: 'table-wrap' });
  // Ticked experiments, kept across live refreshes of the list.
  const chosen = new Set<string>();
  const compare = h('a', { class: 'button', id: 'compare-selected', href: '#/compare', 'aria-disabled': 'true' }, 'Compare selected');
  const syncCompare = () => {
    compare.setAttribute('href', `#/compare?ids=${[...chosen].join(',')}`);
    compare.setAttribute('aria-disabled', chosen.size >= 2 ? 'false' : 'true');
    compare.title = chosen.size >= 2 ? `compare ${chosen.size} experiments` : 'tick two or more experiments';
  };
  compare.addEventListener('click', (e) => { if (chosen.size < 2) e.preventDefault(); });
  const pager = h('div', { class: 'pager' });
  root.append(h('section', { class: 'card' },
    h('div', { class: 'row' }, h('h1', {}, 'Experiments'), h('span', { class: 'grow' }), filter, compare, h('a', { class: 'button', href: '#/submit' }, 'New experiment')),
    body, pager));

  const render = async () => {
    const res = await api.experiments(status || null, page, pageSize);
    if (res.items.length === 0) {
      fill(body, h('p', { class: 'empty' }, status ? `No ${status} experiments.` : 'No experiments yet. ', !status && h('a', { href: '#/submit' }, 'Submit one.')));
    } else {
      fill(body, h('table', { class: 'grid', id: 'experiments' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), ...['name', 'status', 'strategy', 'progress', 'best', 'epochs saved', 'created', 'schedule'].map((c) => h('th', {}, c)))),
        h('tbody', {}, ...res.items.map((e) => h('tr', { 'data-id': e.id },
          h('td', {}, h('input', {
            type: 'checkbox', class: 'compare-pick', 'aria-label': `compare ${e.name}`, checked: chosen.has(e.id),
            onchange: (ev: Event) => { if ((ev.target as HTMLInputElement).checked) chosen.add(e.id); else chosen.delete(e.id); syncCompare(); },
          })),
          h('td', {}, h('a', { href: `#/experiments/${e.id}` }, e.name), h('div', { class: 'sub' }, `${e.trainer} · ${e.dataset}`)),
          h('td', {}, badge(e.status), e.currentStage ? h('div', { class: 'sub' }, `stage ${e.currentStage}`) : null),
          h('td', {}, e.strategy),
          h('td', {}, progressBar(e)),
          h('td', { class: 'num' }, fmt(e.bestValue), h('div', { class: 'sub' }, `${e.objective.direction === 'maximize' ? 'max' : 'min'} ${e.objective.metric}`)),
          h('td', { class: 'num' }, e.epochsSaved ?? '–', e.epochsBudget ? h('div', { class: 'sub' }, `of ${e.epochsBudget}`) : null),
          h('td', {}, fmtTime(e.createdAt)),
          h('td', {}, e.scheduleId ? h('span', { title: e.scheduleId }, 'scheduled') : '–'),
        )))));
    }
    const pages = Math.max(1, Math.ceil(res.total / pageSize));
    fill(pager,
      h('button', { disabled: page <= 1, onclick: () => nav(status, page - 1) }, '‹ newer'),
      h('span', {}, `page ${page} of ${pages} · ${res.total} experiments`),
      h('button', { disabled: page >= pages, onclick: () => nav(status, page + 1) }, 'older ›'));
  };
  render().catch((e) => fill(body, errorBox(e)));
  const live = pollEvery(2000, render);
  return () => live.stop();
};
