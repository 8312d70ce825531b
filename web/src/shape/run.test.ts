import { describe, expect, it } from 'vitest';
import { runLabel, runOf } from './run';

describe('runOf', () => {
  it('takes the trainer and device out of the summary and keeps the other values', () => {
    const r = runOf({ summary: { trainer: 'torchsharp', device: 'cuda:1', initialLoss: 2.3 } });
    expect(r.trainer).toBe('torchsharp');
    expect(r.device).toBe('cuda:1');
    expect(r.values).toEqual([['initialLoss', 2.3]]);
    expect(runLabel(r)).toBe('torchsharp on cuda:1');
  });

  it('says nothing for a trial that has not started', () => {
    const r = runOf({ summary: null });
    expect(r).toEqual({ trainer: null, device: null, values: [] });
    expect(runLabel(r)).toBe('–');
  });
});
