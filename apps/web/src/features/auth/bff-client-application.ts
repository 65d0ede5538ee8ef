import {
  type AccountInfo,
  ApiId,
  type BrowserConfiguration,
  type EndSessionRequest,
  type EventCallbackFunction,
  type EventError,
  type EventMessage,
  type EventPayload,
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
import { type ErrorReason, type SessionResponse, spaPaths } from '@gatehouse/contracts';
import { paths } from '../../config/paths';
import { type ApiClient, ApiError } from '../../lib/api-client';
import { sameOriginPath } from '../../lib/return-to';
import { getSession, type SessionCheck } from './api/get-session';
import { logout } from './api/logout';
import type { AuthChannel, AuthChannelMessage } from './auth-channel';
import { BffAuthError, notSupported, tokensStayOnServer } from './bff-auth-error';
import { createBrowserNavigationClient } from './navigation-client';
import { accountFromSession } from './session-account';

/** msal-common's `AccountFilter` (msal-browser does not re-export it). */
type AccountFilter = Parameters<IPublicClientApplication['getAccount']>[0];

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out' | 'unavailable' | 'signing-out';

/** What the SPA knows about its BFF session. Replaced (never mutated) on every change. */
export type BffSessionSnapshot = {
  readonly status: SessionStatus;
  readonly session: SessionResponse | null;
  /** Why the BFF could not be asked (status `unavailable`: network down, BFF failing). */
  readonly error: ApiError | null;
};

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
  location?: Pick<Location, 'origin' | 'host' | 'pathname' | 'search' | 'hash'>;
  /** For `pageshow` (back/forward cache); `window` by default. */
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'> | null;
  logger?: Logger;
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
/** The `prompt` values the BFF's sign-in accepts; others (`none`, `create`) are not forwarded. */
const forwardedPrompts = ['select_account', 'login', 'consent'] as const;
/** SPA pages that make no sense to come back to after signing in. */
const authPages = new Set<string>([spaPaths.login, spaPaths.accessDenied, spaPaths.signInError]);

function newCorrelationId(): string {
  return globalThis.crypto.randomUUID();
}

function matchesFilter(account: AccountInfo, filter: AccountFilter): boolean {
  const same = (a: string | undefined, b: string | undefined) =>
    !!a && !!b && a.toLowerCase() === b.toLowerCase();
  const checks: Array<[unknown, () => boolean]> = [
    [filter.homeAccountId, () => same(filter.homeAccountId, account.homeAccountId)],
    [filter.localAccountId, () => same(filter.localAccountId, account.localAccountId)],
    [filter.username, () => same(filter.username, account.username)],
    [filter.loginHint, () => same(filter.loginHint, account.username)],
    [filter.tenantId, () => same(filter.tenantId, account.tenantId)],
    [filter.realm, () => same(filter.realm, account.tenantId)],
    [filter.environment, () => same(filter.environment, account.environment)],
    [filter.name, () => filter.name === account.name],
    // The BFF's session has no `sid` or native (broker) id to compare with.
    [filter.sid, () => false],
    [filter.nativeAccountId, () => false],
    [filter.isHomeTenant, () => filter.isHomeTenant === true],
  ];
  const given = checks.filter(([value]) => value !== undefined);
  return given.length > 0 && given.every(([, check]) => check());
}

/**
 * Gatehouse's `IPublicClientApplication`, backed by the BFF session instead of tokens in the browser.
 * `MsalProvider` and its hooks work unchanged; `loginRedirect` is a navigation to the BFF, the account
 * mirrors `GET /api/auth/session`, and nothing is ever written to browser storage. Token methods
 * refuse clearly: the tokens live on the server.
 */
export function createBffClientApplication(
  deps: BffClientApplicationDeps,
  options: BffClientApplicationOptions = {},
): BffClientApplication {
  if (!deps?.api) throw new TypeError('createBffClientApplication: deps.api (an ApiClient) is required');
  const { api } = deps;
  const channel = deps.channel ?? null;
  const location = deps.location ?? window.location;
  const win = deps.window === undefined ? window : deps.window;
  const environment = options.environment ?? location.host;
  let navigation = deps.navigationClient ?? createBrowserNavigationClient();
  let logger = deps.logger ?? new Logger({}, packageName, packageVersion);

  const eventCallbacks = new Map<string, { callback: EventCallbackFunction; types: readonly EventType[] }>();
  const performanceCallbacks = new Map<string, PerformanceCallbackFunction>();
  const snapshotListeners = new Set<() => void>();

  let snapshot: BffSessionSnapshot = { status: 'unknown', session: null, error: null };
  let account: AccountInfo | null = null;
  let activeCleared = false;
  let initializing: Promise<void> | null = null;
  let redirectHandled: Promise<null> | null = null;
  let refreshing: Promise<BffSessionSnapshot> | null = null;
  /** Until the first answer, finding a session is not news (msal emits nothing for a cached account). */
  let initialized = false;
  /** While this tab's own logout request runs, the BFF saying "no session" is expected. */
  let signingOut = false;
  const cleanups: Array<() => void> = [];

  function emit(
    eventType: EventType,
    interactionType: InteractionType | null = null,
    payload: EventPayload = null,
    error: EventError = null,
    correlationId = newCorrelationId(),
  ) {
    const message: EventMessage = {
      eventType,
      interactionType,
      payload,
      error,
      correlationId,
      timestamp: Date.now(),
    };
    for (const { callback, types } of [...eventCallbacks.values()]) {
      if (types.length === 0 || types.includes(eventType)) callback(message);
    }
  }

  function setSnapshot(next: BffSessionSnapshot) {
    snapshot = next;
    for (const listener of [...snapshotListeners]) listener();
  }

  function forgetAccount(status: SessionStatus) {
    account = null;
    activeCleared = false;
    setSnapshot({ status, session: null, error: null });
  }

  function endSession(reason: ErrorReason) {
    if (signingOut || snapshot.status === 'signing-out') {
      // This tab is signing out on purpose: the BFF saying "no session" is expected, not news.
      return;
    }
    if (!account) {
      if (snapshot.status !== 'signed-out') setSnapshot({ status: 'signed-out', session: null, error: null });
      return;
    }
    const ended = account;
    forgetAccount('signed-out');
    logger.info(`Gatehouse session ended (${reason})`, '');
    emit(EventType.LOGOUT_SUCCESS, InteractionType.None, ended);
    emit(EventType.ACTIVE_ACCOUNT_CHANGED);
    options.onSessionEnded?.(reason);
  }

  function apply(check: SessionCheck): BffSessionSnapshot {
    if (check.kind === 'signed-out') {
      endSession(check.reason);
      return snapshot;
    }
    if (check.kind === 'unavailable') {
      // A BFF that cannot answer right now does not end a session this tab already holds.
      if (!account) setSnapshot({ status: 'unavailable', session: null, error: check.error });
      return snapshot;
    }
    if (snapshot.status === 'signing-out') return snapshot;
    const next = accountFromSession(check.session, environment);
    const isNewUser = account?.homeAccountId !== next.homeAccountId;
    account = next;
    if (isNewUser) activeCleared = false;
    setSnapshot({ status: 'signed-in', session: check.session, error: null });
    if (isNewUser && initialized) {
      emit(EventType.LOGIN_SUCCESS, InteractionType.Silent, next);
      emit(EventType.ACTIVE_ACCOUNT_CHANGED);
    }
    return snapshot;
  }

  function refreshSession(): Promise<BffSessionSnapshot> {
    refreshing ??= getSession(api)
      .then(apply)
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  }

  function onChannelMessage(message: AuthChannelMessage) {
    // Another tab signed out: this tab's session is gone too, say so at once, then confirm with the BFF.
    if (message.type === 'signed-out') endSession('signed_out');
    void refreshSession();
  }

  function onApiError(error: ApiError) {
    if (error.code === 'login_required') endSession(error.reason ?? 'no_session');
    else if (error.code === 'role_required') endSession(error.reason ?? 'role_removed');
  }

  function onPageShow(event: PageTransitionEvent) {
    // Back from the BFF's sign-in page via the back/forward cache: msal-react still shows the
    // redirect as in progress, and the session may have changed meanwhile.
    if (!event.persisted) return;
    emit(EventType.RESTORE_FROM_BFCACHE, InteractionType.Redirect);
    void refreshSession();
  }

  function currentPath(): string {
    if (authPages.has(location.pathname)) return paths.home.getHref();
    return `${location.pathname}${location.search}${location.hash}`;
  }

  /** Where the browser goes after the BFF ended the session; `/login` learns not to auto-sign-in again. */
  function afterLogout(redirect: string): string {
    const path = sameOriginPath(redirect, location.origin);
    if (path !== null) {
      const url = new URL(path, location.origin);
      if (url.pathname === spaPaths.login && !url.searchParams.has('signedOut')) {
        return paths.login.getHref({ signedOut: true });
      }
      return path;
    }
    try {
      const { protocol } = new URL(redirect);
      if (protocol === 'https:' || protocol === 'http:') return redirect;
    } catch {
      // fall through: not a URL at all
    }
    logger.warning('The BFF answered logout with an unusable redirect; going to the login page', '');
    return paths.login.getHref({ signedOut: true });
  }

  async function startSignIn(request: RedirectRequest | undefined, apiId: ApiId, correlationId: string) {
    const returnTo =
      (request?.redirectStartPage && sameOriginPath(request.redirectStartPage, location.origin)) ||
      currentPath();
    const prompt = forwardedPrompts.find((value) => value === request?.prompt);
    if (request?.prompt && !prompt)
      logger.warning(`prompt=${request.prompt} is not forwarded to the BFF`, correlationId);
    emit(EventType.ACQUIRE_TOKEN_START, InteractionType.Redirect, request ?? null, null, correlationId);
    const href = paths.bffLogin.getHref(prompt ? { returnTo, prompt } : { returnTo });
    await navigation.navigateExternal(href, { apiId, timeout: navigationTimeoutMs, noHistory: false });
  }

  const refuse = <T>(error: BffAuthError): Promise<T> => Promise.reject(error);

  const client: BffClientApplication = {
    initialize() {
      initializing ??= (async () => {
        const correlationId = newCorrelationId();
        emit(EventType.INITIALIZE_START, null, null, null, correlationId);
        cleanups.push(api.onError(onApiError));
        if (channel) cleanups.push(channel.subscribe(onChannelMessage));
        if (win) {
          win.addEventListener('pageshow', onPageShow);
          cleanups.push(() => win.removeEventListener('pageshow', onPageShow));
        }
        const now = await refreshSession();
        initialized = true;
        // Tabs waiting on the login page (or showing another user) re-check when a tab finds a session.
        if (now.status === 'signed-in') channel?.post({ type: 'signed-in' });
        emit(EventType.INITIALIZE_END, null, null, null, correlationId);
      })();
      return initializing;
    },

    handleRedirectPromise() {
      // The BFF finished any redirect before this page loaded; there is never a response to process.
      redirectHandled ??= (async () => {
        const correlationId = newCorrelationId();
        emit(EventType.HANDLE_REDIRECT_START, InteractionType.Redirect, null, null, correlationId);
        emit(EventType.HANDLE_REDIRECT_END, InteractionType.Redirect, null, null, correlationId);
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
      emit(EventType.LOGOUT_START, InteractionType.Redirect, request ?? null, null, correlationId);
      signingOut = true;
      try {
        let redirect: string;
        try {
          ({ redirect } = await logout(api));
        } catch (error) {
          // No session at the BFF any more: signing out has nothing left to do there.
          if (!(error instanceof ApiError && error.code === 'login_required')) throw error;
          redirect = paths.login.getHref({ signedOut: true });
        }
        const ended = account;
        // The session is gone; the page is about to leave. Until it does, it shows "signing out".
        forgetAccount('signing-out');
        emit(EventType.LOGOUT_SUCCESS, InteractionType.Redirect, request ?? ended, null, correlationId);
        emit(EventType.ACTIVE_ACCOUNT_CHANGED, null, null, null, correlationId);
        channel?.post({ type: 'signed-out' });
        await navigation.navigateExternal(afterLogout(redirect), {
          apiId: ApiId.logout,
          timeout: navigationTimeoutMs,
          noHistory: false,
        });
      } catch (error) {
        if (snapshot.status === 'signing-out')
          setSnapshot({ status: 'signed-out', session: null, error: null });
        emit(EventType.LOGOUT_FAILURE, InteractionType.Redirect, null, error as EventError, correlationId);
        throw error;
      } finally {
        signingOut = false;
        emit(EventType.LOGOUT_END, InteractionType.Redirect, null, null, correlationId);
      }
    },

    acquireTokenSilent(request) {
      const correlationId = request.correlationId ?? newCorrelationId();
      emit(EventType.ACQUIRE_TOKEN_START, InteractionType.Silent, request, null, correlationId);
      const error = account
        ? tokensStayOnServer(
            'acquireTokenSilent (the SharePoint picker token will come from the BFF, per request)',
            correlationId,
          )
        : new InteractionRequiredAuthError(
            'login_required',
            correlationId,
            'There is no Gatehouse session: sign in first (loginRedirect).',
          );
      emit(EventType.ACQUIRE_TOKEN_FAILURE, InteractionType.Silent, null, error, correlationId);
      return Promise.reject(error);
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

    addEventCallback(callback, eventTypes) {
      const id = newCorrelationId();
      eventCallbacks.set(id, { callback, types: eventTypes ?? [] });
      return id;
    },
    removeEventCallback(callbackId) {
      eventCallbacks.delete(callbackId);
    },
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
      if (!account) return [];
      return !filter || Object.keys(filter).length === 0 || matchesFilter(account, filter) ? [account] : [];
    },
    getAccount(filter) {
      return account && matchesFilter(account, filter) ? account : null;
    },
    getActiveAccount() {
      return activeCleared ? null : account;
    },
    setActiveAccount(next) {
      if (next && (!account || next.homeAccountId !== account.homeAccountId)) {
        throw new BffAuthError(
          'account_not_found',
          "setActiveAccount: only the BFF session's account exists here",
        );
      }
      const cleared = next === null;
      if (cleared === activeCleared) return;
      activeCleared = cleared;
      emit(EventType.ACTIVE_ACCOUNT_CHANGED);
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

    getSnapshot: () => snapshot,
    subscribe(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    refreshSession,
    endSession,
    dispose() {
      for (const cleanup of cleanups.splice(0)) cleanup();
      channel?.close();
      eventCallbacks.clear();
      snapshotListeners.clear();
    },
  };
  return client;
}
