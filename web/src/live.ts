// Live updates: server-sent events from /api/experiments/{id}/events, with polling as the fallback
// when the stream is unavailable. Updates are coalesced so a burst of epochs causes one refresh.
import { api } from './api';

export interface LiveHandle { stop(): void }

/**
 * Calls `refresh` at most every `minGapMs` after any event of experiment `id`, and every `pollMs`
 * while the event stream is down. `refresh` returns false once nothing more can change (finished).
 */
export function followExperiment(id: string, refresh: () => Promise<boolean>, minGapMs = 700, pollMs = 2000): LiveHandle {
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
    for (const name of ['experiment', 'trial', 'epoch', 'message']) source.addEventListener(name, schedule);
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
