import { describe, expect, it } from 'vitest';
import { kindOf, label, MISSING, paramDefs, parallelData, slicePoints } from './params';
import { trial } from './fixtures';

const spec = {
  searchSpace: {
    lr: { type: 'logUniform', low: 1e-5, high: 1e-1 },
    layers: { type: 'int', low: 1, high: 4 },
    width: { type: 'int', low: 16, high: 512, log: true },
    optimizer: { type: 'categorical', values: ['sgd', 'adam'] },
    epochs: 5,
  },
};
const trials = [
  trial({ number: 0, params: { lr: 1e-3, layers: 2, width: 64, optimizer: 'adam', epochs: 5 }, bestValue: 0.8 }),
  trial({ number: 1, params: { lr: 1e-2, layers: 3, width: 32, optimizer: 'sgd', epochs: 5 }, bestValue: 0.6 }),
  trial({ number: 2, params: { lr: 1e-4, layers: 1, width: 16, optimizer: 'sgd', epochs: 5 }, bestValue: null, status: 'running' }),
];

describe('paramDefs', () => {
  it('reads scales from the search space and skips fixed values', () => {
    const defs = paramDefs(spec, trials);
    expect(defs.map((d) => [d.name, d.kind])).toEqual([['lr', 'log'], ['layers', 'linear'], ['width', 'log'], ['optimizer', 'categorical']]);
    expect(defs[3]!.categories).toEqual(['sgd', 'adam']);
  });
  it('adds parameters that vary across trials without a search-space entry', () => {
    const defs = paramDefs({}, [trial({ number: 0, params: { lr: 1e-5, act: 'relu' } }), trial({ number: 1, params: { lr: 1e-1, act: 'tanh' } })]);
    expect(defs.map((d) => [d.name, d.kind])).toEqual([['lr', 'log'], ['act', 'categorical']]);
  });
  it('labels arrays as sizes', () => {
    expect(label([256, 128])).toBe('256×128');
    expect(kindOf({ type: 'grid', values: [1, 2] })).toBe('linear');
  });
});

describe('parallelData', () => {
  it('has one axis per parameter plus the objective, log where the parameter is', () => {
    const p = parallelData(paramDefs(spec, trials), trials, 'valAccuracy');
    expect(p.axes.map((a) => a.type)).toEqual(['log', 'value', 'log', 'category', 'value']);
    expect(p.rows).toEqual([
      { value: [1e-3, 2, 64, 'adam', 0.8], trialIndex: 0 },
      { value: [1e-2, 3, 32, 'sgd', 0.6], trialIndex: 1 },
    ]);
  });
  it('keeps a trial without a conditional parameter, marking the value missing', () => {
    const conditional = { searchSpace: { ...spec.searchSpace, momentum: { type: 'uniform', low: 0.5, high: 0.99, when: { optimizer: ['sgd'] } } } };
    const withMomentum = [
      trial({ number: 0, params: { lr: 1e-3, layers: 2, width: 64, optimizer: 'adam', epochs: 5 }, bestValue: 0.8 }),
      trial({ number: 1, params: { lr: 1e-2, layers: 3, width: 32, optimizer: 'sgd', momentum: 0.9, epochs: 5 }, bestValue: 0.6 }),
      trial({ number: 2, params: { lr: 1e-2, layers: 3, width: 32, optimizer: 'sgd', epochs: 5 }, bestValue: 0.5 }),
    ];
    const defs = paramDefs(conditional, withMomentum);
    expect(defs.find((d) => d.name === 'momentum')?.conditional).toBe(true);
    expect(defs.find((d) => d.name === 'lr')?.conditional).toBeUndefined();
    const p = parallelData(defs, withMomentum, 'valAccuracy');
    expect(p.rows.map((r) => r.value[4])).toEqual([MISSING, 0.9, MISSING]);
    // A parameter without a condition is still required: a trial missing it is not drawn.
    expect(parallelData(defs, [trial({ number: 3, params: { optimizer: 'sgd', momentum: 0.9 }, bestValue: 0.1 })], 'valAccuracy').rows).toEqual([]);
  });
  it('drops non-positive values from log axes', () => {
    const defs = paramDefs(spec, trials);
    expect(slicePoints(defs[0]!, [trial({ number: 0, params: { lr: 0 }, bestValue: 1 })])).toEqual([]);
  });
});
