import { ApiError, api, type Schedule, type ScheduleRun } from '../api';
import { apiKey, forgetApiKey } from '../apiKey';
import { badge, errorBox, fill, h } from '../dom';
import { withEnabled } from '../shape/scheduleBody';
import { scheduleForm } from './scheduleForm';
import { ago, fmt, fmtTime } from '../shape/format';
import { pollEvery } from '../live';
import type { Page } from '../main';

const when = (s: Schedule) => (s.enabled ? (s.nextFireTime ? `${fmtTime(s.nextFireTime)} (${s.timeZone})` : 'never again') : 'disabled');

export const schedulesPage: Page = (root) => {
  const box = h('div', { id: 'schedules' }, h('p', { class: 'empty' }, 'Loading…'));
  // The form lives outside the list the poll redraws.
  const formBox = h('div', { id: 'new-schedule' });
  const newButton = h('button', {
    type: 'button', id: 'new-schedule-button',
    onclick: () => {
      if (formBox.childElementCount) { fill(formBox); return; }
      fill(formBox, h('h2', {}, 'New schedule'), scheduleForm(null, (s) => { location.hash = `#/schedules/${s.id}`; }));
    },
  }, 'New schedule');
  root.append(h('section', { class: 'card' }, h('div', { class: 'row' }, h('h1', {}, 'Schedules'), h('span', { class: 'grow' }), newButton),
    h('p', { class: 'sub' }, 'Cron sweeps: each firing creates an experiment from the template (also over the API: POST /api/schedules).'), formBox, box));
  const render = async () => {
    const schedules = await api.schedules();
    if (!schedules.length) { fill(box, h('p', { class: 'empty' }, 'No schedule yet.')); return; }
    fill(box, h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'schedules-table' },
      h('thead', {}, h('tr', {}, ...['name', 'cron', 'next fire', 'policies', 'last run', 'last best'].map((c) => h('th', {}, c)))),
      h('tbody', {}, ...schedules.map((s) => {
        const last = s.runs[s.runs.length - 1];
        return h('tr', {},
          h('td', {}, h('a', { href: `#/schedules/${s.id}` }, s.name)),
          h('td', {}, h('code', {}, s.cron)),
          h('td', {}, when(s)),
          h('td', {}, `misfire ${s.misfirePolicy}, overlap ${s.overlapPolicy}${s.warmStartTopK ? `, warm start ${s.warmStartTopK}` : ''}`),
          h('td', {}, last ? [badge(last.status), ' ', ago(last.createdAt)] : '–'),
          h('td', {}, last ? fmt(last.bestValue) : '–'));
      })))));
  };
  render().catch((e) => fill(box, errorBox(e)));
  const live = pollEvery(5000, render);
  return () => live.stop();
};

/** Runs a write that needs the key; a refused key is forgotten so the next try asks again. */
async function withKey(button: HTMLButtonElement, write: (key: string) => Promise<void>): Promise<void> {
  const key = await apiKey();
  if (!key) return;
  button.disabled = true;
  try {
    await write(key);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) forgetApiKey();
    button.after(errorBox(err));
  } finally {
    button.disabled = false;
  }
}

export const schedulePage: Page = (root, _params, id) => {
  const box = h('div', { id: 'schedule' }, h('p', { class: 'empty' }, 'Loading…'));
  const editBox = h('div', { id: 'edit-schedule' });
  root.append(box, editBox);
  let current: Schedule | null = null;
  let confirmDelete = false;
  const actions = (s: Schedule) => h('div', { class: 'row wrap', id: 'schedule-actions' },
    h('button', {
      type: 'button', id: 'toggle-schedule',
      onclick: (e: Event) => withKey(e.currentTarget as HTMLButtonElement, async (key) => { await api.updateSchedule(s.id, withEnabled(s, !s.enabled), key); await render(); }),
    }, s.enabled ? 'Pause' : 'Resume'),
    h('button', {
      type: 'button', id: 'edit-schedule-button',
      onclick: () => {
        if (editBox.childElementCount) { fill(editBox); return; }
        fill(editBox, h('section', { class: 'card' }, h('h2', {}, 'Edit schedule'),
          scheduleForm(current, async () => { fill(editBox); await render(); })));
      },
    }, 'Edit'),
    h('button', {
      type: 'button', id: 'delete-schedule', class: 'danger',
      onclick: (e: Event) => {
        const button = e.currentTarget as HTMLButtonElement;
        // Two clicks: the first arms it (no modal dialog), the second deletes.
        if (!confirmDelete) { confirmDelete = true; button.textContent = 'Click again to delete'; return; }
        return withKey(button, async (key) => { await api.deleteSchedule(s.id, key); location.hash = '#/schedules'; });
      },
    }, confirmDelete ? 'Click again to delete' : 'Delete'));
  const render = async () => {
    const s = await api.schedule(id!);
    current = s;
    fill(box,
      h('section', { class: 'card' }, h('div', { class: 'row wrap' }, h('h1', {}, s.name), badge(s.enabled ? 'enabled' : 'paused'), h('span', { class: 'grow' }), actions(s)),
        h('p', { class: 'sub' }, h('code', {}, s.cron), ` (${s.quartzCron}), ${s.timeZone}; misfire ${s.misfirePolicy}, overlap ${s.overlapPolicy}`,
          s.warmStartTopK ? `, warm start from the previous run's best ${s.warmStartTopK}` : '', `, regression margin ${s.regressionMargin}`),
        h('p', { id: 'next-fire' }, h('b', {}, 'Next fire: '), when(s)),
        s.lastFiredAt ? h('p', { class: 'sub' }, `Last firing ${ago(s.lastFiredAt)}: ${s.lastFireOutcome ?? ''}`) : null),
      h('section', { class: 'card', id: 'schedule-series' }, h('h2', {}, 'Best value, run over run'), seriesChart(s.runs)),
      h('section', { class: 'card' }, h('h2', {}, 'Runs'), runsTable(s.runs)));
  };
  render().catch((e) => fill(box, errorBox(e)));
  const live = pollEvery(5000, render);
  return () => live.stop();
};

function runsTable(runs: ScheduleRun[]): HTMLElement {
  if (!runs.length) return h('p', { class: 'empty' }, 'No run yet.');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'runs-table' },
    h('thead', {}, h('tr', {}, ...['run', 'status', 'created', 'best', 'previous best', 'warm start', ''].map((c) => h('th', {}, c)))),
    h('tbody', {}, ...[...runs].reverse().map((r) => h('tr', { class: r.regression ? 'regression' : '' },
      h('td', {}, h('a', { href: `#/experiments/${r.id}` }, r.name)),
      h('td', {}, badge(r.status)),
      h('td', {}, fmtTime(r.createdAt)),
      h('td', {}, fmt(r.bestValue)),
      h('td', {}, fmt(r.previousBestValue)),
      h('td', {}, r.warmStartTrials ? String(r.warmStartTrials) : '–'),
      h('td', {}, r.regression ? h('span', { class: 'badge s-failed' }, 'regression') : ''))))));
}

/** The runs' best values as a line (oldest left); a regression is a red dot. Plain SVG: a handful of points. */
function seriesChart(runs: ScheduleRun[]): Element {
  const points = runs.filter((r) => r.bestValue !== null && Number.isFinite(r.bestValue));
  if (points.length < 1) return h('p', { class: 'empty' }, 'No run has a best value yet.');
  const W = 640, H = 160, pad = 24;
  const values = points.map((r) => r.bestValue!);
  const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
  const x = (i: number) => pad + (points.length === 1 ? (W - 2 * pad) / 2 : (i * (W - 2 * pad)) / (points.length - 1));
  const y = (v: number) => H - pad - ((v - lo) * (H - 2 * pad)) / span;
  const ns = 'http://www.w3.org/2000/svg';
  const el = (tag: string, attrs: Record<string, string | number>) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': 'best value per run' });
  svg.append(el('polyline', { points: points.map((r, i) => `${x(i)},${y(r.bestValue!)}`).join(' '), fill: 'none', stroke: '#3b82f6', 'stroke-width': 2 }));
  points.forEach((r, i) => {
    const dot = el('circle', { cx: x(i), cy: y(r.bestValue!), r: 4, fill: r.regression ? '#dc2626' : '#3b82f6' });
    const title = el('title', {});
    title.textContent = `${r.name}: ${fmt(r.bestValue)}${r.regression ? ' (regression)' : ''}`;
    dot.append(title);
    svg.append(dot);
  });
  const label = (text: string, yy: number) => { const t = el('text', { x: 2, y: yy, 'font-size': 11, fill: '#6b7280' }); t.textContent = text; return t; };
  svg.append(label(fmt(hi), pad - 6), label(fmt(lo), H - pad + 14));
  return svg;
}
