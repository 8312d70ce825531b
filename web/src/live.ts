// Live updates: server-sent events from /api/experiments/{id}/events, with polling as the fallback
// when the stream is unavailable. Updates are coalesced so a burst of epochs causes one refresh.
import { api, type ExperimentSummary, type TrialSummary } from './api';
import type { EpochEvent } from './shape/deltas';

export interface LiveHandle { stop(): void }

/**
 * Calls `refresh` at most every `minGapMs` after any event of experiment `id`, and every `pollMs`
 * while the event stream is down. `refresh` returns false once nothing more can change (finished).
 */
export function followExperiment(id: string, refresh: () => Promise<boolean>, minGapMs = 700, pollMs = 2000,
  wants: (data: { id?: string; trialId?: string }) => boolean = () => true): LiveHandle {
  let stopped = false;
  let running = false;
  let pending = false;
  let last = 0;
  let lastDuration = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let source: EventSource | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;

  const run = async () => {
    if (stopped) return;
    if (running) { pending = true; return; }
    running = true;
    last = Date.now();
    try {
      const more = await refresh();
      if (!more) { handle.stop(); return; }
    } catch { /* a failed refresh is retried on the next event or poll */ }
    finally { running = false; lastDuration = Date.now() - last; }
    if (pending) { pending = false; schedule(); }
  };
  const schedule = () => {
    if (stopped || timer) return;
    // A big experiment's refresh can take a second: never spend more than half the time refreshing.
    const wait = Math.max(0, Math.max(minGapMs, lastDuration) - (Date.now() - last));
    timer = setTimeout(() => { timer = null; void run(); }, wait);
  };
  const startPolling = () => { if (!poll && !stopped) poll = setInterval(schedule, pollMs); };
  const stopPolling = () => { if (poll) { clearInterval(poll); poll = null; } };

  if (typeof EventSource !== 'undefined') {
    source = new EventSource(api.eventsUrl(id));
    const maybe = (ev: Event) => {
      try { if (wants(JSON.parse((ev as MessageEvent<string>).data) as { id?: string; trialId?: string })) schedule(); } catch { schedule(); }
    };
    for (const name of ['trial', 'epoch']) source.addEventListener(name, maybe);
    for (const name of ['experiment', 'resync', 'message']) source.addEventListener(name, schedule);
    source.onopen = () => { stopPolling(); schedule(); };
    source.onerror = () => { startPolling(); };
  }
  startPolling(); // until the stream says it is open
  const handle: LiveHandle = {
    stop() {
      stopped = true;
      stopPolling();
      if (timer) clearTimeout(timer);
      source?.close();
    },
  };
  return handle;
}

export interface Deltas {
  /** A full read of what the page shows; false once nothing more can change (the experiment finished). */
  reload(): Promise<boolean>;
  trial(t: TrialSummary): void;
  epoch(e: EpochEvent): void;
  experiment(s: ExperimentSummary): void;
  /** Called (at most every `minGapMs`) after deltas were applied: redraw from the page's data. */
  render(): void;
}

/**
 * Keeps a page's data of experiment `id` current from the stream's deltas: one full `reload` when the stream opens
 * (and again after `resync`, a reconnect, or while the stream is down, every `pollMs`), then every `trial`, `epoch`
 * and `experiment` event applied in place, with one `render` per burst. Deltas that arrive during a reload are
 * applied after it, so nothing committed after the load is lost.
 */
export function watchExperiment(id: string, d: Deltas, minGapMs = 1000, pollMs = 5000): LiveHandle {
  let stopped = false;
  let loading = false;
  let reloadAgain = false;
  let buffered: (() => void)[] = [];
  let renderTimer: ReturnType<typeof setTimeout> | null = null;
  let lastRender = 0;
  let source: EventSource | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;

  const render = () => {
    if (stopped || renderTimer) return;
    const wait = Math.max(0, minGapMs - (Date.now() - lastRender));
    renderTimer = setTimeout(() => { renderTimer = null; lastRender = Date.now(); d.render(); }, wait);
  };
  const reload = async () => {
    if (stopped) return;
    if (loading) { reloadAgain = true; return; }
    loading = true;
    buffered = [];
    try {
      const more = await d.reload();
      for (const apply of buffered) apply();
      if (buffered.length) render();
      if (!more) { handle.stop(); return; }
    } catch { /* retried on the next resync, reconnect or poll */ }
    finally { loading = false; buffered = []; }
    if (reloadAgain) { reloadAgain = false; void reload(); }
  };
  const delta = <T>(apply: (x: T) => void) => (ev: Event) => {
    const data = JSON.parse((ev as MessageEvent<string>).data) as T;
    if (loading) buffered.push(() => apply(data));
    else { apply(data); render(); }
  };
  const startPolling = () => { if (!poll && !stopped) poll = setInterval(() => { void reload(); }, pollMs); };
  const stopPolling = () => { if (poll) { clearInterval(poll); poll = null; } };

  let opened = false;
  // The first read waits for the stream to open (a moment), so no change falls between the two; not for long.
  const fallback = setTimeout(() => { if (!opened) { void reload(); startPolling(); } }, 1500);
  if (typeof EventSource !== 'undefined') {
    source = new EventSource(api.eventsUrl(id));
    source.addEventListener('trial', delta(d.trial));
    source.addEventListener('epoch', delta(d.epoch));
    source.addEventListener('experiment', delta(d.experiment));
    source.addEventListener('resync', () => { void reload(); });
    // Opened, or reopened after an outage: what happened in between is unknown, so read it all once.
    source.onopen = () => { opened = true; clearTimeout(fallback); stopPolling(); void reload(); };
    source.onerror = () => { startPolling(); };
  } else { clearTimeout(fallback); void reload(); startPolling(); }
  const handle: LiveHandle = {
    stop() {
      stopped = true;
      stopPolling();
      clearTimeout(fallback);
      if (renderTimer) clearTimeout(renderTimer);
      source?.close();
    },
  };
  return handle;
}

/** Plain polling for pages without an event stream (experiments list, workers). */
export function pollEvery(ms: number, refresh: () => Promise<unknown>): LiveHandle {
  let busy = false;
  const t = setInterval(async () => {
    if (busy || document.hidden) return;
    busy = true;
    try { await refresh(); } catch { /* shown by the page on its next successful refresh */ } finally { busy = false; }
  }, ms);
  return { stop: () => clearInterval(t) };
}
