import { describe, expect, it } from 'vitest';
import type { Artifact } from '../api';
import { byTrial, expiryLabel, fmtBytes } from './artifacts';

const art = (trialNumber: number, name: string): Artifact => ({
  trialId: `t${trialNumber}`, trialNumber, name, kind: 'file', sizeBytes: 1, sha256: 'x', createdAt: '2026-12-01T00:00:00Z', expiresAt: null, url: `/u/${name}`,
});

describe('fmtBytes', () => {
  it('uses binary units with one decimal below ten', () => {
    expect(fmtBytes(0)).toBe('0 B');
    expect(fmtBytes(812)).toBe('812 B');
    expect(fmtBytes(1536)).toBe('1.5 KiB');
    expect(fmtBytes(50 * 1024 * 1024)).toBe('50 MiB');
    expect(fmtBytes(-1)).toBe('–');
  });
});

describe('expiryLabel', () => {
  it('counts whole days to the expiry, or says it is kept until deleted', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(expiryLabel('2026-12-08T12:00:00Z', now)).toBe('kept until 2026-12-08 (7 days)');
    expect(expiryLabel('2026-12-02T12:00:00Z', now)).toBe('kept until 2026-12-02 (1 day)');
    expect(expiryLabel('2026-12-01T13:00:00Z', now)).toBe('expires 2026-12-01 (today)');
    expect(expiryLabel(null, now)).toBe('kept until deleted');
  });
});

describe('byTrial', () => {
  it('groups by trial in number order with files sorted by name', () => {
    const groups = byTrial([art(7, 'z.bin'), art(2, 'b'), art(7, 'a.txt'), art(2, 'a')]);
    expect(groups.map((g) => g.trialNumber)).toEqual([2, 7]);
    expect(groups[1]!.files.map((f) => f.name)).toEqual(['a.txt', 'z.bin']);
  });
});
