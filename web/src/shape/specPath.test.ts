import { describe, expect, it } from 'vitest';
import { getAt, renameAt, setAt, splitPath } from './specPath';

describe('specPath', () => {
  const spec = { name: 'x', budget: { maxTrials: 3 }, searchSpace: { lr: { type: 'uniform', low: 0, high: 1 }, wd: { type: 'fixed', value: 1 } } };

  it('reads nested values and nothing past a leaf', () => {
    expect(getAt(spec, ['budget', 'maxTrials'])).toBe(3);
    expect(getAt(spec, ['name', 'length'])).toBeUndefined();
    expect(getAt(spec, ['strategy', 'kind'])).toBeUndefined();
  });

  it('sets a value without changing the original, creating parents', () => {
    const next = setAt(spec, ['strategy', 'kind'], 'grid');
    expect(next.strategy).toEqual({ kind: 'grid' });
    expect(spec).not.toHaveProperty('strategy');
  });

  it('removes a cleared field and the parent it leaves empty', () => {
    const next = setAt(spec, ['budget', 'maxTrials'], undefined);
    expect(next).not.toHaveProperty('budget');
    expect(setAt(spec, ['searchSpace', 'lr', 'low'], undefined).searchSpace).toEqual({ lr: { type: 'uniform', high: 1 }, wd: { type: 'fixed', value: 1 } });
  });

  it('renames a parameter in place, refusing a name already taken', () => {
    expect(Object.keys(renameAt(spec, ['searchSpace'], 'lr', 'rate').searchSpace as object)).toEqual(['rate', 'wd']);
    expect(renameAt(spec, ['searchSpace'], 'lr', 'wd')).toBe(spec);
  });

  it('splits the API error paths into segments', () => {
    expect(splitPath('searchSpace.lr.low')).toEqual(['searchSpace', 'lr', 'low']);
    expect(splitPath('$.params.hidden[1]')).toEqual(['params', 'hidden', '1']);
  });
});
