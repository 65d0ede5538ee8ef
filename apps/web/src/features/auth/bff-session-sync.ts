import { EventType, InteractionType, type Logger } from '@azure/msal-browser';
import type { ErrorReason } from '@gatehouse/contracts';
import type { ApiClient, ApiError } from '../../lib/api-client';
import { getSession, type SessionAnswer } from './api/get-session';
import type { AuthChannel, AuthChannelMessage } from './auth-channel';
import type { MsalEventBus } from './msal-event-bus';
import { accountFromSession } from './session-account';
import type { BffSessionSnapshot, SessionSnapshotStore } from './session-snapshot-store';

export type BffSessionSyncDeps = {
  api: ApiClient;
  store: SessionSnapshotStore;
  events: MsalEventBus;
  /** The current logger (msal lets the app replace it at any time). */
  logger: () => Logger;
  channel: AuthChannel | null;
  window: Pick<Window, 'addEventListener' | 'removeEventListener'> | null;
};

export type BffSessionSyncOptions = {
  /** `AccountInfo.environment` of the account built from the session. */
  environment: string;
  onSessionEnded?: ((reason: ErrorReason) => void) | undefined;
};

export type BffSessionSync = {
  /** Asks the BFF again (single-flight); emits LOGIN_SUCCESS / LOGOUT_SUCCESS when the answer changed. */
  refresh(): Promise<BffSessionSnapshot>;
  /** The session is gone at the BFF: forget it here too, and tell msal-react and the app. */
  end(reason: ErrorReason): void;
  /** Starts listening to the API client, the other tabs and the page; returns how to stop. */
  listen(): () => void;
  /** After the first answer: a session appearing from now on is news (msal emits nothing for a cached account). */
  markInitialized(): void;
  /** While this tab's own logout request runs, the BFF saying "no session" is expected, not news. */
  setSigningOut(signingOut: boolean): void;
};

/** Keeps this tab's session store matching the BFF's answer, and says so in msal's events. */
export function createBffSessionSync(
  deps: BffSessionSyncDeps,
  options: BffSessionSyncOptions,
): BffSessionSync {
  const { api, store, events, channel, window: win } = deps;
  let refreshing: Promise<BffSessionSnapshot> | null = null;
  let initialized = false;
  let signingOut = false;

  function end(reason: ErrorReason) {
    const { snapshot, account } = store.getState();
    if (signingOut || snapshot.status === 'signing-out') return;
    if (!account) {
      if (snapshot.status !== 'signed-out') store.getState().forget('signed-out');
      return;
    }
    store.getState().forget('signed-out');
    deps.logger().info(`Gatehouse session ended (${reason})`, '');
    events.emit(EventType.LOGOUT_SUCCESS, InteractionType.None, account);
    events.emit(EventType.ACTIVE_ACCOUNT_CHANGED);
    options.onSessionEnded?.(reason);
  }

  function apply(answer: SessionAnswer): BffSessionSnapshot {
    const state = store.getState();
    if (answer.kind === 'signed-out') {
      end(answer.reason);
      return store.getState().snapshot;
    }
    if (answer.kind === 'unavailable') {
      // A BFF that cannot answer right now does not end a session this tab already holds.
      if (!state.account) state.unavailable(answer.error);
      return store.getState().snapshot;
    }
    if (state.snapshot.status === 'signing-out') return state.snapshot;
    const next = accountFromSession(answer.session, options.environment);
    const isNewUser = state.account?.homeAccountId !== next.homeAccountId;
    state.signedIn(answer.session, next);
    if (isNewUser && initialized) {
      events.emit(EventType.LOGIN_SUCCESS, InteractionType.Silent, next);
      events.emit(EventType.ACTIVE_ACCOUNT_CHANGED);
    }
    return store.getState().snapshot;
  }

  function refresh(): Promise<BffSessionSnapshot> {
    refreshing ??= getSession(api)
      .then(apply)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  function onChannelMessage(message: AuthChannelMessage) {
    // Another tab signed out: this tab's session is gone too, say so at once, then confirm with the BFF.
    if (message.type === 'signed-out') end('signed_out');
    void refresh();
  }

  function onApiError(error: ApiError) {
    if (error.code === 'login_required') end(error.reason ?? 'no_session');
    else if (error.code === 'role_required') end(error.reason ?? 'role_removed');
    // Conditional Access wants a step-up: only a sign-in (which carries the BFF's stored challenge)
    // lets any call go on, so offer it in place, on this route, as for an ended session.
    else if (error.code === 'interaction_required' && error.reason === 'claims_challenge') {
      end('claims_challenge');
    }
  }

  function onPageShow(event: PageTransitionEvent) {
    // Back from the BFF's sign-in page via the back/forward cache: msal-react still shows the
    // redirect as in progress, and the session may have changed meanwhile.
    if (!event.persisted) return;
    events.emit(EventType.RESTORE_FROM_BFCACHE, InteractionType.Redirect);
    void refresh();
  }

  return {
    refresh,
    end,
    listen() {
      const cleanups = [api.onError(onApiError)];
      if (channel) cleanups.push(channel.subscribe(onChannelMessage));
      if (win) {
        win.addEventListener('pageshow', onPageShow);
        cleanups.push(() => win.removeEventListener('pageshow', onPageShow));
      }
      return () => {
        for (const cleanup of cleanups) cleanup();
      };
    },
    markInitialized() {
      initialized = true;
    },
    setSigningOut(value) {
      signingOut = value;
    },
  };
}
