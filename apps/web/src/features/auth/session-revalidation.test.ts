import type { SessionResponse } from '@gatehouse/contracts';
import { describe, expect, it, vi } from 'vitest';
import { watchSession } from './session-revalidation';
import type { BffSessionSnapshot } from './session-snapshot-store';

const t0 = Date.parse('2026-11-27T10:00:00Z');

function fakeClient(session: SessionResponse | null) {
  let snapshot: BffSessionSnapshot = { status: session ? 'signed-in' : 'signed-out', session, error: null };
  const listeners = new Set<() => void>();
  return {
    refreshSession: vi.fn(async () => snapshot),
    getSnapshot: () => snapshot,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next: BffSessionSnapshot) {
      snapshot = next;
      for (const listener of listeners) listener();
    },
  };
}

function session(idleEnds: string, absoluteEnds: string): SessionResponse {
  return {
    user: { id: 'u', name: 'U', email: '', username: 'u', tenantId: 't', roles: [] },
    expiresAt: idleEnds,
    absoluteExpiresAt: absoluteEnds,
  };
}

function fakeDocument() {
  const target = new EventTarget();
  return Object.assign(target, { visibilityState: 'visible' as DocumentVisibilityState });
}

describe('watchSession', () => {
  it.each([
    ['the idle end when it comes first', '2026-11-27T10:30:00Z', '2026-11-27T18:00:00Z', 30 * 60_000 + 2_000],
    [
      'the absolute end when it comes first',
      '2026-11-27T10:30:00Z',
      '2026-11-27T10:10:00Z',
      10 * 60_000 + 2_000,
    ],
    ['no sooner than 5 s (a fast browser clock)', '2026-11-27T09:00:00Z', '2026-11-27T18:00:00Z', 5_000],
  ])('asks again just after %s', (_, idle, absolute, delay) => {
    const client = fakeClient(session(idle, absolute));
    const setTimeout = vi.fn((_callback: () => void, _ms: number) => 1);
    watchSession(client, { now: () => t0, setTimeout, clearTimeout: vi.fn(), document: fakeDocument() });
    expect(setTimeout).toHaveBeenCalledTimes(1);
    expect(setTimeout.mock.calls[0]?.[1]).toBe(delay);
    setTimeout.mock.calls[0]?.[0]();
    expect(client.refreshSession).toHaveBeenCalledTimes(1);
  });

  it('reschedules when the session is extended and stops when it ends', () => {
    const client = fakeClient(session('2026-11-27T10:30:00Z', '2026-11-27T18:00:00Z'));
    const setTimeout = vi.fn((_callback: () => void, _ms: number) => setTimeout.mock.calls.length);
    const clearTimeout = vi.fn();
    const stop = watchSession(client, { now: () => t0, setTimeout, clearTimeout, document: fakeDocument() });
    client.set({
      status: 'signed-in',
      session: session('2026-11-27T10:45:00Z', '2026-11-27T18:00:00Z'),
      error: null,
    });
    expect(setTimeout.mock.calls[1]?.[1]).toBe(45 * 60_000 + 2_000);
    client.set({ status: 'signed-out', session: null, error: null });
    expect(clearTimeout).toHaveBeenCalledTimes(2);
    stop();
    expect(setTimeout).toHaveBeenCalledTimes(2);
  });

  it('re-checks when the tab becomes visible again, at most every 15 s', () => {
    let now = t0;
    const client = fakeClient(session('2026-11-27T10:30:00Z', '2026-11-27T18:00:00Z'));
    const doc = fakeDocument();
    const stop = watchSession(client, {
      now: () => now,
      setTimeout: () => 1,
      clearTimeout: () => {},
      document: doc,
    });
    now += 5_000;
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(client.refreshSession).not.toHaveBeenCalled();
    now += 20_000;
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(client.refreshSession).toHaveBeenCalledTimes(1);
    stop();
    now += 60_000;
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(client.refreshSession).toHaveBeenCalledTimes(1);
  });
});
