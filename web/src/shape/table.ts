// Sorting and filtering of the trials table. Filter syntax: space-separated terms, each either
// `name op value` (op: = != < <= > >=; name: a parameter, a metric, or a column such as `value`,
// `epochs`, `status`, `rule`), or plain text matched against status, stop reason and parameters.
import type { Metrics, TrialPoint, TrialSort, TrialSummary } from '../api';
import { applyTrial } from './deltas';
import { label } from './params';

export type SortDir = 'asc' | 'desc';

/** A row the table shows: a trial summary (a page from the database) or a trial point (the compact columns). */
export type Row = TrialPoint & { last?: Metrics | null; error?: string | null };

/** The value a column key names for one trial (params first, then last-epoch metrics). */
export function fieldOf(t: Row, key: string): unknown {
  switch (key) {
    case 'number': return t.number;
    case 'status': return t.status;
    case 'value': case 'bestValue': return t.bestValue;
    case 'epochs': case 'epochCount': return t.epochCount;
    case 'bestEpoch': return t.bestEpoch;
    case 'rule': return t.stopReason?.rule ?? '';
    case 'stop': return t.stopReason ? `${t.stopReason.rule} ${t.stopReason.message ?? ''}` : t.error ?? '';
    case 'worker': return t.worker ?? '';
    case 'stage': return t.stage;
    case 'attempt': return t.attempt;
  }
  if (key in (t.params ?? {})) return t.params[key];
  if (t.last && key in t.last) return t.last[key];
  return undefined;
}

function compare(a: unknown, b: unknown): number {
  const an = a === null || a === undefined || (typeof a === 'number' && !Number.isFinite(a));
  const bn = b === null || b === undefined || (typeof b === 'number' && !Number.isFinite(b));
  if (an || bn) return an === bn ? 0 : an ? 1 : -1; // missing values last in both directions
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return label(a).localeCompare(label(b), undefined, { numeric: true });
}

/** A sorted copy; missing values always sort last; ties keep trial-number order. */
export function sortTrials<T extends Row>(trials: T[], key: string, dir: SortDir): T[] {
  return [...trials].sort((x, y) => {
    const a = fieldOf(x, key);
    const b = fieldOf(y, key);
    const missing = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
    let c = compare(a, b);
    if (!missing(a) && !missing(b) && dir === 'desc') c = -c;
    return c !== 0 ? c : x.number - y.number;
  });
}

export interface Term { name?: string; op?: string; value: string }

export function parseFilter(text: string): Term[] {
  const terms: Term[] = [];
  for (const raw of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z_][\w.]*)(<=|>=|!=|=|<|>)(.+)$/.exec(raw);
    terms.push(m ? { name: m[1]!, op: m[2]!, value: m[3]! } : { value: raw.toLowerCase() });
  }
  return terms;
}

function matches(t: Row, term: Term): boolean {
  if (!term.name) {
    const hay = [t.status, t.stopReason?.rule, t.stopReason?.message, t.error, ...Object.entries(t.params ?? {}).map(([k, v]) => `${k}=${label(v)}`)]
      .filter(Boolean).join(' ').toLowerCase();
    return hay.includes(term.value);
  }
  const v = fieldOf(t, term.name);
  if (v === undefined || v === null) return term.op === '!=';
  const num = Number(term.value);
  if (typeof v === 'number' && Number.isFinite(num)) {
    switch (term.op) {
      case '=': return v === num;
      case '!=': return v !== num;
      case '<': return v < num;
      case '<=': return v <= num;
      case '>': return v > num;
      case '>=': return v >= num;
    }
  }
  const s = label(v).toLowerCase();
  const w = term.value.toLowerCase();
  switch (term.op) {
    case '=': return s === w;
    case '!=': return s !== w;
  }
  const c = s.localeCompare(w, undefined, { numeric: true });
  return term.op === '<' ? c < 0 : term.op === '<=' ? c <= 0 : term.op === '>' ? c > 0 : c >= 0;
}

/** Trials with `status` (or any when empty) that match every term of `filter`. */
export function filterTrials<T extends Row>(trials: T[], status: string, filter: string): T[] {
  const terms = parseFilter(filter);
  return trials.filter((t) => (!status || t.status === status) && terms.every((term) => matches(t, term)));
}

/** The trials page query that shows column `key` sorted `dir` (the table's meaning: asc = smaller first), or null when the
 * database does not sort by that column. `value` in the API is best first for the objective's direction, so its order
 * word depends on `maximize`. */
export function dbSort(key: string, dir: SortDir, maximize: boolean): { sort: TrialSort; order?: 'desc' } | null {
  switch (key) {
    case 'number': case 'status': return dir === 'desc' ? { sort: key, order: 'desc' } : { sort: key };
    case 'value': return (dir === 'desc') === maximize ? { sort: 'value' } : { sort: 'value', order: 'desc' };
  }
  return null;
}

/**
 * The visible page after the live `trial` delta `t`: `rows` with `t` in place of its older self (a late delta is ignored
 * as {@link applyTrial} does) and whether the page must be read again — `t` may have entered it, left it or moved within
 * it. A page by number changes only when `t` falls inside its range of numbers, or it is not full, or it is the first
 * page newest first; a page by another key whenever `t`'s key changed or `t` is not on it (it may belong there).
 */
export function pageAfterDelta(rows: TrialSummary[], t: TrialSummary, q: { sort: TrialSort; order?: 'asc' | 'desc'; page: number; pageSize: number; status?: string }):
  { rows: TrialSummary[]; reread: boolean } {
  const i = rows.findIndex((r) => r.id === t.id);
  if (i < 0) {
    if (q.status && t.status !== q.status) return { rows, reread: false };
    if (q.sort !== 'number') return { rows, reread: true };
    const numbers = rows.map((r) => r.number);
    const lo = Math.min(...numbers), hi = Math.max(...numbers);
    const reread = rows.length < q.pageSize || (t.number > lo && t.number < hi) || (q.order === 'desc' && q.page === 1 && t.number > hi);
    return { rows, reread };
  }
  const next = applyTrial(rows, t);
  if (next === rows) return { rows, reread: false };
  const before = rows[i]!;
  const left = q.status !== undefined && q.status !== '' && t.status !== q.status;
  const keyChanged = q.sort === 'value' ? t.bestValue !== before.bestValue
    : q.sort === 'status' ? t.status !== before.status
      : q.sort === 'duration' ? t.startedAt !== before.startedAt || t.finishedAt !== before.finishedAt : false;
  return { rows: next, reread: left || keyChanged };
}
