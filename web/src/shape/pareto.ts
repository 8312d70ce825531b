// The Pareto front view of an experiment with several objectives: two of its objectives as axes, every completed trial
// as a dot (its values at its best epoch), the front members (as the service computed them) highlighted and joined.
import type { FrontMember, Objective, TrialPoint } from '../api';

export interface ParetoPoint { x: number; y: number; number: number; trialId: string }
export interface ParetoView {
  x: Objective; y: Objective;
  /** Front members, ordered along the x axis (the line that joins them). */
  front: ParetoPoint[];
  /** Completed trials not on the front that report both metrics. */
  others: ParetoPoint[];
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The view of objectives `xi` and `yi` (indices into `objectives`); null when there are fewer than two objectives. */
export function paretoView(objectives: Objective[], front: FrontMember[], trials: TrialPoint[], xi = 0, yi = 1): ParetoView | null {
  const x = objectives[xi], y = objectives[yi];
  if (objectives.length < 2 || !x || !y || xi === yi) return null;
  const onFront = new Set(front.map((m) => m.trialId));
  const points = front.map((m) => ({ x: m.values[xi]!, y: m.values[yi]!, number: m.number, trialId: m.trialId }))
    .filter((p) => finite(p.x) && finite(p.y))
    .sort((a, b) => a.x - b.x || a.y - b.y || a.number - b.number);
  const others: ParetoPoint[] = [];
  for (const t of trials) {
    if (t.status !== 'completed' || onFront.has(t.id)) continue;
    const vx = t.best?.[x.metric], vy = t.best?.[y.metric];
    if (finite(vx) && finite(vy)) others.push({ x: vx, y: vy, number: t.number, trialId: t.id });
  }
  return { x, y, front: points, others };
}

/** The ids of the front's trials (the trials table marks them). */
export const frontIds = (front: FrontMember[] | undefined): Set<string> => new Set((front ?? []).map((m) => m.trialId));
