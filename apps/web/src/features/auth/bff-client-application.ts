import {
  ApiId,
  type AuthenticationResult,
  type BrowserConfiguration,
  type EndSessionRequest,
  type EventError,
  EventType,
  type INavigationClient,
  InteractionRequiredAuthError,
  InteractionType,
  type IPublicClientApplication,
  Logger,
  type PerformanceCallbackFunction,
  type RedirectRequest,
  type WrapperSKU,
} from '@azure/msal-browser';
import type { ErrorReason } from '@gatehouse/contracts';
import { paths } from '../../config/paths';
import { type ApiClient, ApiError } from '../../lib/api-client';
import { matchesAccountFilter } from './account-filter';
import { logout } from './api/logout';
import type { AuthChannel } from './auth-channel';
import { BffAuthError, notSupported, tokensStayOnServer } from './bff-auth-error';
import { createBffSessionSync } from './bff-session-sync';
import { createMsalEventBus, newCorrelationId } from './msal-event-bus';
import { createBrowserNavigationClient } from './navigation-client';
import { PickerTokenRefused, type PickerTokenSource } from './picker-token-source';
import { type BffSessionSnapshot, createSessionSnapshotStore } from './session-snapshot-store';
import { afterLogoutHref, bffSignInHref, type PageLocation } from './sign-in-redirects';

/** msal's `IPublicClientApplication`, plus the session facts msal has no words for. */
export type BffClientApplication = IPublicClientApplication & {
  getSnapshot(): BffSessionSnapshot;
  /** For `useSyncExternalStore`: called after every snapshot change. */
  subscribe(listener: () => void): () => void;
  /** Asks the BFF again (single-flight); emits LOGIN_SUCCESS / LOGOUT_SUCCESS when the answer changed. */
  refreshSession(): Promise<BffSessionSnapshot>;
  /** The BFF said the session is gone (any API call answered `login_required`): forget it here too. */
  endSession(reason: ErrorReason): void;
  /** Stops listening to other tabs, the API client and the page (tests; hot reload). */
  dispose(): void;
};

export type BffClientApplicationDeps = {
  api: ApiClient;
  navigationClient?: INavigationClient;
  channel?: AuthChannel | null;
  /** The page's location: where `returnTo` comes from and what is same-origin. */
  location?: PageLocation;
  /** For `pageshow` (back/forward cache); `window` by default. */
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'> | null;
  logger?: Logger;
  /** The SharePoint picker's tokens (`acquireTokenSilent` for the picker's resource); refused when absent. */
  pickerTokens?: PickerTokenSource | null;
};

export type BffClientApplicationOptions = {
  /** Told when a session this tab held ended without this tab signing out (timeout, other tab, revoked). */
  onSessionEnded?: (reason: ErrorReason) => void;
  /** `AccountInfo.environment`; the BFF's host by default, since the BFF is the authority the SPA sees. */
  environment?: string;
};

const packageName = '@gatehouse/web';
const packageVersion = '0.1.0';
const navigationTimeoutMs = 30_000;

/**
 * Gatehouse's `IPublicClientApplication`, backed by the BFF session instead of tokens in the browser.
 * `MsalProvider` and its hooks work unchanged; `loginRedirect` is a navigation to the BFF, the account
 * mirrors `GET /api/auth/session` (kept current by `bff-session-sync.ts`), and nothing is ever written
 * to browser storage. Token methods refuse clearly: the tokens live on the server.
 */
export function createBffClientApplication(
  deps: BffClientApplicationDeps,
  options: BffClientApplicationOptions = {},
): BffClientApplication {
  if (!deps?.api) throw new TypeError('createBffClientApplication: deps.api (an ApiClient) is required');
  const { api } = deps;
  const channel = deps.channel ?? null;
  const location = deps.location ?? window.location;
  let navigation = deps.navigationClient ?? createBrowserNavigationClient();
  let logger = deps.logger ?? new Logger({}, packageName, packageVersion);

  const store = createSessionSnapshotStore();
  const events = createMsalEventBus();
  const sync = createBffSessionSync(
    {
      api,
      store,
      events,
      logger: () => logger,
      channel,
      window: deps.window === undefined ? window : deps.window,
    },
    { environment: options.environment ?? location.host, onSessionEnded: options.onSessionEnded },
  );
  const performanceCallbacks = new Map<string, PerformanceCallbackFunction>();
  const unsubscribers = new Set<() => void>();
  const cleanups: Array<() => void> = [];
  let initializing: Promise<void> | null = null;
  let redirectHandled: Promise<null> | null = null;

  const account = () => store.getState().account;
  const pickerTokens = deps.pickerTokens ?? null;
  // Picker tokens belong to one session: gone with it, and never handed to the next user.
  cleanups.push(
    store.subscribe((state, previous) => {
      if (state.account?.homeAccountId !== previous.account?.homeAccountId) pickerTokens?.clear();
    }),
  );

  async function startSignIn(request: RedirectRequest | undefined, apiId: ApiId, correlationId: string) {
    const { href, droppedPrompt } = bffSignInHref(request, location);
    if (droppedPrompt) logger.warning(`prompt=${droppedPrompt} is not forwarded to the BFF`, correlationId);
    events.emit(
      EventType.ACQUIRE_TOKEN_START,
      InteractionType.Redirect,
      request ?? null,
      null,
      correlationId,
    );
    await navigation.navigateExternal(href, { apiId, timeout: navigationTimeoutMs, noHistory: false });
  }

  function afterLogout(redirect: string): string {
    const href = afterLogoutHref(redirect, location.origin);
    if (href !== null) return href;
    logger.warning('The BFF answered logout with an unusable redirect; going to the login page', '');
    return paths.login.getHref({ signedOut: true });
  }

  const refuse = <T>(error: BffAuthError): Promise<T> => Promise.reject(error);

  const client: BffClientApplication = {
    initialize() {
      initializing ??= (async () => {
        const correlationId = newCorrelationId();
        events.emit(EventType.INITIALIZE_START, null, null, null, correlationId);
        cleanups.push(sync.listen());
        const now = await sync.refresh();
        sync.markInitialized();
        // Tabs waiting on the login page (or showing another user) re-check when a tab finds a session.
        if (now.status === 'signed-in') channel?.post({ type: 'signed-in' });
        events.emit(EventType.INITIALIZE_END, null, null, null, correlationId);
      })();
      return initializing;
    },

    handleRedirectPromise() {
      // The BFF finished any redirect before this page loaded; there is never a response to process.
      redirectHandled ??= (async () => {
        const correlationId = newCorrelationId();
        events.emit(EventType.HANDLE_REDIRECT_START, InteractionType.Redirect, null, null, correlationId);
        events.emit(EventType.HANDLE_REDIRECT_END, InteractionType.Redirect, null, null, correlationId);
        return null;
      })();
      return redirectHandled;
    },

    loginRedirect(request) {
      return startSignIn(request, ApiId.acquireTokenRedirect, newCorrelationId());
    },

    acquireTokenRedirect(request) {
      // The BFF's sign-in is the only interaction there is; it asks for every configured scope.
      return startSignIn(request, ApiId.acquireTokenRedirect, newCorrelationId());
    },

    async logoutRedirect(request?: EndSessionRequest) {
      const correlationId = newCorrelationId();
      events.emit(EventType.LOGOUT_START, InteractionType.Redirect, request ?? null, null, correlationId);
      sync.setSigningOut(true);
      try {
        let redirect: string;
        try {
          ({ redirect } = await logout(api));
        } catch (error) {
          // No session at the BFF any more: signing out has nothing left to do there.
          if (!(error instanceof ApiError && error.code === 'login_required')) throw error;
          redirect = paths.login.getHref({ signedOut: true });
        }
        const ended = account();
        // The session is gone; the page is about to leave. Until it does, it shows "signing out".
        store.getState().forget('signing-out');
        events.emit(
          EventType.LOGOUT_SUCCESS,
          InteractionType.Redirect,
          request ?? ended,
          null,
          correlationId,
        );
        events.emit(EventType.ACTIVE_ACCOUNT_CHANGED, null, null, null, correlationId);
        channel?.post({ type: 'signed-out' });
        await navigation.navigateExternal(afterLogout(redirect), {
          apiId: ApiId.logout,
          timeout: navigationTimeoutMs,
          noHistory: false,
        });
      } catch (error) {
        if (store.getState().snapshot.status === 'signing-out') store.getState().forget('signed-out');
        events.emit(
          EventType.LOGOUT_FAILURE,
          InteractionType.Redirect,
          null,
          error as EventError,
          correlationId,
        );
        throw error;
      } finally {
        sync.setSigningOut(false);
        events.emit(EventType.LOGOUT_END, InteractionType.Redirect, null, null, correlationId);
      }
    },

    async acquireTokenSilent(request) {
      const correlationId = request.correlationId ?? newCorrelationId();
      events.emit(EventType.ACQUIRE_TOKEN_START, InteractionType.Silent, request, null, correlationId);
      const fail = (error: EventError & Error) => {
        events.emit(EventType.ACQUIRE_TOKEN_FAILURE, InteractionType.Silent, null, error, correlationId);
        return Promise.reject(error);
      };
      const current = account();
      if (!current) {
        return fail(
          new InteractionRequiredAuthError(
            'login_required',
            correlationId,
            'There is no Gatehouse session: sign in first (loginRedirect).',
          ),
        );
      }
      if (!pickerTokens) {
        return fail(
          tokensStayOnServer('acquireTokenSilent (only the SharePoint picker gets tokens)', correlationId),
        );
      }
      try {
        const token = await pickerTokens.acquire(request.scopes ?? [], current.homeAccountId);
        const result: AuthenticationResult = {
          authority: token.resource,
          uniqueId: current.localAccountId,
          tenantId: current.tenantId,
          scopes: [...request.scopes],
          account: current,
          idToken: '',
          idTokenClaims: {},
          accessToken: token.accessToken,
          fromCache: token.fromCache,
          expiresOn: token.expiresOn,
          tokenType: 'Bearer',
          correlationId,
          resource: token.resource,
        };
        events.emit(EventType.ACQUIRE_TOKEN_SUCCESS, InteractionType.Silent, result, null, correlationId);
        return result;
      } catch (error) {
        if (error instanceof PickerTokenRefused) {
          return fail(new BffAuthError(error.refusal, error.message, correlationId));
        }
        if (error instanceof ApiError && error.code === 'login_required') {
          return fail(new InteractionRequiredAuthError('login_required', correlationId, error.message));
        }
        if (error instanceof ApiError && error.code === 'interaction_required') {
          return fail(new InteractionRequiredAuthError('interaction_required', correlationId, error.message));
        }
        return fail(error instanceof Error ? (error as EventError & Error) : new Error(String(error)));
      }
    },

    acquireTokenPopup: () => refuse(notSupported('acquireTokenPopup', 'sign-in is a redirect to the BFF')),
    loginPopup: () =>
      refuse(notSupported('loginPopup', 'sign-in is a redirect to the BFF (use loginRedirect)')),
    logoutPopup: () =>
      refuse(notSupported('logoutPopup', 'sign-out goes through the BFF (use logoutRedirect)')),
    ssoSilent: () => refuse(tokensStayOnServer('ssoSilent')),
    acquireTokenByCode: () => refuse(tokensStayOnServer('acquireTokenByCode')),
    hydrateCache: () => refuse(tokensStayOnServer('hydrateCache')),

    clearCache() {
      // There is no browser cache to clear: the account only mirrors the server session, in memory.
      return Promise.resolve();
    },

    addEventCallback: (callback, eventTypes) => events.add(callback, eventTypes),
    removeEventCallback: (callbackId) => events.remove(callbackId),
    addPerformanceCallback(callback) {
      // Registered for API compatibility; the BFF client takes no performance measurements.
      const id = newCorrelationId();
      performanceCallbacks.set(id, callback);
      return id;
    },
    removePerformanceCallback(callbackId) {
      return performanceCallbacks.delete(callbackId);
    },

    getAllAccounts(filter) {
      const current = account();
      if (!current) return [];
      return !filter || Object.keys(filter).length === 0 || matchesAccountFilter(current, filter)
        ? [current]
        : [];
    },
    getAccount(filter) {
      const current = account();
      return current && matchesAccountFilter(current, filter) ? current : null;
    },
    getActiveAccount() {
      const { account: current, activeCleared } = store.getState();
      return activeCleared ? null : current;
    },
    setActiveAccount(next) {
      const { account: current, activeCleared, setActiveCleared } = store.getState();
      if (next && (!current || next.homeAccountId !== current.homeAccountId)) {
        throw new BffAuthError(
          'account_not_found',
          "setActiveAccount: only the BFF session's account exists here",
        );
      }
      const cleared = next === null;
      if (cleared === activeCleared) return;
      setActiveCleared(cleared);
      events.emit(EventType.ACTIVE_ACCOUNT_CHANGED);
    },

    getLogger: () => logger,
    setLogger(next) {
      logger = next;
    },
    initializeWrapperLibrary(sku: WrapperSKU, version: string) {
      logger.verbose(`Wrapped by ${sku}@${version}`, '');
    },
    setNavigationClient(next) {
      navigation = next;
    },
    getConfiguration(): BrowserConfiguration {
      throw notSupported(
        'getConfiguration',
        'there is no MSAL configuration in the browser; the BFF holds it',
      );
    },

    getSnapshot: () => store.getState().snapshot,
    subscribe(listener) {
      const unsubscribe = store.subscribe((state, previous) => {
        if (state.snapshot !== previous.snapshot) listener();
      });
      const stop = () => {
        unsubscribe();
        unsubscribers.delete(stop);
      };
      unsubscribers.add(stop);
      return stop;
    },
    refreshSession: () => sync.refresh(),
    endSession: (reason) => sync.end(reason),
    dispose() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      channel?.close();
      events.clear();
      for (const stop of [...unsubscribers]) stop();
    },
  };
  return client;
}
