import { describe, expect, it } from 'vitest';
import { attemptLabel, runLabel, runOf } from './run';

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

describe('attemptLabel', () => {
  it('is the bare attempt number while no worker died', () => {
    expect(attemptLabel({ attempt: 1, workerDeaths: 0 })).toBe('1');
  });

  it('says how many earlier attempts a dead worker took', () => {
    expect(attemptLabel({ attempt: 2, workerDeaths: 1 })).toBe('2 · its worker died once on earlier attempts');
    expect(attemptLabel({ attempt: 3, workerDeaths: 2 })).toBe('3 · its worker died 2 times on earlier attempts');
  });
});
