// Hash router: #/ (experiments), #/experiments/{id}, #/compare?ids=…, #/trials/{id}, #/workers, #/submit, #/schedules, #/schedules/{id}.
import './style.css';
import { experimentsPage } from './pages/experiments';
import { experimentPage } from './pages/experiment';
import { comparePage } from './pages/compare';
import { trialPage } from './pages/trial';
import { workersPage } from './pages/workers';
import { submitPage } from './pages/submit';
import { schedulePage, schedulesPage } from './pages/schedules';
import { disposeCharts } from './charts/setup';

export type Cleanup = () => void;
export type Page = (root: HTMLElement, params: URLSearchParams, id?: string) => Cleanup | void;

const routes: [RegExp, Page, string][] = [
  [/^#?\/?$/, experimentsPage, 'experiments'],
  [/^#\/experiments\/?$/, experimentsPage, 'experiments'],
  [/^#\/experiments\/([\w-]+)$/, experimentPage, 'experiments'],
  [/^#\/compare$/, comparePage, 'experiments'],
  [/^#\/trials\/([\w-]+)$/, trialPage, 'experiments'],
  [/^#\/workers$/, workersPage, 'workers'],
  [/^#\/submit$/, submitPage, 'submit'],
  [/^#\/schedules$/, schedulesPage, 'schedules'],
  [/^#\/schedules\/([\w-]+)$/, schedulePage, 'schedules'],
];

let cleanup: Cleanup | void;

function route(): void {
  const root = document.getElementById('app')!;
  const [path, query = ''] = location.hash.split('?');
  if (cleanup) cleanup();
  disposeCharts(root);
  root.replaceChildren();
  for (const [re, page, nav] of routes) {
    const m = re.exec(path ?? '');
    if (!m) continue;
    document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active', a.getAttribute('data-nav') === nav));
    cleanup = page(root, new URLSearchParams(query), m[1]);
    return;
  }
  root.textContent = 'Page not found.';
}

window.addEventListener('hashchange', route);
route();
