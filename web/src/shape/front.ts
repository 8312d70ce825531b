// What the experiments list and the compare page show as the result of an experiment with several objectives: its Pareto
// front (as the service stored it, `front` of the summary), summed up per objective, listed, and overlaid across experiments.
import type { ExperimentSummary, FrontMember, Objective, TrialSummary } from '../api';
import { paretoView, type ParetoPoint } from './pareto';

type WithObjectives = Pick<ExperimentSummary, 'objective' | 'objectives' | 'front'>;

/** Every objective of an experiment, the first being `objective` (older summaries carry only that one). */
export const objectivesOf = (e: WithObjectives): Objective[] => (e.objectives?.length ? e.objectives : [e.objective]);

/** True when the experiment's result is a front rather than one best value. */
export const isMultiObjective = (e: WithObjectives): boolean => objectivesOf(e).length > 1;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const better = (o: Objective, a: number, b: number) => (o.direction === 'maximize' ? a > b : a < b);

export interface ObjectiveOnFront extends Objective {
  /** The best value any front member reaches on this objective (the experiment's best on it), null while the front is empty. */
  best: number | null;
  /** The worst value on the front: with `best`, the range the front's trade-off spans on this objective. */
  worst: number | null;
}
export interface FrontSummary { size: number; objectives: ObjectiveOnFront[] }

/** The front's size and each objective's best and worst value on it; null for a single objective. */
export function frontSummary(e: WithObjectives): FrontSummary | null {
  const objectives = objectivesOf(e);
  if (objectives.length < 2) return null;
  const front = e.front ?? [];
  return {
    size: front.length,
    objectives: objectives.map((o, i) => {
      let best: number | null = null, worst: number | null = null;
      for (const m of front) {
        const v = m.values[i];
        if (!finite(v)) continue;
        if (best === null || better(o, v, best)) best = v;
        if (worst === null || better(o, worst, v)) worst = v;
      }
      return { ...o, best, worst };
    }),
  };
}

/** The front as table rows: best first on the first objective, then by trial number. */
export function frontRows(objectives: Objective[], front: FrontMember[]): FrontMember[] {
  const first = objectives[0];
  return [...front].sort((a, b) => {
    const x = a.values[0], y = b.values[0];
    if (first && finite(x) && finite(y) && x !== y) return better(first, x, y) ? -1 : 1;
    if (finite(x) !== finite(y)) return finite(x) ? -1 : 1;
    return a.number - b.number;
  });
}

const same = (a: Objective, b: Objective) => a.metric === b.metric && a.direction === b.direction;
const key = (o: Objective) => `${o.direction} ${o.metric}`;

/** The objectives a comparison can be drawn on: every experiment's objectives, each once, in the order first met. */
export function comparedObjectives(exps: WithObjectives[]): Objective[] {
  const seen = new Map<string, Objective>();
  for (const e of exps) for (const o of objectivesOf(e)) if (!seen.has(key(o))) seen.set(key(o), o);
  return [...seen.values()];
}

/**
 * One trial's value of objective `o` in an experiment: its `bestValue` when `o` is the experiment's first objective, else
 * the same epoch's value of the metric (the epoch the front reads); null when the experiment does not have `o` as an objective.
 */
export function objectiveValue(e: WithObjectives, o: Objective): ((t: TrialSummary) => number | null) | null {
  const objectives = objectivesOf(e);
  const i = objectives.findIndex((x) => same(x, o));
  if (i < 0) return null;
  if (i === 0) return (t) => t.bestValue;
  return (t) => {
    const v = t.best?.[o.metric];
    return finite(v) ? v : null;
  };
}

export interface FrontOverlay {
  x: Objective; y: Objective;
  /** Each experiment that has both objectives: its front along x (as the experiment page draws it). */
  fronts: { id: string; name: string; points: ParetoPoint[] }[];
  /** Experiments with several objectives that lack one of the two. */
  left: string[];
}

/**
 * The Pareto fronts of compared experiments on two shared objectives: the first pair (in the order of the first
 * multi-objective experiment's objectives) that two or more of them share, same metric and direction. Null when no two
 * compared experiments with several objectives share two objectives.
 */
export function frontOverlay(runs: { exp: WithObjectives & { id: string; name: string }; trials: TrialSummary[] }[]): FrontOverlay | null {
  const multi = runs.filter((r) => isMultiObjective(r.exp));
  const firstMulti = multi[0];
  if (!firstMulti) return null;
  const candidates = objectivesOf(firstMulti.exp);
  for (let a = 0; a < candidates.length; a++) {
    for (let b = a + 1; b < candidates.length; b++) {
      const x = candidates[a]!, y = candidates[b]!;
      const sharing = multi.filter((r) => objectivesOf(r.exp).some((o) => same(o, x)) && objectivesOf(r.exp).some((o) => same(o, y)));
      if (sharing.length < 2) continue;
      return {
        x, y,
        fronts: sharing.map(({ exp, trials }) => {
          const objectives = objectivesOf(exp);
          const view = paretoView(objectives, exp.front ?? [], trials, objectives.findIndex((o) => same(o, x)), objectives.findIndex((o) => same(o, y)));
          return { id: exp.id, name: exp.name, points: view?.front ?? [] };
        }),
        left: multi.filter((r) => !sharing.includes(r)).map((r) => r.exp.name),
      };
    }
  }
  return null;
}
