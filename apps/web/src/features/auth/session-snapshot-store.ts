import type { AccountInfo } from '@azure/msal-browser';
import type { SessionResponse } from '@gatehouse/contracts';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError } from '../../lib/api-client';

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out' | 'unavailable' | 'signing-out';

/** What the SPA knows about its BFF session. Replaced (never mutated) on every change. */
export type BffSessionSnapshot = {
  readonly status: SessionStatus;
  readonly session: SessionResponse | null;
  /** Why the BFF could not be asked (status `unavailable`: network down, BFF failing). */
  readonly error: ApiError | null;
};

/** This tab's copy of its BFF session: the snapshot React reads and the msal account built from it. */
export type SessionSnapshotState = {
  readonly snapshot: BffSessionSnapshot;
  /** msal's account for the session; null whenever the snapshot is not `signed-in`. */
  readonly account: AccountInfo | null;
  /** `setActiveAccount(null)` was called: msal sees no active account until the user changes. */
  readonly activeCleared: boolean;
  /** The BFF answered with a session; a different user than before gets an active account again. */
  signedIn(session: SessionResponse, account: AccountInfo): void;
  /** This tab holds no session any more (the snapshot is replaced even when the status is the same). */
  forget(status: 'signed-out' | 'signing-out'): void;
  /** The BFF could not be asked, and this tab holds no session to keep. */
  unavailable(error: ApiError): void;
  setActiveCleared(cleared: boolean): void;
};

export type SessionSnapshotStore = StoreApi<SessionSnapshotState>;

/**
 * Client state only, in memory (never persisted): the truth is the BFF's, asked again on every change.
 * The snapshot object changes exactly when the session facts do, which `useSyncExternalStore` needs.
 */
export function createSessionSnapshotStore(): SessionSnapshotStore {
  return createStore<SessionSnapshotState>()((set, get) => ({
    snapshot: { status: 'unknown', session: null, error: null },
    account: null,
    activeCleared: false,
    signedIn: (session, account) => {
      const isNewUser = get().account?.homeAccountId !== account.homeAccountId;
      set({
        snapshot: { status: 'signed-in', session, error: null },
        account,
        activeCleared: isNewUser ? false : get().activeCleared,
      });
    },
    forget: (status) =>
      set({ snapshot: { status, session: null, error: null }, account: null, activeCleared: false }),
    unavailable: (error) =>
      set({ snapshot: { status: 'unavailable', session: null, error }, account: null, activeCleared: false }),
    setActiveCleared: (activeCleared) => set({ activeCleared }),
  }));
}
