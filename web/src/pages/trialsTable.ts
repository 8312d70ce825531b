// The trials table: sortable columns, status and expression filter, client-side paging (2,000+ rows).
import { trialStatuses, type TrialSummary } from '../api';
import { badge, fill, h } from '../dom';
import { fmt } from '../shape/format';
import { label, type ParamDef } from '../shape/params';
import { filterTrials, sortTrials, type SortDir } from '../shape/table';
import { toCsv } from '../shape/csv';

const rowsPerPage = 100;

export function stopText(t: TrialSummary): string {
  const r = t.stopReason;
  if (r) {
    const parts = [r.rule];
    if (r.rung !== null && r.rung !== undefined) parts.push(`rung ${r.rung}`);
    if (r.epoch !== null && r.epoch !== undefined) parts.push(`epoch ${r.epoch}`);
    if (r.value !== null && r.value !== undefined && r.threshold !== null && r.threshold !== undefined) parts.push(`${fmt(r.value)} vs ${fmt(r.threshold)}`);
    return parts.join(' · ') + (r.message ? ` — ${r.message}` : '');
  }
  return t.error ?? '';
}

export class TrialsTable {
  readonly el: HTMLElement;
  private trials: TrialSummary[] = [];
  private defs: ParamDef[] = [];
  private sortKey = 'number';
  private sortDir: SortDir = 'asc';
  private status = '';
  private filter = '';
  private page = 1;
  private readonly table = h('div', { class: 'table-wrap' });
  private readonly pager = h('div', { class: 'pager' });
  private readonly count = h('span', { class: 'sub' });

  constructor(private readonly metric: string, private readonly bestId: () => string | null,
    private readonly frontIds: () => Set<string> = () => new Set()) {
    const statusSel = h('select', { id: 'trial-status', 'aria-label': 'trial status filter', onchange: (e: Event) => { this.status = (e.target as HTMLSelectElement).value; this.page = 1; this.render(); } },
      h('option', { value: '' }, 'all statuses'), ...trialStatuses.map((s) => h('option', { value: s }, s)));
    const text = h('input', { id: 'trial-filter', type: 'search', placeholder: 'filter: lr<0.01 optimizer=adam asha', 'aria-label': 'trial filter', size: 32 });
    let t: ReturnType<typeof setTimeout>;
    text.addEventListener('input', () => { clearTimeout(t); t = setTimeout(() => { this.filter = text.value; this.page = 1; this.render(); }, 150); });
    const csv = h('button', { type: 'button', onclick: () => this.download() }, 'CSV of shown rows');
    this.el = h('div', {}, h('div', { class: 'row wrap' }, statusSel, text, this.count, h('span', { class: 'grow' }), csv), this.table, this.pager);
  }

  update(trials: TrialSummary[], defs: ParamDef[]): void {
    this.trials = trials;
    this.defs = defs;
    this.render();
  }

  private columns(): { key: string; title: string; cell: (t: TrialSummary) => Node | string }[] {
    return [
      { key: 'number', title: '#', cell: (t) => h('a', { href: `#/trials/${t.id}` }, `#${t.number}`,
        t.id === this.bestId() ? h('span', { class: 'star', title: 'best trial' }, ' ★') : null,
        this.frontIds().has(t.id) ? h('span', { class: 'front-mark', title: 'on the Pareto front' }, ' ◆') : null) },
      { key: 'status', title: 'status', cell: (t) => badge(t.status) },
      { key: 'stage', title: 'stage', cell: (t) => (t.stage === null || t.stage === undefined ? '–' : String(t.stage)) },
      ...this.defs.map((d) => ({ key: d.name, title: d.name, cell: (t: TrialSummary) => fmt(t.params[d.name] as number) })),
      { key: 'value', title: this.metric, cell: (t) => fmt(t.bestValue) },
      { key: 'epochs', title: 'epochs', cell: (t) => `${t.epochCount}/${t.maxEpochs}` },
      { key: 'bestEpoch', title: 'best ep.', cell: (t) => fmt(t.bestEpoch) },
      { key: 'stop', title: 'stop reason', cell: (t) => h('span', { class: 'stop' }, stopText(t)) },
    ];
  }

  private shown(): TrialSummary[] {
    return sortTrials(filterTrials(this.trials, this.status, this.filter), this.sortKey, this.sortDir);
  }

  render(): void {
    const cols = this.columns();
    const rows = this.shown();
    const pages = Math.max(1, Math.ceil(rows.length / rowsPerPage));
    this.page = Math.min(this.page, pages);
    const slice = rows.slice((this.page - 1) * rowsPerPage, this.page * rowsPerPage);
    const head = h('tr', {}, ...cols.map((c) => {
      const sorted = c.key === this.sortKey;
      return h('th', { 'data-key': c.key, 'aria-sort': sorted ? (this.sortDir === 'asc' ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(c.key) }, c.title, sorted ? (this.sortDir === 'asc' ? ' ▲' : ' ▼') : ''));
    }));
    const front = this.frontIds();
    const rowClass = (t: TrialSummary) => [t.id === this.bestId() ? 'best' : '', front.has(t.id) ? 'front' : ''].filter(Boolean).join(' ');
    fill(this.table, h('table', { class: 'grid', id: 'trials' },
      h('thead', {}, head),
      h('tbody', {}, ...slice.map((t) => h('tr', { 'data-number': t.number, 'data-status': t.status, class: rowClass(t) }, ...cols.map((c) => h('td', {}, c.cell(t))))))));
    this.count.textContent = `${rows.length} of ${this.trials.length} trials`;
    fill(this.pager,
      h('button', { type: 'button', disabled: this.page <= 1, onclick: () => { this.page--; this.render(); } }, '‹'),
      h('span', {}, `page ${this.page} of ${pages}`),
      h('button', { type: 'button', disabled: this.page >= pages, onclick: () => { this.page++; this.render(); } }, '›'));
  }

  private sortBy(key: string): void {
    if (this.sortKey === key) this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    else { this.sortKey = key; this.sortDir = key === 'value' ? 'desc' : 'asc'; }
    this.render();
  }

  private download(): void {
    const header = ['number', 'status', 'stage', ...this.defs.map((d) => d.name), this.metric, 'epochs', 'stopReason'];
    const rows = this.shown().map((t) => [t.number, t.status, t.stage, ...this.defs.map((d) => label(t.params[d.name])), t.bestValue, t.epochCount, stopText(t)]);
    const a = h('a', { href: URL.createObjectURL(new Blob([toCsv(header, rows)], { type: 'text/csv' })), download: 'trials-filtered.csv' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}
