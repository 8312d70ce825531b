// Shapes for the analysis charts: curves by recipe stage, the empirical distribution of objective values, a binned
// two-parameter contour, trials on a timeline per worker slot, and the difference between two specs.
import type { Curves, TrialPoint } from '../api';
import { fmt } from './format';
import { axisValue, type ParamDef } from './params';

/** The six-step stages whose trials compete for the result (the others are diagnostics on other budgets). */
export const COMPETING_STAGES = ['coarse', 'refine'];

/** Stage selector values: 'competing' (default on a recipe run), 'all', or one stage name. */
export type StageView = 'competing' | 'all' | string;

/** The curves of the trials in the chosen stages; a run without stages keeps every curve. */
export function curvesForStages(curves: Curves, trials: TrialPoint[], view: StageView): Curves {
  if (view === 'all') return curves;
  const stageOf = new Map(trials.map((t) => [t.id, t.stage === null || t.stage === undefined ? null : String(t.stage)]));
  if (![...stageOf.values()].some((s) => s !== null)) return curves;
  const keep = (stage: string | null | undefined) => (view === 'competing' ? stage !== null && stage !== undefined && COMPETING_STAGES.includes(stage) : stage === view);
  return { ...curves, trials: curves.trials.filter((c) => keep(stageOf.get(c.id))) };
}

/** The stages present among the trials, in the order they first appear. */
export function stagesOf(trials: TrialPoint[]): string[] {
  const seen: string[] = [];
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    const s = t.stage === null || t.stage === undefined ? null : String(t.stage);
    if (s !== null && !seen.includes(s)) seen.push(s);
  }
  return seen;
}

/** Empirical distribution function of the finite values: [value, share of values ≤ value] steps, ascending. */
export function edf(values: (number | null | undefined)[]): [number, number][] {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const out: [number, number][] = [];
  xs.forEach((x, i) => {
    if (i + 1 < xs.length && xs[i + 1] === x) return; // one step per distinct value, at its last occurrence
    out.push([x, (i + 1) / xs.length]);
  });
  return out;
}

/** The finished trials' objective values an EDF or comparison draws: completed trials (pruned ones ran fewer epochs). */
export function completedValues<T extends TrialPoint>(trials: T[], value: (t: T) => number | null = (t) => t.bestValue): number[] {
  return trials.filter((t) => t.status === 'completed').map(value).filter((v): v is number => v !== null && Number.isFinite(v));
}

export interface ContourCell { x: number; y: number; mean: number; count: number }
export interface Contour {
  /** Axis labels: category names, or the bin centres of a numeric axis (geometric centres on log axes). */
  xLabels: string[]; yLabels: string[];
  cells: ContourCell[];
  /** Trials as [x bin, y bin, value, trial index], jittered inside their cell by the caller if wanted. */
  points: [number, number, number, number][];
}

/** Bin edges of a numeric axis over the values seen (log-spaced on a log axis); one bin per category otherwise. */
function axisBins(def: ParamDef, values: (number | string)[], bins: number): { label: string[]; index: (v: number | string) => number } {
  if (def.kind === 'categorical') {
    const cats = def.categories.length ? def.categories : [...new Set(values.map(String))].sort();
    return { label: cats, index: (v) => cats.indexOf(String(v)) };
  }
  const nums = values.map(Number);
  const log = def.kind === 'log';
  const f = (v: number) => (log ? Math.log10(v) : v);
  const lo = Math.min(...nums.map(f));
  const hi = Math.max(...nums.map(f));
  const n = hi > lo ? bins : 1;
  const width = (hi - lo) / n || 1;
  const centre = (i: number) => lo + width * (i + 0.5);
  const label = Array.from({ length: n }, (_, i) => {
    return fmt(log ? 10 ** centre(i) : centre(i), 3);
  });
  return { label, index: (v) => Math.min(n - 1, Math.max(0, Math.floor((f(Number(v)) - lo) / width))) };
}

/** Mean objective of the completed trials per cell of an x × y grid of two parameters (numeric axes in `bins` bins). */
export function contourGrid(x: ParamDef, y: ParamDef, trials: TrialPoint[], bins = 8): Contour {
  const rows: { xv: number | string; yv: number | string; value: number; i: number }[] = [];
  trials.forEach((t, i) => {
    if (t.status !== 'completed' || t.bestValue === null || !Number.isFinite(t.bestValue)) return;
    const xv = axisValue(x, t.params[x.name]);
    const yv = axisValue(y, t.params[y.name]);
    if (xv === null || yv === null) return;
    rows.push({ xv, yv, value: t.bestValue, i });
  });
  if (rows.length === 0) return { xLabels: [], yLabels: [], cells: [], points: [] };
  const bx = axisBins(x, rows.map((r) => r.xv), bins);
  const by = axisBins(y, rows.map((r) => r.yv), bins);
  const sums = new Map<string, { sum: number; count: number; x: number; y: number }>();
  const points: Contour['points'] = [];
  for (const r of rows) {
    const cx = bx.index(r.xv), cy = by.index(r.yv);
    if (cx < 0 || cy < 0) continue;
    const key = `${cx},${cy}`;
    const s = sums.get(key) ?? { sum: 0, count: 0, x: cx, y: cy };
    s.sum += r.value; s.count += 1;
    sums.set(key, s);
    points.push([cx, cy, r.value, r.i]);
  }
  const cells = [...sums.values()].map((s) => ({ x: s.x, y: s.y, mean: s.sum / s.count, count: s.count }));
  return { xLabels: bx.label, yLabels: by.label, cells, points };
}

export interface TimelineBar { row: number; start: number; end: number; trialIndex: number; running: boolean }
export interface Timeline { rows: string[]; bars: TimelineBar[] }

/** Trials as bars from start to finish (now for running ones) on one row per worker slot ("node/pool/slot"), rows sorted. */
export function timeline(trials: TrialPoint[], now: number): Timeline {
  const withTimes = trials.map((t, i) => ({ t, i })).filter(({ t }) => t.worker && t.startedAt);
  const rows = [...new Set(withTimes.map(({ t }) => t.worker!))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  // A running trial reaches now; an ended one without a finish time has no known end and is left out.
  const bars = withTimes.filter(({ t }) => t.status === 'running' || t.finishedAt).map(({ t, i }) => {
    const start = Date.parse(t.startedAt!);
    const running = t.status === 'running';
    const end = running ? Math.max(start, now) : Date.parse(t.finishedAt!);
    return { row: rows.indexOf(t.worker!), start, end, trialIndex: i, running };
  }).filter((b) => Number.isFinite(b.start) && Number.isFinite(b.end));
  return { rows, bars };
}

export interface SpecChange { path: string; left: string | undefined; right: string | undefined }

/** Leaf-by-leaf difference of two specs (objects flattened to dotted paths; arrays compared whole), sorted by path. */
export function specDiff(left: unknown, right: unknown): SpecChange[] {
  const flat = (v: unknown, path: string, out: Map<string, string>) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, c] of Object.entries(v as Record<string, unknown>)) flat(c, path ? `${path}.${k}` : k, out);
    } else out.set(path, JSON.stringify(v));
    return out;
  };
  const a = flat(left, '', new Map());
  const b = flat(right, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths.filter((p) => a.get(p) !== b.get(p)).map((p) => ({ path: p, left: a.get(p), right: b.get(p) }));
}

/** The experiment ids a compare link names (<c>#/compare?ids=a,b</c>): distinct, in order, well-formed, at most 8. */
export function compareIds(params: URLSearchParams): string[] {
  return [...new Set((params.get('ids') ?? '').split(',').map((s) => s.trim()).filter((s) => /^[\w-]+$/.test(s)))].slice(0, 8);
}
