// The Submit page's form, built from the published spec schema (GET /api/schema/experiment-spec.json): one field per
// schema property (selects for enums, numbers, text, JSON for free-form values), the search space as rows of
// parameters, each searched with one of the schema's shapes. Every change yields the new spec; the JSON view beside it
// is the same object, so the two stay in step both ways. API errors are marked at the field their path names.
import { h } from '../dom';
import { getAt, renameAt, setAt, splitPath, type Json, type JsonObject } from '../shape/specPath';

export interface Schema {
  type?: string | string[]; description?: string; enum?: string[]; required?: string[];
  properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; oneOf?: Schema[];
  minimum?: number; maximum?: number;
}

export interface SpecForm { element: HTMLElement; markErrors(errors: Record<string, string[]>): void }

const typeOf = (s: Schema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

export function specForm(schema: Schema, spec: JsonObject, onChange: (spec: JsonObject) => void): SpecForm {
  let current = spec;
  const change = (path: string[], value: Json | undefined) => { current = setAt(current, path, value); onChange(current); };
  const element = h('form', { id: 'spec-form', class: 'spec-form', onsubmit: (e: Event) => e.preventDefault() },
    ...objectFields(schema, [], () => current, change, (next) => { current = next; onChange(current); }));

  const markErrors = (errors: Record<string, string[]>) => {
    for (const old of element.querySelectorAll('.field-error')) old.remove();
    for (const old of element.querySelectorAll('.invalid')) old.classList.remove('invalid');
    for (const [path, messages] of Object.entries(errors)) {
      // The field the path names, else its nearest ancestor on the form (e.g. a whole parameter row).
      let parts = splitPath(path);
      let target: Element | null = null;
      while (parts.length > 0 && !(target = element.querySelector(`[data-path="${CSS.escape(parts.join('.'))}"]`))) parts = parts.slice(0, -1);
      target ??= element;
      target.classList.add('invalid');
      target.append(h('div', { class: 'field-error', 'data-field': path, role: 'alert' }, messages.join(' ')));
    }
  };
  return { element, markErrors };
}

function objectFields(schema: Schema, path: string[], spec: () => JsonObject, change: (p: string[], v: Json | undefined) => void,
  replace: (next: JsonObject) => void): HTMLElement[] {
  return Object.entries(schema.properties ?? {}).map(([key, prop]) => {
    const at = [...path, key];
    const required = schema.required?.includes(key) ?? false;
    if (prop.properties) {
      const present = getAt(spec(), at) !== undefined;
      return h('details', { class: 'group', 'data-path': at.join('.'), open: present || path.length === 0 },
        h('summary', { title: prop.description ?? '' }, key),
        ...objectFields(prop, at, spec, change, replace));
    }
    if (typeof prop.additionalProperties === 'object' && prop.additionalProperties.oneOf)
      return searchSpace(prop, at, spec, replace);
    return field(key, prop, at, required, getAt(spec(), at), change);
  });
}

function field(label: string, prop: Schema, path: string[], required: boolean, value: Json | undefined,
  change: (p: string[], v: Json | undefined) => void): HTMLElement {
  const id = `f-${path.join('-')}`;
  const type = typeOf(prop);
  let input: HTMLInputElement | HTMLSelectElement;
  if (prop.enum) {
    input = h('select', { id }, required ? null : h('option', { value: '' }, '(default)'),
      ...prop.enum.map((v) => h('option', { value: v, selected: v === value }, v)));
    input.addEventListener('change', () => change(path, input.value === '' ? undefined : input.value));
  } else if (type === 'boolean') {
    input = h('select', { id }, h('option', { value: '' }, '(default)'),
      h('option', { value: 'true', selected: value === true }, 'true'), h('option', { value: 'false', selected: value === false }, 'false'));
    input.addEventListener('change', () => change(path, input.value === '' ? undefined : input.value === 'true'));
  } else if (type === 'integer' || type === 'number') {
    input = h('input', { id, type: 'number', step: type === 'integer' ? '1' : 'any', value: typeof value === 'number' ? value : '', min: prop.minimum, max: prop.maximum });
    input.addEventListener('input', () => change(path, input.value === '' ? undefined : Number(input.value)));
  } else if (type === 'string') {
    input = h('input', { id, type: 'text', value: typeof value === 'string' ? value : '' });
    input.addEventListener('input', () => change(path, input.value === '' ? undefined : input.value));
  } else {
    // Arrays, free-form objects and any-value fields: JSON, applied once it parses.
    input = h('input', { id, type: 'text', class: 'json', value: value === undefined ? '' : JSON.stringify(value), placeholder: 'JSON' });
    input.addEventListener('input', () => {
      if (input.value.trim() === '') { input.classList.remove('bad-json'); change(path, undefined); return; }
      try { change(path, JSON.parse(input.value) as Json); input.classList.remove('bad-json'); } catch { input.classList.add('bad-json'); }
    });
  }
  return h('div', { class: 'field', 'data-path': path.join('.') },
    h('label', { for: id, title: prop.description ?? '' }, label, required ? ' *' : ''), input);
}

/** The search space: a row per parameter (name, shape, that shape's fields), in the spec's order. */
function searchSpace(prop: Schema, path: string[], spec: () => JsonObject, replace: (next: JsonObject) => void): HTMLElement {
  const variants = (prop.additionalProperties as Schema).oneOf ?? [];
  const shapes = variants.flatMap((v, i) => (v.properties?.type?.enum ?? []).map((t) => ({ type: t, variant: i })));
  const list = h('div', { class: 'params' });
  const render = () => {
    const space = (getAt(spec(), path) ?? {}) as JsonObject;
    list.replaceChildren(...Object.entries(space).map(([name, def]) => {
      const at = [...path, name];
      const chosen = typeof def === 'object' && def !== null && !Array.isArray(def) ? String(def.type ?? '') : '';
      const variant = variants[shapes.find((s) => s.type === chosen)?.variant ?? -1];
      const nameInput = h('input', { type: 'text', class: 'param-name', value: name, 'aria-label': 'parameter name' });
      nameInput.addEventListener('change', () => { replace(renameAt(spec(), path, name, nameInput.value.trim())); render(); });
      const shape = h('select', { 'aria-label': `${name} shape` }, ...shapes.map((s) => h('option', { value: s.type, selected: s.type === chosen }, s.type)));
      shape.addEventListener('change', () => { replace(setAt(spec(), at, { type: shape.value })); render(); });
      const remove = h('button', { type: 'button', class: 'link', onclick: () => { replace(setAt(spec(), at, undefined)); render(); } }, 'remove');
      const fields = Object.entries(variant?.properties ?? {}).filter(([k]) => k !== 'type')
        .map(([k, p]) => field(k, p, [...at, k], variant?.required?.includes(k) ?? false, getAt(spec(), [...at, k]),
          (p2, v) => replace(setAt(spec(), p2, v))));
      return h('div', { class: 'param', 'data-path': at.join('.') }, nameInput, shape, ...fields, remove);
    }));
  };
  render();
  const add = h('button', { type: 'button', id: 'add-param', onclick: () => {
    const space = (getAt(spec(), path) ?? {}) as JsonObject;
    let n = 1;
    while (`param${n}` in space) n++;
    replace(setAt(spec(), [...path, `param${n}`], { type: shapes[0]?.type ?? 'uniform' }));
    render();
  } }, 'Add parameter');
  return h('div', { class: 'group search-space', 'data-path': path.join('.') }, h('div', { class: 'legend', title: prop.description ?? '' }, path.at(-1) ?? ''), list, add);
}
