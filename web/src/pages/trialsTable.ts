// The trials table: one page of 100 rows read from the database, sorted there (number, value, status) and filtered there by
// status; sorting by another column or an expression filter runs in the browser over the compact columns every trial has
// (docs/decisions/0026). Live `trial` deltas patch the visible page, or have it read again when they may move it.
import { trialStatuses, type Page, type TrialPageQuery, type TrialPoint, type TrialSummary } from '../api';
import { badge, fill, h } from '../dom';
import { fmt } from '../shape/format';
import { label, type ParamDef } from '../shape/params';
import { dbSort, filterTrials, pageAfterDelta, sortTrials, type Row, type SortDir } from '../shape/table';
import { toCsv } from '../shape/csv';

const rowsPerPage = 100;

export function stopText(t: Row): string {
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
  private points: TrialPoint[] = [];
  private defs: ParamDef[] = [];
  private sortKey = 'number';
  private sortDir: SortDir = 'asc';
  private status = '';
  private filter = '';
  private page = 1;
  /** The database's page (when the view is one the database serves): its rows, the query that read them, its total. */
  private dbRows: TrialSummary[] = [];
  private dbQuery: TrialPageQuery | null = null;
  private dbTotal = 0;
  private reread = true;
  private reads = 0;
  private readonly table = h('div', { class: 'table-wrap' });
  private readonly pager = h('div', { class: 'pager' });
  private readonly count = h('span', { class: 'sub' });

  constructor(private readonly metric: string, private readonly bestId: () => string | null,
    private readonly frontIds: () => Set<string> = () => new Set(),
    private readonly load: ((q: TrialPageQuery) => Promise<Page<TrialSummary>>) | null = null,
    private readonly maximize: () => boolean = () => true) {
    const statusSel = h('select', { id: 'trial-status', 'aria-label': 'trial status filter', onchange: (e: Event) => { this.status = (e.target as HTMLSelectElement).value; this.go(1); } },
      h('option', { value: '' }, 'all statuses'), ...trialStatuses.map((s) => h('option', { value: s }, s)));
    const text = h('input', { id: 'trial-filter', type: 'search', placeholder: 'filter: lr<0.01 optimizer=adam asha', 'aria-label': 'trial filter', size: 32 });
    let t: ReturnType<typeof setTimeout>;
    text.addEventListener('input', () => { clearTimeout(t); t = setTimeout(() => { this.filter = text.value; this.go(1); }, 150); });
    const csv = h('button', { type: 'button', onclick: () => this.download() }, 'CSV of shown rows');
    this.el = h('div', {}, h('div', { class: 'row wrap' }, statusSel, text, this.count, h('span', { class: 'grow' }), csv), this.table, this.pager);
  }

  /** The database query of the current view, or null when the browser sorts or filters it (over every trial's columns). */
  private query(): TrialPageQuery | null {
    if (!this.load || this.filter.trim()) return null;
    const s = dbSort(this.sortKey, this.sortDir, this.maximize());
    return s ? { page: this.page, pageSize: rowsPerPage, ...s, ...(this.status ? { status: this.status } : {}) } : null;
  }

  /** Reads the current view's page from the database (nothing when the browser serves the view). */
  async fetch(): Promise<void> {
    const q = this.query();
    if (!q || !this.load) return;
    const read = ++this.reads;
    const page = await this.load(q);
    if (read !== this.reads) return; // a newer read was started (the view changed meanwhile)
    this.dbRows = page.items;
    this.dbQuery = q;
    this.dbTotal = page.total;
    this.reread = false;
  }

  /** Every trial (the charts' points) and the parameter columns; re-reads the visible page if a delta may have moved it. */
  update(points: TrialPoint[], defs: ParamDef[]): void {
    this.points = points;
    this.defs = defs;
    this.render();
    if (this.reread && this.query()) void this.fetch().then(() => this.render(), () => undefined);
  }

  /** A live `trial` delta: patches the visible page, or marks it to be read again on the next update. */
  noteTrial(t: TrialSummary): void {
    if (!this.dbQuery) { this.reread = true; return; }
    const next = pageAfterDelta(this.dbRows, t, this.dbQuery);
    this.dbRows = next.rows;
    if (next.reread) this.reread = true;
  }

  private go(page: number): void {
    this.page = page;
    this.reread = true;
    this.render();
    if (this.query()) void this.fetch().then(() => this.render(), () => undefined);
  }

  private columns(): { key: string; title: string; cell: (t: Row) => Node | string }[] {
    return [
      { key: 'number', title: '#', cell: (t) => h('a', { href: `#/trials/${t.id}` }, `#${t.number}`,
        t.id === this.bestId() ? h('span', { class: 'star', title: 'best trial' }, ' ★') : null,
        this.frontIds().has(t.id) ? h('span', { class: 'front-mark', title: 'on the Pareto front' }, ' ◆') : null) },
      { key: 'status', title: 'status', cell: (t) => badge(t.status) },
      { key: 'stage', title: 'stage', cell: (t) => (t.stage === null || t.stage === undefined ? '–' : String(t.stage)) },
      ...this.defs.map((d) => ({ key: d.name, title: d.name, cell: (t: Row) => fmt(t.params[d.name] as number) })),
      { key: 'value', title: this.metric, cell: (t) => fmt(t.bestValue) },
      { key: 'epochs', title: 'epochs', cell: (t) => `${t.epochCount}/${t.maxEpochs}` },
      { key: 'bestEpoch', title: 'best ep.', cell: (t) => fmt(t.bestEpoch) },
      { key: 'stop', title: 'stop reason', cell: (t) => h('span', { class: 'stop' }, stopText(t)) },
    ];
  }

  /** Every row of the view, sorted and filtered in the browser (the CSV, and views the database does not serve). */
  private shown(): Row[] {
    return sortTrials(filterTrials(this.points, this.status, this.filter), this.sortKey, this.sortDir);
  }

  /** The rows of the current page and how many rows the view has: the database's page while it matches the view. */
  private pageRows(): { slice: Row[]; rows: number; busy: boolean } {
    const q = this.query();
    if (q) {
      // Until the view's page arrives the last one stays (marked busy), so the table does not jump.
      const busy = !this.dbQuery || JSON.stringify(this.dbQuery) !== JSON.stringify(q);
      return { slice: this.dbRows, rows: this.dbTotal, busy };
    }
    const rows = this.shown();
    return { slice: rows.slice((this.page - 1) * rowsPerPage, this.page * rowsPerPage), rows: rows.length, busy: false };
  }

  render(): void {
    const cols = this.columns();
    const { slice, rows, busy } = this.pageRows();
    const pages = Math.max(1, Math.ceil(rows / rowsPerPage));
    if (this.page > pages && rows > 0) { this.go(pages); return; }
    const head = h('tr', {}, ...cols.map((c) => {
      const sorted = c.key === this.sortKey;
      return h('th', { 'data-key': c.key, 'aria-sort': sorted ? (this.sortDir === 'asc' ? 'ascending' : 'descending') : 'none' },
        h('button', { type: 'button', class: 'sort', onclick: () => this.sortBy(c.key) }, c.title, sorted ? (this.sortDir === 'asc' ? ' ▲' : ' ▼') : ''));
    }));
    const front = this.frontIds();
    const rowClass = (t: Row) => [t.id === this.bestId() ? 'best' : '', front.has(t.id) ? 'front' : ''].filter(Boolean).join(' ');
    fill(this.table, h('table', { class: 'grid', id: 'trials', 'data-source': this.query() ? 'database' : 'browser', 'aria-busy': busy ? 'true' : 'false' },
      h('thead', {}, head),
      h('tbody', {}, ...slice.map((t) => h('tr', { 'data-number': t.number, 'data-status': t.status, class: rowClass(t) }, ...cols.map((c) => h('td', {}, c.cell(t))))))));
    this.count.textContent = `${rows} of ${this.points.length} trials`;
    fill(this.pager,
      h('button', { type: 'button', disabled: this.page <= 1, onclick: () => this.go(this.page - 1) }, '‹'),
      h('span', {}, `page ${this.page} of ${pages}`),
      h('button', { type: 'button', disabled: this.page >= pages, onclick: () => this.go(this.page + 1) }, '›'));
  }

  private sortBy(key: string): void {
    if (this.sortKey === key) this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
    else { this.sortKey = key; this.sortDir = key === 'value' ? 'desc' : 'asc'; }
    this.go(this.page);
  }

  private download(): void {
    const header = ['number', 'status', 'stage', ...this.defs.map((d) => d.name), this.metric, 'epochs', 'stopReason'];
    const rows = this.shown().map((t) => [t.number, t.status, t.stage, ...this.defs.map((d) => label(t.params[d.name])), t.bestValue, t.epochCount, stopText(t)]);
    const a = h('a', { href: URL.createObjectURL(new Blob([toCsv(header, rows)], { type: 'text/csv' })), download: 'trials-filtered.csv' });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
}
