import { describe, expect, it } from 'vitest';
import type { Objective } from '../api';
import { completedValues } from './analysis';
import { trial } from './fixtures';
import { comparedObjectives, frontOverlay, frontRows, frontSummary, isMultiObjective, objectiveValue, objectivesOf } from './front';
import { history } from './history';

const acc: Objective = { metric: 'valAccuracy', direction: 'maximize' };
const params: Objective = { metric: 'parameters', direction: 'minimize' };
const secs: Objective = { metric: 'seconds', direction: 'minimize' };

const front = [
  { trialId: 'a', number: 0, values: [0.8, 100] },
  { trialId: 'c', number: 2, values: [0.93, 900] },
  { trialId: 'b', number: 1, values: [0.9, 500] },
];
const twoObjectives = { objective: acc, objectives: [acc, params], front };

describe('frontSummary', () => {
  it('counts the front and gives each objective its best and worst value on it, by direction', () => {
    expect(frontSummary(twoObjectives)).toEqual({
      size: 3,
      objectives: [
        { ...acc, best: 0.93, worst: 0.8 },
        { ...params, best: 100, worst: 900 },
      ],
    });
  });

  it('is an empty front with no values before any trial completed', () => {
    expect(frontSummary({ ...twoObjectives, front: [] })).toEqual({
      size: 0, objectives: [{ ...acc, best: null, worst: null }, { ...params, best: null, worst: null }],
    });
  });

  it('is null for a single objective, whether or not the summary lists it in objectives', () => {
    expect(frontSummary({ objective: acc, objectives: [acc], front: [] })).toBeNull();
    expect(frontSummary({ objective: acc })).toBeNull();
    expect(isMultiObjective({ objective: acc })).toBe(false);
    expect(isMultiObjective(twoObjectives)).toBe(true);
    expect(objectivesOf({ objective: acc, objectives: [] })).toEqual([acc]);
  });
});

describe('frontRows', () => {
  it('puts the member best on the first objective first', () => {
    expect(frontRows([acc, params], front).map((m) => m.number)).toEqual([2, 1, 0]);
    expect(frontRows([params, acc], front.map((m) => ({ ...m, values: [m.values[1]!, m.values[0]!] }))).map((m) => m.number)).toEqual([0, 1, 2]);
  });

  it('breaks ties by trial number and leaves the stored front untouched', () => {
    const tied = [{ trialId: 'y', number: 5, values: [0.9, 1] }, { trialId: 'x', number: 3, values: [0.9, 2] }];
    expect(frontRows([acc, params], tied).map((m) => m.number)).toEqual([3, 5]);
    expect(tied.map((m) => m.number)).toEqual([5, 3]);
  });
});

describe('comparedObjectives and objectiveValue', () => {
  it('lists every objective once, in the order first met', () => {
    const single = { objective: acc };
    const other = { objective: secs, objectives: [secs, acc] };
    expect(comparedObjectives([single, twoObjectives, other])).toEqual([acc, params, secs]);
  });

  it('reads the first objective from bestValue and the others from the best epoch, null without the objective', () => {
    const t = trial({ number: 0, bestValue: 0.9, best: { valAccuracy: 0.9, parameters: 500 } });
    expect(objectiveValue(twoObjectives, acc)!(t)).toBe(0.9);
    expect(objectiveValue(twoObjectives, params)!(t)).toBe(500);
    expect(objectiveValue(twoObjectives, secs)).toBeNull();
    expect(objectiveValue(twoObjectives, { metric: 'parameters', direction: 'maximize' })).toBeNull();
    expect(objectiveValue(twoObjectives, params)!(trial({ number: 1, best: null }))).toBeNull();
  });

  it('feeds the history and the distribution of a second objective', () => {
    const trials = [
      trial({ number: 0, epochCount: 2, bestValue: 0.8, best: { parameters: 300 } }),
      trial({ number: 1, epochCount: 3, bestValue: 0.9, best: { parameters: 100 } }),
      trial({ number: 2, epochCount: 1, status: 'pruned', bestValue: 0.5, best: { parameters: 50 } }),
      trial({ number: 3, epochCount: 2, bestValue: 0.7, best: { parameters: 200 } }),
    ];
    const read = objectiveValue(twoObjectives, params)!;
    const h = history(trials, 'minimize', 'epochs', read);
    expect(h.best).toEqual([[2, 300], [5, 100], [6, 100], [8, 100]]);
    expect(h.points.map((p) => p.y)).toEqual([300, 100, 50, 200]);
    expect(completedValues(trials, read)).toEqual([300, 100, 200]);
    // Without a reader both stay on bestValue, as before.
    expect(history(trials, 'maximize', 'number').best.at(-1)).toEqual([3, 0.9]);
    expect(completedValues(trials)).toEqual([0.8, 0.9, 0.7]);
  });
});

describe('frontOverlay', () => {
  const trials = [trial({ number: 0, id: 'a' }), trial({ number: 1, id: 'b' }), trial({ number: 2, id: 'c' })];
  const run = (id: string, objectives: Objective[], f = front) => ({ exp: { id, name: id, objective: objectives[0]!, objectives, front: f }, trials });

  it('overlays the fronts of the experiments that share two objectives, each along x', () => {
    const swapped = run('B', [params, acc], front.map((m) => ({ ...m, values: [m.values[1]!, m.values[0]!] })));
    const o = frontOverlay([run('A', [acc, params]), swapped, run('C', [acc, secs]), { exp: { id: 'S', name: 'S', objective: acc }, trials }])!;
    expect([o.x, o.y]).toEqual([acc, params]);
    expect(o.fronts.map((f) => f.name)).toEqual(['A', 'B']);
    // Both read valAccuracy on x and parameters on y, whatever their own order of objectives.
    expect(o.fronts[0]!.points.map((p) => [p.x, p.y])).toEqual([[0.8, 100], [0.9, 500], [0.93, 900]]);
    expect(o.fronts[1]!.points).toEqual(o.fronts[0]!.points);
    expect(o.left).toEqual(['C']);
  });

  it('takes a later pair when the first is not shared', () => {
    const o = frontOverlay([run('A', [acc, params, secs]), run('B', [acc, secs])])!;
    expect([o.x.metric, o.y.metric]).toEqual(['valAccuracy', 'seconds']);
  });

  it('is null when fewer than two experiments share two objectives or directions differ', () => {
    expect(frontOverlay([run('A', [acc, params]), { exp: { id: 'S', name: 'S', objective: acc }, trials }])).toBeNull();
    expect(frontOverlay([run('A', [acc, params]), run('B', [acc, { metric: 'parameters', direction: 'maximize' }])])).toBeNull();
    expect(frontOverlay([])).toBeNull();
  });
});
