import type { ErrorReason } from '@gatehouse/contracts';
import { createContext, type ReactNode, useContext } from 'react';
import { createStore, type StoreApi, useStore } from 'zustand';

/** Client-only UI state. Server truth (who is signed in) lives in the BFF; nothing here is persisted. */
export type UiState = {
  /** Set when a session this tab held ended under it: the page shows "sign in again" in place. */
  sessionEnded: { reason: ErrorReason } | null;
  showSessionEnded(reason: ErrorReason): void;
  clearSessionEnded(): void;
};

export type UiStore = StoreApi<UiState>;

export function createUiStore(initial: Partial<Pick<UiState, 'sessionEnded'>> = {}): UiStore {
  return createStore<UiState>()((set, get) => ({
    sessionEnded: initial.sessionEnded ?? null,
    // The first reason wins: "you signed out in another tab" is more useful than the 401 that follows.
    showSessionEnded: (reason) => {
      if (!get().sessionEnded) set({ sessionEnded: { reason } });
    },
    clearSessionEnded: () => set({ sessionEnded: null }),
  }));
}

const UiStoreContext = createContext<UiStore | null>(null);

export function UiStoreProvider({ store, children }: { store: UiStore; children: ReactNode }) {
  return <UiStoreContext.Provider value={store}>{children}</UiStoreContext.Provider>;
}

export function useUiStore<T>(selector: (state: UiState) => T): T {
  const store = useContext(UiStoreContext);
  if (!store) throw new Error('useUiStore must be used inside <UiStoreProvider>');
  return useStore(store, selector);
}
