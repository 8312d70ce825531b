// Tiny DOM helpers: build elements without a framework, never through innerHTML with data.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Replace an element's children in one step (no intermediate empty state, so no flicker). */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  const frag = document.createDocumentFragment();
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) frag.append(c instanceof Node ? c : String(c));
  el.replaceChildren(frag);
}

export function badge(status: string): HTMLSpanElement {
  return h('span', { class: `badge s-${status}`, 'data-status': status }, status);
}

export function section(title: string, id: string, ...body: (Child | Child[])[]): HTMLElement {
  return h('section', { class: 'card', id }, h('h2', {}, title), ...body);
}

export function errorBox(err: unknown): HTMLElement {
  console.error(err); // keeps the stack for the developer tools (and fails the browser tests)
  const msg = err instanceof Error ? err.message : String(err);
  return h('div', { class: 'error', role: 'alert' }, msg);
}
