// The API key for writes: asked once, kept in this browser session (sessionStorage) only.
import { h } from './dom';

const storageKey = 'hpsearch.apiKey';

export function forgetApiKey(): void { sessionStorage.removeItem(storageKey); }

/** The session's key, asking for it in a dialog the first time; null when the user cancels. */
export function apiKey(): Promise<string | null> {
  const saved = sessionStorage.getItem(storageKey);
  if (saved) return Promise.resolve(saved);
  return new Promise((resolve) => {
    const input = h('input', { type: 'password', id: 'api-key', name: 'apiKey', autocomplete: 'off', required: true, placeholder: 'X-Api-Key' });
    const dialog = h('dialog', { class: 'key-dialog' },
      h('form', { method: 'dialog' },
        h('h3', {}, 'API key'),
        h('p', {}, 'Writes need the API key. It is kept for this browser session only.'),
        input,
        h('div', { class: 'row' },
          h('button', { value: 'cancel', type: 'submit', formnovalidate: true }, 'Cancel'),
          h('button', { value: 'ok', type: 'submit', class: 'primary', id: 'api-key-ok' }, 'Use key'))));
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok' && input.value.trim() !== '';
      if (ok) sessionStorage.setItem(storageKey, input.value.trim());
      dialog.remove();
      resolve(ok ? input.value.trim() : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
