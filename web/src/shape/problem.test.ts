import { describe, expect, it } from 'vitest';
import { jsonPathOffsets, locateField, normalizePath } from './problem';

const text = `{
  "name": "x",
  "searchSpace": {
    "lr": { "type": "logUniform", "low": -1, "high": 0.1 }
  },
  "params": { "hidden": [256, 128] }
}`;

describe('normalizePath', () => {
  it('accepts JSONPath, brackets and any case', () => {
    expect(normalizePath('$.SearchSpace.lr.Low')).toBe('searchspace.lr.low');
    expect(normalizePath('params.hidden[1]')).toBe('params.hidden.1');
    expect(normalizePath("searchSpace['lr']")).toBe('searchspace.lr');
  });
});

describe('locateField', () => {
  it('finds a nested key on its line', () => {
    expect(locateField(text, 'searchSpace.lr.low')).toMatchObject({ line: 4, exact: true });
    expect(locateField(text, 'params.hidden[1]')).toMatchObject({ line: 6, exact: true });
  });
  it('falls back to the nearest ancestor for a missing field', () => {
    expect(locateField(text, 'searchSpace.lr.base')).toMatchObject({ line: 4, exact: false });
    expect(locateField(text, 'budget')).toBeNull();
  });
  it('keeps what it found before a syntax error', () => {
    const offsets = jsonPathOffsets('{ "a": 1, "b": { "c": ');
    expect([...offsets.keys()]).toEqual(['a', 'b', 'b.c']);
  });
  it('handles escaped quotes in strings', () => {
    expect(locateField('{"a": "x\\"y", "b": 1}', 'b')).toMatchObject({ line: 1, column: 15 });
  });
});
