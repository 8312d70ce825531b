import { describe, expect, it } from 'vitest';
import { scheduleBody, scheduleFields, withEnabled } from './scheduleBody';
import type { Schedule } from '../api';

const schedule = {
  id: 's1', name: 'nightly', cron: '0 2 * * *', quartzCron: '0 0 2 * * ?', timeZone: 'Europe/Paris', enabled: true,
  misfirePolicy: 'runOnce', overlapPolicy: 'queue', warmStartTopK: 3, regressionMargin: 0.01,
  template: { dataset: 'mnist', searchSpace: { lr: { type: 'logUniform', low: 1e-4, high: 1e-1 } } },
  createdAt: '', updatedAt: '', nextFireTime: null, lastFiredAt: null, lastFireOutcome: null, runs: [],
} as Schedule;

describe('scheduleBody', () => {
  it('turns a schedule into its form and back without loss', () => {
    const { body, errors } = scheduleBody(scheduleFields(schedule));
    expect(errors).toEqual({});
    expect(body).toEqual(withEnabled(schedule, true));
  });
  it('starts a new schedule nightly at 02:00 UTC from a spec', () => {
    const f = scheduleFields(null, { dataset: 'mnist' });
    expect([f.cron, f.timeZone, f.enabled, JSON.parse(f.template)]).toEqual(['0 2 * * *', 'UTC', true, { dataset: 'mnist' }]);
  });
  it('names the fields the browser can already tell are wrong', () => {
    const f = { ...scheduleFields(schedule), template: '{ not json', warmStartTopK: '2.5', regressionMargin: 'x' };
    const { body, errors } = scheduleBody(f);
    expect(body).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['regressionMargin', 'template', 'warmStartTopK']);
  });
  it('pauses by sending the whole schedule with enabled false', () => {
    expect(withEnabled(schedule, false)).toMatchObject({ name: 'nightly', cron: '0 2 * * *', enabled: false, warmStartTopK: 3 });
  });
});
