// A schedule's settings as a form: create (POST) or edit (PUT, the whole schedule). The API's errors, and those the
// browser can tell first, are shown at the fields they name.
import { ApiError, api, type Schedule } from '../api';
import { apiKey, forgetApiKey } from '../apiKey';
import { errorBox, fill, h } from '../dom';
import { scheduleBody, scheduleFields, type ScheduleFields } from '../shape/scheduleBody';

const labels: Record<keyof ScheduleFields, string> = {
  name: 'name', cron: 'cron (5 fields, or 6 with seconds first)', timeZone: 'time zone (IANA)', template: 'template (an experiment spec)',
  enabled: 'enabled', misfirePolicy: 'after downtime', overlapPolicy: 'while the previous run runs', warmStartTopK: 'warm start: previous best k (random only)',
  regressionMargin: 'regression margin',
};

/** The form; `done` gets the stored schedule. */
export function scheduleForm(existing: Schedule | null, done: (s: Schedule) => void, startFrom?: unknown): HTMLFormElement {
  const f = scheduleFields(existing, startFrom);
  const errorsAt = new Map<string, HTMLElement>();
  const field = (name: keyof ScheduleFields, input: HTMLElement) => {
    const errs = h('div', { class: 'field-error', 'data-field': name });
    errorsAt.set(name, errs);
    return h('label', { class: 'field' }, h('span', {}, labels[name]), input, errs);
  };
  const text = (name: keyof ScheduleFields, value: string) => h('input', { id: `sf-${name}`, name, value });
  const name = text('name', f.name);
  const cron = text('cron', f.cron);
  const timeZone = text('timeZone', f.timeZone);
  const template = h('textarea', { id: 'sf-template', name: 'template', rows: 12, spellcheck: 'false' });
  template.value = f.template;
  const enabled = h('input', { id: 'sf-enabled', type: 'checkbox', checked: f.enabled });
  const misfire = h('select', { id: 'sf-misfirePolicy' },
    h('option', { value: 'skip', selected: f.misfirePolicy === 'skip' }, 'skip missed firings'),
    h('option', { value: 'runOnce', selected: f.misfirePolicy === 'runOnce' }, 'run once'));
  const overlap = h('select', { id: 'sf-overlapPolicy' },
    h('option', { value: 'skip', selected: f.overlapPolicy === 'skip' }, 'skip the firing'),
    h('option', { value: 'queue', selected: f.overlapPolicy === 'queue' }, 'queue another run'));
  const topK = h('input', { id: 'sf-warmStartTopK', type: 'number', min: 0, max: 100, value: f.warmStartTopK, class: 'narrow' });
  const margin = h('input', { id: 'sf-regressionMargin', type: 'number', min: 0, step: 'any', value: f.regressionMargin, class: 'narrow' });
  const general = h('div', { id: 'schedule-form-error' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'sf-save' }, existing ? 'Save schedule' : 'Create schedule');

  const show = (errors: Record<string, string[]>) => {
    for (const [k, el] of errorsAt) fill(el, ...(errors[k] ?? []).map((m) => h('div', {}, `${k}: ${m}`)));
    const elsewhere = Object.entries(errors).filter(([k]) => !errorsAt.has(k));
    fill(general, ...elsewhere.map(([k, ms]) => h('div', { class: 'error-text' }, `${k}: ${ms.join(' ')}`)));
  };

  const form = h('form', { class: 'schedule-form', id: 'schedule-form' },
    field('name', name), field('cron', cron), field('timeZone', timeZone), field('enabled', enabled),
    field('misfirePolicy', misfire), field('overlapPolicy', overlap), field('warmStartTopK', topK), field('regressionMargin', margin),
    field('template', template), general, h('div', { class: 'row' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const { body, errors } = scheduleBody({
      name: name.value, cron: cron.value, timeZone: timeZone.value, template: template.value, enabled: enabled.checked,
      misfirePolicy: misfire.value, overlapPolicy: overlap.value, warmStartTopK: topK.value, regressionMargin: margin.value,
    });
    show(errors);
    if (!body) return;
    const key = await apiKey();
    if (!key) return;
    save.disabled = true;
    try {
      done(existing ? await api.updateSchedule(existing.id, body, key) : await api.createSchedule(body, key));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) forgetApiKey();
      if (err instanceof ApiError && err.problem?.errors) show(err.problem.errors);
      else fill(general, errorBox(err));
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
