// Typed client for the public REST API (docs/rest-api.md). The dashboard reads nothing else.
import { apiKey, forgetApiKey } from './apiKey';

export type ExperimentStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type TrialStatus = 'queued' | 'running' | 'completed' | 'pruned' | 'diverged' | 'failed' | 'cancelled';
export const trialStatuses: TrialStatus[] = ['queued', 'running', 'completed', 'pruned', 'diverged', 'failed', 'cancelled'];
export const experimentStatuses: ExperimentStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

export interface Objective { metric: string; direction: 'maximize' | 'minimize' }
/** A trial on the Pareto front; `values` in the order of the experiment's `objectives`. */
export interface FrontMember { trialId: string; number: number; values: number[] }

export interface ExperimentSummary {
  id: string; name: string; status: ExperimentStatus;
  strategy: string; trainer: string; dataset: string; pool?: string | null;
  objective: Objective;
  /** Every objective (the first is `objective`); with several, `front` is the result. */
  objectives?: Objective[];
  front?: FrontMember[];
  createdAt: string; startedAt?: string | null; finishedAt?: string | null;
  maxTrials: number; parallelism: number;
  trialCounts: Partial<Record<TrialStatus, number>>;
  bestValue: number | null; bestTrialId: string | null; bestTrialNumber: number | null;
  epochsTrained?: number; epochsBudget?: number; epochsSaved?: number;
  currentStage: number | string | null; scheduleId: string | null; failureReason: string | null;
  regression?: boolean | null; previousBestValue?: number | null; warmStartTrials?: number;
  tags?: string[]; note?: string | null;
}

/** What the experiments list searches and sorts by (GET /api/experiments). */
export interface ExperimentQuery {
  status?: string | null; q?: string | null; tags?: string[]; dataset?: string | null; trainer?: string | null;
  sort?: string | null; order?: 'asc' | 'desc' | null;
}

/** The fields the list can sort by, as the API names them. */
export const experimentSortFields = ['createdAt', 'name', 'status', 'dataset', 'trainer', 'bestValue', 'finishedAt'] as const;

export interface Stage {
  number: number; name: string; status: string;
  summary?: string | null; diagnosis?: string | null;
  values?: Record<string, unknown> | null;
}

export interface ExperimentDetail extends ExperimentSummary {
  spec: Spec;
  stages: Stage[];
  bestTrial: TrialSummary | null;
}

export interface ParamSpec { type: string; low?: number; high?: number; log?: boolean; values?: unknown[]; value?: unknown; step?: number }
export interface Spec {
  name?: string;
  searchSpace?: Record<string, ParamSpec | unknown>;
  objective?: Objective;
  [key: string]: unknown;
}

export type Metrics = Record<string, number | null | undefined>;

export interface StopReason {
  rule: string; epoch?: number | null; rung?: number | null; value?: number | null;
  threshold?: number | null; message?: string | null; pruned?: boolean;
}

export interface TrialSummary {
  id: string; experimentId: string; number: number; status: TrialStatus; stage: number | string | null;
  params: Record<string, unknown>;
  attempt: number; workerDeaths: number; worker: string | null;
  createdAt: string; startedAt: string | null; finishedAt: string | null;
  epochCount: number; maxEpochs: number;
  bestValue: number | null; bestEpoch: number | null;
  best: Metrics | null; last: Metrics | null;
  stopReason: StopReason | null; error: string | null;
  summary?: Record<string, unknown> | null;
  testAccuracy: number | null; testLoss: number | null;
}

/** What the experiment page's charts read of a trial: every TrialSummary is one; the compact columns
 * (GET /api/experiments/{id}/trials/columns) give only these fields (`best`: the objectives' values, several objectives only;
 * `stopReason`: its rule only). */
export type TrialPoint = Pick<TrialSummary, 'id' | 'number' | 'status' | 'stage' | 'params' | 'attempt' | 'worker' | 'startedAt'
  | 'finishedAt' | 'epochCount' | 'maxEpochs' | 'bestValue' | 'bestEpoch' | 'best' | 'stopReason'>;

/** GET /api/experiments/{id}/trials/columns: index i of every array is one trial, in number order; times in Unix ms. */
export interface TrialColumns {
  count: number; next: number | null;
  id: string[]; number: number[]; status: TrialStatus[]; stage: (string | null)[]; attempt: number[];
  bestValue: (number | null)[]; bestEpoch: (number | null)[]; epochCount: number[]; maxEpochs: number[]; worker: (string | null)[];
  startedAt: (number | null)[]; finishedAt: (number | null)[]; stopRule: (string | null)[];
  params: Record<string, unknown[]>; objectives: Record<string, (number | null)[]>;
}

/** Sort keys the trials page sorts in the database. */
export type TrialSort = 'number' | 'value' | 'status' | 'duration';
export interface TrialPageQuery { page: number; pageSize: number; sort: TrialSort; order?: 'asc' | 'desc'; status?: string }

export interface LayerStats { layer: string; mean?: number; std?: number; deadFraction?: number; saturatedFraction?: number; [k: string]: unknown }
export interface EpochMetrics { epoch: number; layers?: LayerStats[] | null; [metric: string]: unknown }
export interface TrialDetail extends TrialSummary { metrics: EpochMetrics[] }

export interface Artifact {
  trialId: string; trialNumber: number; name: string; kind: 'checkpoint' | 'file'; sizeBytes: number; sha256: string;
  createdAt: string; expiresAt: string | null; url: string;
}

export interface Page<T> { items: T[]; page: number; pageSize: number; total: number }

export interface CurveTrial { id: string; number: number; status: TrialStatus; epochs: number[]; [metric: string]: unknown }
export interface Curves { metrics: string[]; trials: CurveTrial[] }

export interface Importance { method: string; trials: number; parameters: { name: string; importance: number }[] }

export interface WorkerSlot { pool: string; index: number; trialId: string | null; experimentId: string | null; trialNumber: number | null; since: string | null }
export interface WorkerNode {
  node: string; pools: { name: string; slots: number }[];
  startedAt: string | null; lastHeartbeat: string | null; alive: boolean; slots: WorkerSlot[];
}

export interface ScheduleRun {
  id: string; name: string; status: ExperimentStatus; createdAt: string; finishedAt: string | null;
  bestValue: number | null; previousBestValue: number | null; regression: boolean | null; warmStartTrials: number;
}
export interface Schedule {
  id: string; name: string; cron: string; quartzCron: string; timeZone: string; enabled: boolean;
  misfirePolicy: 'skip' | 'runOnce'; overlapPolicy: 'skip' | 'queue'; warmStartTopK: number; regressionMargin: number;
  template: Spec; createdAt: string; updatedAt: string;
  nextFireTime: string | null; lastFiredAt: string | null; lastFireOutcome: string | null;
  runs: ScheduleRun[];
}

/** What POST and PUT /api/schedules take (PUT replaces the whole schedule). */
export interface ScheduleBody {
  name: string; cron: string; timeZone: string; template: unknown; enabled: boolean;
  misfirePolicy: 'skip' | 'runOnce'; overlapPolicy: 'skip' | 'queue'; warmStartTopK: number; regressionMargin: number;
}

export interface ProblemDetails { title?: string; status?: number; detail?: string; errors?: Record<string, string[]> }

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: ProblemDetails | null) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

declare global { interface Window { __hpsPrefetch?: Record<string, Promise<Response>> } }

/** A response index.html started fetching before the bundle loaded (first use only), else null. */
function prefetched(url: string): Promise<Response> | null {
  const pending = window.__hpsPrefetch?.[url];
  if (!pending) return null;
  delete window.__hpsPrefetch![url];
  return pending;
}

let session: Promise<boolean> | null = null;

/** Asks for the key once (kept for this browser session) and trades it for the read-session cookie. */
function openReadSession(): Promise<boolean> {
  session ??= (async () => {
    const key = await apiKey();
    if (!key) return false;
    const res = await fetch('/api/session', { method: 'POST', headers: { 'X-Api-Key': key } });
    if (!res.ok) forgetApiKey();
    return res.ok;
  })().finally(() => { session = null; });
  return session;
}

async function request<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const early = method === 'GET' && typeof window !== 'undefined' ? prefetched(url) : null;
  let res = await (early ?? fetch(url, init));
  // Reads need a key on this deployment: open a read session (a cookie, which EventSource and export links carry too).
  if (res.status === 401 && method === 'GET' && typeof window !== 'undefined' && await openReadSession()) res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) {
    let problem: ProblemDetails | null = null;
    try { problem = text ? (JSON.parse(text) as ProblemDetails) : null; } catch { problem = { title: text } }
    throw new ApiError(res.status, problem);
  }
  if (text && !(res.headers.get('content-type') ?? '').includes('json')) {
    // The API serves the dashboard as the fallback for unknown paths: an endpoint it lacks answers with HTML.
    throw new ApiError(404, { title: 'not served by this API version', status: 404 });
  }
  return (text ? JSON.parse(text) : null) as T;
}

const q = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
};

export const api = {
  experiments: (query: ExperimentQuery, page: number, pageSize = 20) => {
    const tags = (query.tags ?? []).map((t) => `&tag=${encodeURIComponent(t)}`).join('');
    const base = q({ status: query.status, q: query.q, dataset: query.dataset, trainer: query.trainer, sort: query.sort, order: query.order, page, pageSize });
    return request<Page<ExperimentSummary>>('GET', `/api/experiments${base}${tags}`);
  },
  editExperiment: (id: string, body: { tags?: string[]; note?: string | null }, key: string) =>
    request<ExperimentDetail>('PATCH', `/api/experiments/${id}`, body, { 'X-Api-Key': key }),
  resume: (id: string, key: string) =>
    request<ExperimentDetail>('POST', `/api/experiments/${id}/resume`, undefined, { 'X-Api-Key': key }),
  retry: (id: string, key: string) =>
    request<ExperimentDetail>('POST', `/api/experiments/${id}/retry`, undefined, { 'X-Api-Key': key }),
  extend: (id: string, maxTrials: number, key: string) =>
    request<ExperimentDetail>('POST', `/api/experiments/${id}/extend`, { maxTrials }, { 'X-Api-Key': key }),
  experiment: (id: string) => request<ExperimentDetail>('GET', `/api/experiments/${id}`),
  trials: (id: string, pageSize = 5000, page = 1) => api.trialsPage(id, { page, pageSize, sort: 'number' }),
  /** One page of trials sorted (and filtered by status) in the database. */
  trialsPage: (id: string, p: TrialPageQuery) =>
    request<Page<TrialSummary>>('GET', `/api/experiments/${id}/trials${q({ page: p.page, pageSize: p.pageSize, sort: p.sort, order: p.order, status: p.status })}`),
  /** Trials numbered above `after` as columns (a chunk of at most 20,000; `next` names the following one). */
  trialColumns: (id: string, after?: number) =>
    request<TrialColumns>('GET', `/api/experiments/${id}/trials/columns${q({ after })}`),
  /** Curves of the `top` trials by objective (best first), or of the trials named in `ids`; at most `maxPoints` epochs each. */
  curves: (id: string, top?: number, ids?: string[], maxPoints?: number) =>
    request<Curves>('GET', `/api/experiments/${id}/curves${q({ top, ids: ids?.join(','), maxPoints })}`),
  importance: (id: string) => request<Importance>('GET', `/api/experiments/${id}/importance`),
  trial: (id: string) => request<TrialDetail>('GET', `/api/trials/${id}`),
  experimentArtifacts: (id: string) => request<Artifact[]>('GET', `/api/experiments/${id}/artifacts`),
  trialArtifacts: (id: string) => request<Artifact[]>('GET', `/api/trials/${id}/artifacts`),
  workers: () => request<WorkerNode[]>('GET', '/api/workers'),
  schedules: () => request<Schedule[]>('GET', '/api/schedules'),
  schedule: (id: string) => request<Schedule>('GET', `/api/schedules/${id}`),
  createSchedule: (body: ScheduleBody, key: string) => request<Schedule>('POST', '/api/schedules', body, { 'X-Api-Key': key }),
  updateSchedule: (id: string, body: ScheduleBody, key: string) => request<Schedule>('PUT', `/api/schedules/${id}`, body, { 'X-Api-Key': key }),
  deleteSchedule: (id: string, key: string) => request<void>('DELETE', `/api/schedules/${id}`, undefined, { 'X-Api-Key': key }),
  cancel: (id: string, key: string) =>
    request<ExperimentDetail>('POST', `/api/experiments/${id}/cancel`, undefined, { 'X-Api-Key': key }),
  submit: (specText: string, key: string) =>
    request<ExperimentDetail>('POST', '/api/experiments', specText, { 'X-Api-Key': key }),
  specSchema: () => request<unknown>('GET', '/api/schema/experiment-spec.json'),
  exportUrl: (id: string, format: 'csv' | 'json') => `/api/experiments/${id}/export${q({ format })}`,
  eventsUrl: (id: string) => `/api/experiments/${id}/events`,
};

/** All trials of an experiment, in as few requests as the API's page limit allows. */
export async function allTrials(id: string): Promise<TrialSummary[]> {
  const first = await api.trials(id, 5000, 1);
  const items = [...first.items];
  const pages = Math.ceil(first.total / Math.max(1, first.pageSize));
  for (let p = 2; p <= pages; p++) items.push(...(await api.trials(id, first.pageSize, p)).items);
  return items;
}

/** Every trial of an experiment as the charts read them, from the compact columns (chunk by chunk). */
export async function allTrialColumns(id: string): Promise<TrialColumns[]> {
  const chunks = [await api.trialColumns(id)];
  while (chunks[chunks.length - 1]!.next !== null) chunks.push(await api.trialColumns(id, chunks[chunks.length - 1]!.next!));
  return chunks;
}
