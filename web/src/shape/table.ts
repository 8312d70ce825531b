// Sorting and filtering of the trials table. Filter syntax: space-separated terms, each either
// `name op value` (op: = != < <= > >=; name: a parameter, a metric, or a column such as `value`,
// `epochs`, `status`, `rule`), or plain text matched against status, stop reason and parameters.
import type { TrialSummary } from '../api';
import { label } from './params';

export type SortDir = 'asc' | 'desc';

/** The value a column key names for one trial (params first, then last-epoch metrics). */
export function fieldOf(t: TrialSummary, key: string): unknown {
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
export function sortTrials(trials: TrialSummary[], key: string, dir: SortDir): TrialSummary[] {
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

function matches(t: TrialSummary, term: Term): boolean {
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
export function filterTrials(trials: TrialSummary[], status: string, filter: string): TrialSummary[] {
  const terms = parseFilter(filter);
  return trials.filter((t) => (!status || t.status === status) && terms.every((term) => matches(t, term)));
}
