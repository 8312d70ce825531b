import { api, experimentStatuses, type ExperimentSummary } from '../api';
import { badge, errorBox, fill, h } from '../dom';
import { fmt, fmtTime } from '../shape/format';
import { frontSummary } from '../shape/front';
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

/** The list's search and sort as the page's address keeps them (#/experiments?q=…&tag=…&sort=…&order=…&status=…&page=…). */
export interface ListState { status: string; q: string; tags: string[]; sort: string; order: '' | 'asc' | 'desc'; page: number }

export function readListState(params: URLSearchParams): ListState {
  const order = params.get('order');
  return {
    status: params.get('status') ?? '', q: params.get('q') ?? '',
    tags: params.getAll('tag').filter((t) => t.length > 0),
    sort: params.get('sort') ?? '', order: order === 'asc' || order === 'desc' ? order : '',
    page: Math.max(1, Number(params.get('page') ?? 1) || 1),
  };
}

export function listHash(s: ListState): string {
  const p = new URLSearchParams();
  if (s.status) p.set('status', s.status);
  if (s.q) p.set('q', s.q);
  for (const t of s.tags) p.append('tag', t);
  if (s.sort) p.set('sort', s.sort);
  if (s.order) p.set('order', s.order);
  p.set('page', String(s.page));
  return `#/experiments?${p}`;
}

/** Tags as typed in a box: separated by commas or spaces, blanks dropped, each once. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((t) => t.trim()).filter((t) => t.length > 0))];
}

/** The API's default direction per field: newest, latest and best-valued first; names A→Z. */
const defaultDesc = (field: string) => field === '' || field === 'createdAt' || field === 'finishedAt' || field === 'bestValue';

export function tagChips(tags: string[] | undefined, onPick?: (tag: string) => void): HTMLElement | null {
  if (!tags?.length) return null;
  return h('span', { class: 'tags' }, ...tags.map((t) => onPick
    ? h('button', { type: 'button', class: 'tag', title: `only experiments tagged ${t}`, onclick: () => onPick(t) }, t)
    : h('span', { class: 'tag' }, t)));
}

const dir = (d: string) => (d === 'maximize' ? 'max' : 'min');

/** The list's result cell: the best value, or with several objectives the front's size and each objective's best on it
 * (the first objective's is what sorting by best value orders on: the stored best value). */
export function bestCell(e: ExperimentSummary): HTMLElement {
  const f = frontSummary(e);
  if (!f) return h('td', { class: 'num' }, fmt(e.bestValue), h('div', { class: 'sub' }, `${dir(e.objective.direction)} ${e.objective.metric}`));
  return h('td', { class: 'num front-cell' },
    h('div', { class: 'front-size' }, f.size ? `front: ${f.size} trial${f.size === 1 ? '' : 's'}` : 'front: none yet'),
    ...f.objectives.map((o, i) => h('div', {
      class: i === 0 ? 'sub front-best first' : 'sub front-best', 'data-metric': o.metric, 'data-best': o.best ?? '',
      title: o.best === null ? `${o.metric}: no trial on the front yet`
        : `${o.metric} on the front: from ${fmt(o.best)} (best) to ${fmt(o.worst)}${i === 0 ? '; sorting by best value orders on this one' : ''}`,
    }, `${dir(o.direction)} ${o.metric} ${fmt(o.best)}`)));
}

export const experimentsPage: Page = (root, params) => {
  const state = readListState(params);
  const nav = (change: Partial<ListState>) => { location.hash = listHash({ ...state, page: 1, ...change }); };
  const filter = h('select', { 'aria-label': 'status filter', id: 'status-filter', onchange: (e: Event) => nav({ status: (e.target as HTMLSelectElement).value }) },
    h('option', { value: '' }, 'all statuses'), ...experimentStatuses.map((s) => h('option', { value: s, selected: s === state.status }, s)));
  const search = h('input', { type: 'search', id: 'search', 'aria-label': 'search by name', placeholder: 'search names', value: state.q });
  const tagBox = h('input', { type: 'text', id: 'tag-filter', 'aria-label': 'filter by tags', placeholder: 'tags (all of them)', value: state.tags.join(' ') });
  const searchForm = h('form', { class: 'row', id: 'search-form', role: 'search', onsubmit: (e: Event) => {
    e.preventDefault();
    nav({ q: search.value.trim(), tags: parseTags(tagBox.value) });
  } }, search, tagBox, h('button', { type: 'submit' }, 'Search'),
  (state.q || state.tags.length) ? h('button', { type: 'button', id: 'clear-search', onclick: () => nav({ q: '', tags: [] }) }, 'Clear') : null);
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
    searchForm, body, pager));

  const sortField = state.sort || 'createdAt';
  const descending = state.order ? state.order === 'desc' : defaultDesc(state.sort);
  // A sortable header: a click sorts by it (its usual direction first), a second click turns the order round.
  const header = (label: string, field?: string, title?: string) => {
    if (!field) return h('th', {}, label);
    const active = sortField === field;
    const next = active ? (descending ? 'asc' : 'desc') : (defaultDesc(field) ? 'desc' : 'asc');
    return h('th', { 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none', title },
      h('button', { type: 'button', class: 'sort', 'data-sort': field, onclick: () => nav({ sort: field, order: next }) },
        label, active ? (descending ? ' ▼' : ' ▲') : ''));
  };
  const pickTag = (t: string) => nav({ tags: state.tags.includes(t) ? state.tags : [...state.tags, t] });

  const render = async () => {
    const res = await api.experiments({ status: state.status || null, q: state.q || null, tags: state.tags, sort: state.sort || null, order: state.order || null },
      state.page, pageSize);
    const filtered = state.status || state.q || state.tags.length;
    if (res.items.length === 0) {
      fill(body, h('p', { class: 'empty' }, filtered ? 'No experiments match.' : 'No experiments yet. ', !filtered && h('a', { href: '#/submit' }, 'Submit one.')));
    } else {
      fill(body, h('table', { class: 'grid', id: 'experiments' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), header('name', 'name'), header('status', 'status'), header('strategy'), header('trainer', 'trainer'),
          header('dataset', 'dataset'), header('progress'), header('best', 'bestValue', 'With several objectives: the front, each objective’s best on it; sorted by the first objective’s best on the front'), header('epochs saved'), header('created', 'createdAt'), header('schedule'))),
        h('tbody', {}, ...res.items.map((e) => h('tr', { 'data-id': e.id },
          h('td', {}, h('input', {
            type: 'checkbox', class: 'compare-pick', 'aria-label': `compare ${e.name}`, checked: chosen.has(e.id),
            onchange: (ev: Event) => { if ((ev.target as HTMLInputElement).checked) chosen.add(e.id); else chosen.delete(e.id); syncCompare(); },
          })),
          h('td', {}, h('a', { href: `#/experiments/${e.id}` }, e.name), tagChips(e.tags, pickTag),
            e.note ? h('div', { class: 'sub note-line', title: e.note }, e.note.split('\n')[0]) : null),
          h('td', {}, badge(e.status), e.currentStage ? h('div', { class: 'sub' }, `stage ${e.currentStage}`) : null),
          h('td', {}, e.strategy),
          h('td', {}, e.trainer),
          h('td', {}, e.dataset),
          h('td', {}, progressBar(e)),
          bestCell(e),
          h('td', { class: 'num' }, e.epochsSaved ?? '–', e.epochsBudget ? h('div', { class: 'sub' }, `of ${e.epochsBudget}`) : null),
          h('td', {}, fmtTime(e.createdAt)),
          h('td', {}, e.scheduleId ? h('span', { title: e.scheduleId }, 'scheduled') : '–'),
        )))));
    }
    const pages = Math.max(1, Math.ceil(res.total / pageSize));
    fill(pager,
      h('button', { disabled: state.page <= 1, onclick: () => nav({ page: state.page - 1 }) }, '‹ previous'),
      h('span', {}, `page ${state.page} of ${pages} · ${res.total} experiments`),
      h('button', { disabled: state.page >= pages, onclick: () => nav({ page: state.page + 1 }) }, 'next ›'));
  };
  render().catch((e) => fill(body, errorBox(e)));
  const live = pollEvery(2000, render);
  return () => live.stop();
};
