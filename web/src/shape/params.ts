// Searched parameters: which axes to draw and on what scale (log for log-scale parameters).
import type { Spec, TrialPoint } from '../api';

export type ParamKind = 'log' | 'linear' | 'categorical';
/** `conditional`: the parameter exists only under a condition (`when` in the spec), so a trial may lack it. */
export interface ParamDef { name: string; kind: ParamKind; categories: string[]; conditional?: boolean }

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Kind of one search-space entry, or null for fixed values (nothing searched). */
export function kindOf(entry: unknown): ParamKind | null {
  if (!isObj(entry) || typeof entry.type !== 'string') return null;
  const t = entry.type.toLowerCase();
  if (t === 'loguniform' || t === 'log-uniform' || t === 'log') return 'log';
  if (t === 'int' || t === 'integer' || t === 'uniform' || t === 'float' || t === 'intuniform') return entry.log === true ? 'log' : 'linear';
  if (t === 'categorical' || t === 'choice') return 'categorical';
  if (t === 'grid') return Array.isArray(entry.values) && entry.values.every((v) => typeof v === 'number') ? 'linear' : 'categorical';
  return null;
}

/** A parameter value as a category label (arrays such as `hidden: [256, 256]` become "256×256"). */
export function label(v: unknown): string {
  if (Array.isArray(v)) return v.map(label).join('×');
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Parameter axes: every search-space entry of the spec, plus any parameter that varies across
 * trials without one (recipe stages can search parameters the spec leaves fixed, e.g. the lr sweep).
 */
export function paramDefs(spec: Spec | null | undefined, trials: TrialPoint[]): ParamDef[] {
  const defs = new Map<string, ParamDef>();
  const space = isObj(spec?.searchSpace) ? spec!.searchSpace! : {};
  for (const [name, entry] of Object.entries(space)) {
    const kind = kindOf(entry);
    if (kind) defs.set(name, { name, kind, categories: [], ...(isObj(entry) && isObj(entry.when) ? { conditional: true } : {}) });
  }
  const seen = new Map<string, Set<string>>();
  for (const t of trials) for (const [k, v] of Object.entries(t.params ?? {})) {
    if (!seen.has(k)) seen.set(k, new Set());
    seen.get(k)!.add(label(v));
  }
  for (const [name, values] of seen) {
    if (defs.has(name) || values.size < 2) continue;
    const allNum = trials.every((t) => t.params[name] === undefined || typeof t.params[name] === 'number');
    const nums = trials.map((t) => t.params[name]).filter((v): v is number => typeof v === 'number');
    const spread = nums.length ? Math.max(...nums) / Math.max(Number.MIN_VALUE, Math.min(...nums)) : 0;
    defs.set(name, { name, kind: allNum ? (nums.every((n) => n > 0) && spread >= 100 ? 'log' : 'linear') : 'categorical', categories: [] });
  }
  for (const d of defs.values()) {
    if (d.kind !== 'categorical') continue;
    const entry = space[d.name];
    const fromSpec = isObj(entry) && Array.isArray(entry.values) ? entry.values.map(label) : [];
    const fromTrials = [...(seen.get(d.name) ?? [])].sort();
    d.categories = [...new Set([...fromSpec, ...fromTrials])];
  }
  return [...defs.values()];
}

/** Numeric position of a parameter value on its axis (category index for categorical ones); null if unusable. */
export function axisValue(def: ParamDef, v: unknown): number | string | null {
  if (def.kind === 'categorical') return v === undefined ? null : label(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (def.kind === 'log' && v <= 0) return null;
  return v;
}

export interface ParallelData {
  axes: { dim: number; name: string; type: 'value' | 'log' | 'category'; data?: string[]; inverse?: boolean }[];
  rows: { value: (number | string | null)[]; trialIndex: number }[];
}

/** ECharts' mark for a missing value: a parallel line skips that axis. */
export const MISSING = '-';

/** Parallel-coordinates axes (parameters then the objective) and one row per trial with an objective value; a
 * conditional parameter a trial does not have is {@link MISSING}, so its line skips that axis instead of the trial vanishing. */
export function parallelData(defs: ParamDef[], trials: TrialPoint[], objectiveName: string): ParallelData {
  const axes: ParallelData['axes'] = defs.map((d, i) => ({
    dim: i, name: d.name,
    type: d.kind === 'log' ? 'log' : d.kind === 'categorical' ? 'category' : 'value',
    ...(d.kind === 'categorical' ? { data: d.categories } : {}),
  }));
  axes.push({ dim: defs.length, name: objectiveName, type: 'value' });
  const rows: ParallelData['rows'] = [];
  trials.forEach((t, trialIndex) => {
    if (t.bestValue === null || !Number.isFinite(t.bestValue)) return;
    const value = defs.map((d) => (d.conditional && t.params[d.name] === undefined ? MISSING : axisValue(d, t.params[d.name])));
    if (value.some((v) => v === null)) return;
    rows.push({ value: [...value, t.bestValue], trialIndex });
  });
  return { axes, rows };
}

/** Slice plot points for one parameter: [x, objective, trialIndex]. */
export function slicePoints(def: ParamDef, trials: TrialPoint[]): [number | string, number, number][] {
  const pts: [number | string, number, number][] = [];
  trials.forEach((t, i) => {
    const x = axisValue(def, t.params[def.name]);
    if (x === null || t.bestValue === null || !Number.isFinite(t.bestValue)) return;
    pts.push([x, t.bestValue, i]);
  });
  return pts;
}
