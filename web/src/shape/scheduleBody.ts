// The schedule form's values as the body POST/PUT /api/schedules takes; what the browser can tell before sending (the
// template is not JSON, a number is not a number) is reported at the field, like the API's own errors.
import type { Schedule, ScheduleBody } from '../api';

export interface ScheduleFields {
  name: string; cron: string; timeZone: string; template: string; enabled: boolean;
  misfirePolicy: string; overlapPolicy: string; warmStartTopK: string; regressionMargin: string;
}

/** The form's starting values: a schedule's own (to edit it), or a new nightly one from a spec (e.g. an experiment's). */
export function scheduleFields(s?: Schedule | null, template?: unknown): ScheduleFields {
  return {
    name: s?.name ?? '', cron: s?.cron ?? '0 2 * * *', timeZone: s?.timeZone ?? 'UTC',
    template: JSON.stringify(s?.template ?? template ?? {}, null, 2), enabled: s?.enabled ?? true,
    misfirePolicy: s?.misfirePolicy ?? 'skip', overlapPolicy: s?.overlapPolicy ?? 'skip',
    warmStartTopK: String(s?.warmStartTopK ?? 0), regressionMargin: String(s?.regressionMargin ?? 0),
  };
}

/** The body, or the errors by field (the API's field names) when the browser can already tell. */
export function scheduleBody(f: ScheduleFields): { body: ScheduleBody | null; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  let template: unknown = null;
  try { template = JSON.parse(f.template); } catch (e) { errors.template = [`is not JSON: ${(e as Error).message}`]; }
  const int = (name: string, text: string) => {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isInteger(n)) errors[name] = ['must be a whole number.'];
    return n;
  };
  const num = (name: string, text: string) => {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(n)) errors[name] = ['must be a number.'];
    return n;
  };
  const warmStartTopK = int('warmStartTopK', f.warmStartTopK);
  const regressionMargin = num('regressionMargin', f.regressionMargin);
  if (Object.keys(errors).length) return { body: null, errors };
  return {
    body: {
      name: f.name.trim(), cron: f.cron.trim(), timeZone: f.timeZone.trim() || 'UTC', template, enabled: f.enabled,
      misfirePolicy: f.misfirePolicy as ScheduleBody['misfirePolicy'], overlapPolicy: f.overlapPolicy as ScheduleBody['overlapPolicy'],
      warmStartTopK, regressionMargin,
    },
    errors,
  };
}

/** The same schedule with only `enabled` changed: PUT replaces the whole schedule, so pause/resume send it all. */
export function withEnabled(s: Schedule, enabled: boolean): ScheduleBody {
  return {
    name: s.name, cron: s.cron, timeZone: s.timeZone, template: s.template, enabled,
    misfirePolicy: s.misfirePolicy, overlapPolicy: s.overlapPolicy, warmStartTopK: s.warmStartTopK, regressionMargin: s.regressionMargin,
  };
}
