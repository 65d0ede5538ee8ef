import type { BffClientApplication } from './bff-client-application';

export type SessionWatchDeps = {
  document?: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  now?: () => number;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
};

export type SessionWatchOptions = {
  /** Ask a little after the announced end, so the BFF has certainly ended it. */
  graceMs?: number;
  /** Coming back to the tab re-checks at most this often. */
  minIntervalMs?: number;
};

/** setTimeout's ceiling (2^31-1 ms, ~24.8 days); longer delays would fire at once. */
const maxDelayMs = 2_147_483_647;
const minDelayMs = 5_000;

/**
 * Keeps the tab's idea of the session honest without polling: the BFF says when the session ends
 * (`expiresAt` idle, `absoluteExpiresAt` hard), so the tab asks again just after the earlier one, and
 * when it becomes visible again (timers sleep with the laptop). A session that has ended then shows
 * "your session has ended" in place, before the user clicks into an error.
 */
export function watchSession(
  client: Pick<BffClientApplication, 'getSnapshot' | 'subscribe' | 'refreshSession'>,
  deps: SessionWatchDeps = {},
  options: SessionWatchOptions = {},
): () => void {
  const doc = deps.document ?? document;
  const now = deps.now ?? Date.now;
  const schedule = deps.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
  const cancel = deps.clearTimeout ?? ((handle) => globalThis.clearTimeout(handle as number));
  const graceMs = options.graceMs ?? 2_000;
  const minIntervalMs = options.minIntervalMs ?? 15_000;

  let timer: unknown = null;
  let scheduledFor: number | null = null;
  let lastCheck = now();

  const check = () => {
    lastCheck = now();
    void client.refreshSession();
  };

  const reschedule = () => {
    const { status, session } = client.getSnapshot();
    const endsAt =
      status === 'signed-in' && session
        ? Math.min(Date.parse(session.expiresAt), Date.parse(session.absoluteExpiresAt))
        : Number.NaN;
    const at = Number.isFinite(endsAt) ? endsAt + graceMs : null;
    if (at === scheduledFor) return;
    if (timer !== null) cancel(timer);
    timer = null;
    scheduledFor = at;
    if (at === null) return;
    timer = schedule(
      () => {
        timer = null;
        scheduledFor = null;
        check();
      },
      // The floor keeps a browser clock that runs ahead of the BFF's from turning this into a busy loop.
      Math.min(Math.max(at - now(), minDelayMs), maxDelayMs),
    );
  };

  const onVisibility = () => {
    if (doc.visibilityState !== 'visible') return;
    if (client.getSnapshot().status !== 'signed-in') return;
    if (now() - lastCheck < minIntervalMs) return;
    check();
  };

  const unsubscribe = client.subscribe(reschedule);
  doc.addEventListener('visibilitychange', onVisibility);
  reschedule();
  return () => {
    unsubscribe();
    doc.removeEventListener('visibilitychange', onVisibility);
    if (timer !== null) cancel(timer);
  };
}
