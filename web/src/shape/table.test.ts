import { describe, expect, it } from 'vitest';
import { filterTrials, parseFilter, sortTrials } from './table';
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
