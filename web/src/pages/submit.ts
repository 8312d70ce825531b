import { ApiError, api } from '../api';
import { apiKey, forgetApiKey } from '../apiKey';
import { fill, h } from '../dom';
import { jsonPathOffsets, locateField } from '../shape/problem';
import type { Page } from '../main';
import type { JsonObject } from '../shape/specPath';
import { specForm, type Schema, type SpecForm } from './specForm';

export const exampleSpec = {
  name: 'mnist-lr-wd',
  trainer: 'builtin',
  dataset: 'mnist',
  params: { model: 'mlp', hidden: [128], activation: 'relu', init: 'he', epochs: 5 },
  searchSpace: {
    lr: { type: 'logUniform', low: 1e-4, high: 1e-1 },
    weightDecay: { type: 'logUniform', low: 1e-6, high: 1e-3 },
    optimizer: { type: 'categorical', values: ['sgd', 'momentum', 'adam'] },
    dropout: { type: 'uniform', low: 0.0, high: 0.5 },
  },
  objective: { metric: 'valAccuracy', direction: 'maximize' },
  strategy: { kind: 'random', seed: 42 },
  budget: { maxTrials: 12, parallelism: 2, maxFailedTrials: 3 },
  earlyStopping: { kind: 'asha', minEpochs: 1, reductionFactor: 3, patience: 3 },
};

const lineHeight = 20; // px; must match .editor line-height in style.css

export const submitPage: Page = (root) => {
  const text = h('textarea', { id: 'spec-editor', spellcheck: false, wrap: 'off', 'aria-label': 'experiment spec (JSON)' });
  text.value = sessionStorage.getItem('hpsearch.draft') ?? JSON.stringify(exampleSpec, null, 2);
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const notes = h('div', { class: 'notes', 'aria-hidden': 'true' });
  const list = h('ul', { class: 'field-errors', id: 'field-errors' });
  const status = h('div', { id: 'submit-status', role: 'status' });
  let marks = new Map<number, string[]>();

  const paint = () => {
    const lines = text.value.split('\n').length;
    fill(gutter, ...Array.from({ length: lines }, (_, i) => h('div', { class: marks.has(i + 1) ? 'err' : '', title: marks.get(i + 1)?.join('\n') }, String(i + 1))));
    gutter.style.transform = `translateY(${-text.scrollTop}px)`;
    fill(notes, ...[...marks.entries()].map(([line, msgs]) =>
      h('div', { class: 'note', 'data-line': line, style: `top:${(line - 1) * lineHeight - text.scrollTop + 8}px` }, `◀ ${msgs.join('; ')}`)));
  };
  text.addEventListener('scroll', paint);
  text.addEventListener('input', () => { sessionStorage.setItem('hpsearch.draft', text.value); paint(); });

  // The form beside the JSON, built from the published schema; each follows the other's edits.
  const formSlot = h('div', { class: 'form-slot', id: 'spec-form-slot' }, h('p', { class: 'sub' }, 'Loading the spec schema…'));
  let form: SpecForm | null = null;
  let schema: Schema | null = null;
  const buildForm = () => {
    if (!schema) return;
    let spec: unknown;
    try { spec = JSON.parse(text.value); } catch { formSlot.dataset.stale = 'true'; return; }
    if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) { formSlot.dataset.stale = 'true'; return; }
    delete formSlot.dataset.stale;
    form = specForm(schema, spec as JsonObject, (next) => {
      text.value = JSON.stringify(next, null, 2);
      sessionStorage.setItem('hpsearch.draft', text.value);
      paint();
    });
    formSlot.replaceChildren(form.element);
  };
  api.specSchema().then((s) => { schema = s as Schema; buildForm(); })
    .catch((e: unknown) => formSlot.replaceChildren(h('p', { class: 'error' }, `The form is unavailable (${String(e)}); edit the JSON.`)));
  text.addEventListener('input', buildForm);

  const showErrors = (errors: Record<string, string[]>) => {
    form?.markErrors(errors);
    marks = new Map();
    const offsets = jsonPathOffsets(text.value);
    const items: HTMLElement[] = [];
    for (const [path, msgs] of Object.entries(errors)) {
      const at = locateField(text.value, path, offsets);
      const msg = `${path}: ${msgs.join(' ')}`;
      if (at) marks.set(at.line, [...(marks.get(at.line) ?? []), msg]);
      items.push(h('li', { 'data-field': path },
        at ? h('button', { type: 'button', class: 'link', onclick: () => { text.focus(); text.setSelectionRange(at.offset, at.offset); text.scrollTop = Math.max(0, (at.line - 3) * lineHeight); paint(); } }, `line ${at.line}`) : h('span', {}, 'spec'),
        ' ', h('code', {}, path), ' — ', msgs.join(' ')));
    }
    fill(list, ...items);
    paint();
  };

  const submit = async () => {
    fill(status);
    showErrors({});
    try { JSON.parse(text.value); } catch (e) {
      fill(status, h('div', { class: 'error' }, `Not valid JSON: ${(e as Error).message}`));
      return;
    }
    const key = await apiKey();
    if (!key) return;
    try {
      const created = await api.submit(text.value, key);
      sessionStorage.removeItem('hpsearch.draft');
      location.hash = `#/experiments/${created.id}`;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) forgetApiKey();
      if (e instanceof ApiError && e.problem?.errors) showErrors(e.problem.errors);
      fill(status, h('div', { class: 'error', role: 'alert' }, e instanceof ApiError ? `${e.status}: ${e.message}` : String(e)));
    }
  };

  root.append(h('section', { class: 'card' },
    h('div', { class: 'row wrap' }, h('h1', {}, 'Submit an experiment'), h('span', { class: 'grow' }),
      h('button', { type: 'button', onclick: () => { text.value = JSON.stringify(exampleSpec, null, 2); buildForm(); showErrors({}); } }, 'Reset to example'),
      h('button', { type: 'button', class: 'primary', id: 'submit', onclick: submit }, 'Submit')),
    h('p', { class: 'sub' }, 'The form and the JSON are the same spec: edit either. Errors from the API appear at the fields they name.'),
    h('div', { class: 'submit-split' }, formSlot, h('div', { class: 'editor' }, h('div', { class: 'gutter-wrap' }, gutter), text, notes)),
    status, list));
  paint();
};
