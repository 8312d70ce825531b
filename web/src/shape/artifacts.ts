import type { Artifact } from '../api';

/** A byte count for people: 0 B, 812 B, 1.5 KiB, 3.2 MiB, 1.1 GiB. */
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return u === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** When a kept file goes away, relative to now: "kept until 2027-03-01 (90 days)", or "kept until deleted". */
export function expiryLabel(expiresAt: string | null | undefined, now: Date = new Date()): string {
  if (!expiresAt) return 'kept until deleted';
  const at = new Date(expiresAt);
  const days = Math.round((at.getTime() - now.getTime()) / 86_400_000);
  const when = at.toISOString().slice(0, 10);
  return days <= 0 ? `expires ${when} (today)` : `kept until ${when} (${days} day${days === 1 ? '' : 's'})`;
}

/** The artifacts grouped by trial number, trials in order, files in name order within each. */
export function byTrial(list: Artifact[]): { trialId: string; trialNumber: number; files: Artifact[] }[] {
  const groups = new Map<string, { trialId: string; trialNumber: number; files: Artifact[] }>();
  for (const a of list) {
    const g = groups.get(a.trialId) ?? { trialId: a.trialId, trialNumber: a.trialNumber, files: [] };
    g.files.push(a);
    groups.set(a.trialId, g);
  }
  return [...groups.values()].sort((x, y) => x.trialNumber - y.trialNumber)
    .map((g) => ({ ...g, files: [...g.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }));
}
