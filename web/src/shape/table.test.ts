import { describe, expect, it } from 'vitest';
import { dbSort, filterTrials, pageAfterDelta, parseFilter, sortTrials } from './table';
import { trial } from './fixtures';

const trials = [
  trial({ number: 0, bestValue: 0.7, params: { lr: 0.01, optimizer: 'adam' } }),
  trial({ number: 1, bestValue: null, status: 'failed', params: { lr: 0.1, optimizer: 'sgd' }, error: 'boom' }),
  trial({ number: 2, bestValue: 0.9, status: 'pruned', params: { lr: 0.001, optimizer: 'sgd' }, stopReason: { rule: 'asha', rung: 1, message: 'below rung' } }),
];

describe('sortTrials', () => {
  it('sorts by value both ways with missing values last', () => {
    expect(sortTrials(trials, 'value', 'desc').map((t) => t.number)).toEqual([2, 0, 1]);
    expect(sortTrials(trials, 'value', 'asc').map((t) => t.number)).toEqual([0, 2, 1]);
  });
  it('sorts by a parameter', () => {
    expect(sortTrials(trials, 'lr', 'asc').map((t) => t.number)).toEqual([2, 0, 1]);
  });
});

describe('filterTrials', () => {
  it('filters by status', () => {
    expect(filterTrials(trials, 'pruned', '').map((t) => t.number)).toEqual([2]);
  });
  it('filters by comparisons on parameters and metrics', () => {
    expect(filterTrials(trials, '', 'lr<0.05').map((t) => t.number)).toEqual([0, 2]);
    expect(filterTrials(trials, '', 'optimizer=sgd value>=0.5').map((t) => t.number)).toEqual([2]);
  });
  it('matches plain text against stop reasons and errors', () => {
    expect(filterTrials(trials, '', 'asha').map((t) => t.number)).toEqual([2]);
    expect(filterTrials(trials, '', 'boom').map((t) => t.number)).toEqual([1]);
  });
  it('parses terms', () => {
    expect(parseFilter('lr<=1e-3 adam')).toEqual([{ name: 'lr', op: '<=', value: '1e-3' }, { value: 'adam' }]);
  });
});

describe('dbSort', () => {
  it('asks the database for number and status in the table’s order', () => {
    expect(dbSort('number', 'asc', true)).toEqual({ sort: 'number' });
    expect(dbSort('status', 'desc', false)).toEqual({ sort: 'status', order: 'desc' });
  });
  it('maps value to the API’s best-first order by the objective’s direction', () => {
    // The table's desc is larger first: best first when maximizing, worst first when minimizing.
    expect(dbSort('value', 'desc', true)).toEqual({ sort: 'value' });
    expect(dbSort('value', 'asc', true)).toEqual({ sort: 'value', order: 'desc' });
    expect(dbSort('value', 'asc', false)).toEqual({ sort: 'value' });
    expect(dbSort('value', 'desc', false)).toEqual({ sort: 'value', order: 'desc' });
  });
  it('leaves parameter and other columns to the browser', () => {
    expect(dbSort('lr', 'asc', true)).toBeNull();
    expect(dbSort('epochs', 'asc', true)).toBeNull();
  });
});

describe('pageAfterDelta', () => {
  const page = [0, 1, 2].map((n) => trial({ number: n, bestValue: 0.5 + n / 10, status: 'running', epochCount: 1 }));
  const byNumber = { sort: 'number' as const, page: 1, pageSize: 3 };

  it('patches a trial on the page in place without a re-read when sorted by number', () => {
    const t = trial({ number: 1, bestValue: 0.99, status: 'running', epochCount: 2 });
    const r = pageAfterDelta(page, t, byNumber);
    expect(r.rows[1]).toBe(t);
    expect(r.reread).toBe(false);
  });
  it('ignores a late delta (fewer epochs than shown)', () => {
    const r = pageAfterDelta(page, trial({ number: 1, status: 'running', epochCount: 0 }), byNumber);
    expect(r.rows).toBe(page);
    expect(r.reread).toBe(false);
  });
  it('re-reads a page by value when a trial’s value changed, and not when only its epochs did', () => {
    const q = { sort: 'value' as const, page: 1, pageSize: 3 };
    expect(pageAfterDelta(page, trial({ number: 1, bestValue: 0.99, status: 'running', epochCount: 2 }), q).reread).toBe(true);
    expect(pageAfterDelta(page, trial({ number: 1, bestValue: 0.6, status: 'running', epochCount: 2 }), q).reread).toBe(false);
  });
  it('re-reads a page by number for a new trial only when it can be on it', () => {
    const newer = trial({ number: 7, status: 'queued', epochCount: 0 });
    expect(pageAfterDelta(page, newer, byNumber).reread).toBe(false); // full page 1, oldest first: #7 is on a later page
    expect(pageAfterDelta(page, newer, { ...byNumber, pageSize: 100 }).reread).toBe(true); // last page, not full
    expect(pageAfterDelta(page, newer, { ...byNumber, order: 'desc' }).reread).toBe(true); // newest first: it tops page 1
  });
  it('re-reads a status-filtered page when a trial leaves the status, and ignores trials of other statuses', () => {
    const q = { ...byNumber, status: 'running' };
    expect(pageAfterDelta(page, trial({ number: 1, status: 'completed', epochCount: 3 }), q).reread).toBe(true);
    expect(pageAfterDelta(page, trial({ number: 9, status: 'completed', epochCount: 3 }), q).reread).toBe(false);
  });
});
