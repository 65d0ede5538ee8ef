import {
  type EventMessage,
  EventType,
  InteractionRequiredAuthError,
  InteractionType,
} from '@azure/msal-browser';
import { routes } from '@gatehouse/contracts';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../lib/api-client';
import { adele, contosoTenantId, megan } from '../../testing/data';
import { bff } from '../../testing/mocks/bff';
import { server } from '../../testing/mocks/server';
import { createRecordingNavigation, openTabChannel, uniqueChannelName } from '../../testing/test-utils';
import { getMyPhoto } from './api/get-my-photo';
import type { AuthChannel } from './auth-channel';
import { BffAuthError } from './bff-auth-error';
import { type BffClientApplication, createBffClientApplication } from './bff-client-application';

const clients: BffClientApplication[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});

const page = {
  origin: 'http://localhost:3080',
  host: 'localhost:3080',
  pathname: '/conversations',
  search: '?filter=mine',
  hash: '',
};

function setup(options: { channel?: AuthChannel; location?: typeof page } = {}) {
  const navigation = createRecordingNavigation();
  const onSessionEnded = vi.fn();
  const api = createApiClient({ baseUrl: 'http://localhost:3080' });
  const client = createBffClientApplication(
    {
      api,
      navigationClient: navigation.client,
      channel: options.channel ?? null,
      location: options.location ?? page,
    },
    { onSessionEnded },
  );
  clients.push(client);
  const events: EventMessage[] = [];
  client.addEventCallback((message) => events.push(message));
  const eventTypes = () => events.map((event) => event.eventType);
  return { client, api, navigation, onSessionEnded, events, eventTypes };
}

function sessionRequests() {
  return bff.requests.filter((request) => request.path === routes.session).length;
}

describe('createBffClientApplication', () => {
  it('refuses to be built without an API client', () => {
    // @ts-expect-error: the mistake under test
    expect(() => createBffClientApplication({})).toThrow(TypeError);
  });

  describe('initialize', () => {
    it('reads the BFF session into an msal AccountInfo without any token', async () => {
      bff.session = adele();
      const { client, eventTypes } = setup();
      await client.initialize();

      const [account] = client.getAllAccounts();
      expect(account).toEqual({
        homeAccountId: `u-adele.${contosoTenantId}`,
        localAccountId: 'u-adele',
        environment: 'localhost:3080',
        tenantId: contosoTenantId,
        username: 'adele@contoso.test',
        name: 'Adele Vance',
        idTokenClaims: {
          name: 'Adele Vance',
          preferred_username: 'adele@contoso.test',
          email: 'adele@contoso.test',
          tid: contosoTenantId,
          roles: ['Gatehouse.User'],
        },
      });
      expect(account).not.toHaveProperty('idToken');
      expect(client.getActiveAccount()).toBe(account);
      expect(client.getSnapshot()).toMatchObject({ status: 'signed-in', session: bff.session });
      expect(eventTypes()).toEqual([EventType.INITIALIZE_START, EventType.INITIALIZE_END]);
    });

    it('has no account when the BFF says login_required', async () => {
      const { client } = setup();
      await client.initialize();
      expect(client.getAllAccounts()).toEqual([]);
      expect(client.getActiveAccount()).toBeNull();
      expect(client.getSnapshot().status).toBe('signed-out');
    });

    it.each([
      ['a 500', () => HttpResponse.json({ error: 'internal', message: 'boom' }, { status: 500 })],
      ['a network failure', () => HttpResponse.error()],
    ])(
      'resolves (so msal-react leaves "startup") and reports the BFF unavailable on %s',
      async (_, answer) => {
        server.use(http.get(`*${routes.session}`, answer));
        const { client } = setup();
        await expect(client.initialize()).resolves.toBeUndefined();
        expect(client.getSnapshot().status).toBe('unavailable');
        expect(client.getAllAccounts()).toEqual([]);
      },
    );

    it('asks the BFF once however often it is called', async () => {
      bff.session = adele();
      const { client } = setup();
      await Promise.all([client.initialize(), client.initialize()]);
      await client.initialize();
      expect(sessionRequests()).toBe(1);
    });
  });

  it('handleRedirectPromise resolves null and brackets it with HANDLE_REDIRECT_START/END', async () => {
    const { client, events } = setup();
    await client.initialize();
    await expect(client.handleRedirectPromise()).resolves.toBeNull();
    await expect(client.handleRedirectPromise()).resolves.toBeNull();
    const redirectEvents = events.filter((event) => event.interactionType === InteractionType.Redirect);
    expect(redirectEvents.map((event) => event.eventType)).toEqual([
      EventType.HANDLE_REDIRECT_START,
      EventType.HANDLE_REDIRECT_END,
    ]);
  });

  describe('loginRedirect', () => {
    it.each([
      ['no request: the current page', undefined, '/oauth/openid?returnTo=%2Fconversations%3Ffilter%3Dmine'],
      [
        'a path',
        { scopes: [], redirectStartPage: '/conversations/42' },
        '/oauth/openid?returnTo=%2Fconversations%2F42',
      ],
      [
        'a same-origin URL',
        { scopes: [], redirectStartPage: 'http://localhost:3080/a?b=1#c' },
        '/oauth/openid?returnTo=%2Fa%3Fb%3D1%23c',
      ],
      [
        'another origin: ignored, never an open redirect',
        { scopes: [], redirectStartPage: 'https://evil.example/steal' },
        '/oauth/openid?returnTo=%2Fconversations%3Ffilter%3Dmine',
      ],
      [
        'a protocol-relative path: ignored',
        { scopes: [], redirectStartPage: '//evil.example/x' },
        '/oauth/openid?returnTo=%2Fconversations%3Ffilter%3Dmine',
      ],
      [
        'prompt=select_account: forwarded',
        { scopes: [], prompt: 'select_account', redirectStartPage: '/' },
        '/oauth/openid?returnTo=%2F&prompt=select_account',
      ],
      [
        'prompt=consent: forwarded',
        { scopes: [], prompt: 'consent', redirectStartPage: '/' },
        '/oauth/openid?returnTo=%2F&prompt=consent',
      ],
      [
        'prompt=none: not forwarded (the BFF decides)',
        { scopes: [], prompt: 'none', redirectStartPage: '/' },
        '/oauth/openid?returnTo=%2F',
      ],
    ])('navigates to the BFF sign-in with returnTo from %s', async (_, request, expected) => {
      const { client, navigation, events } = setup();
      await client.loginRedirect(request);
      expect(navigation.visits).toEqual([expected]);
      expect(events.at(-1)).toMatchObject({
        eventType: EventType.ACQUIRE_TOKEN_START,
        interactionType: InteractionType.Redirect,
      });
    });

    it('returns to the home page, not to the login page, when started from /login', async () => {
      const { client, navigation } = setup({ location: { ...page, pathname: '/login', search: '?x=1' } });
      await client.loginRedirect();
      expect(navigation.last()).toBe('/oauth/openid?returnTo=%2F');
    });

    it('acquireTokenRedirect is the same sign-in (the BFF asks for every configured scope)', async () => {
      const { client, navigation } = setup();
      await client.acquireTokenRedirect({ scopes: ['User.Read'], redirectStartPage: '/x' });
      expect(navigation.last()).toBe('/oauth/openid?returnTo=%2Fx');
    });
  });

  describe('logoutRedirect', () => {
    it('posts to the BFF with X-CSRF, forgets the account, tells other tabs, then navigates to redirect', async () => {
      bff.session = adele();
      bff.logoutRedirect = 'http://localhost:3090/contoso/oauth2/v2.0/logout?id_token_hint=x';
      const name = uniqueChannelName();
      const otherTab = openTabChannel(name);
      const heard = vi.fn();
      otherTab.subscribe(heard);
      const { client, navigation, eventTypes, onSessionEnded } = setup({ channel: openTabChannel(name) });
      await client.initialize();

      await client.logoutRedirect();

      expect(bff.requests.find((request) => request.path === routes.logout)).toEqual({
        method: 'POST',
        path: routes.logout,
        csrf: '1',
        credentials: 'same-origin',
      });
      expect(navigation.visits).toEqual([bff.logoutRedirect]);
      expect(client.getAllAccounts()).toEqual([]);
      expect(client.getSnapshot().status).toBe('signing-out');
      expect(eventTypes().slice(-4)).toEqual([
        EventType.LOGOUT_START,
        EventType.LOGOUT_SUCCESS,
        EventType.ACTIVE_ACCOUNT_CHANGED,
        EventType.LOGOUT_END,
      ]);
      expect(onSessionEnded).not.toHaveBeenCalled();
      await vi.waitFor(() => expect(heard).toHaveBeenCalledWith({ type: 'signed-out' }));
    });

    it.each([
      ['/login', '/login?signedOut=1'],
      ['http://localhost:3080/login', '/login?signedOut=1'],
      ['/login?signedOut=1', '/login?signedOut=1'],
      ['javascript:alert(1)', '/login?signedOut=1'],
    ])('turns the redirect %s into %s', async (redirect, expected) => {
      bff.session = adele();
      bff.logoutRedirect = redirect;
      const { client, navigation } = setup();
      await client.initialize();
      await client.logoutRedirect();
      expect(navigation.visits).toEqual([expected]);
    });

    it('still lands on the login page when the BFF session was already gone', async () => {
      bff.session = adele();
      const { client, navigation, onSessionEnded } = setup();
      await client.initialize();
      bff.session = null;
      await client.logoutRedirect();
      expect(navigation.visits).toEqual(['/login?signedOut=1']);
      expect(onSessionEnded).not.toHaveBeenCalled();
    });

    it('keeps the account and rejects when the BFF fails to sign out', async () => {
      bff.session = adele();
      server.use(
        http.post(`*${routes.logout}`, () =>
          HttpResponse.json({ error: 'internal', message: 'db down' }, { status: 500 }),
        ),
      );
      const { client, navigation, eventTypes } = setup();
      await client.initialize();
      await expect(client.logoutRedirect()).rejects.toMatchObject({ code: 'internal' });
      expect(navigation.visits).toEqual([]);
      expect(client.getAllAccounts()).toHaveLength(1);
      expect(client.getSnapshot().status).toBe('signed-in');
      expect(eventTypes().slice(-2)).toEqual([EventType.LOGOUT_FAILURE, EventType.LOGOUT_END]);
    });
  });

  describe('tokens stay on the server', () => {
    it('acquireTokenSilent without a session asks for interaction (sign-in)', async () => {
      const { client, eventTypes } = setup();
      await client.initialize();
      const error = await client.acquireTokenSilent({ scopes: ['User.Read'] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InteractionRequiredAuthError);
      expect(eventTypes().slice(-2)).toEqual([
        EventType.ACQUIRE_TOKEN_START,
        EventType.ACQUIRE_TOKEN_FAILURE,
      ]);
    });

    it('acquireTokenSilent with a session refuses clearly instead of faking a token', async () => {
      bff.session = adele();
      const { client } = setup();
      await client.initialize();
      const error = await client.acquireTokenSilent({ scopes: ['User.Read'] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BffAuthError);
      expect(error).not.toBeInstanceOf(InteractionRequiredAuthError); // no sign-in loop
      expect(error).toMatchObject({ errorCode: 'tokens_stay_on_server' });
      expect(String((error as Error).message)).toMatch(/tokens stay on the server \(BFF\)/);
    });

    it.each([
      ['loginPopup', (c: BffClientApplication) => c.loginPopup(), 'not_supported'],
      [
        'acquireTokenPopup',
        (c: BffClientApplication) => c.acquireTokenPopup({ scopes: [] }),
        'not_supported',
      ],
      ['logoutPopup', (c: BffClientApplication) => c.logoutPopup(), 'not_supported'],
      ['ssoSilent', (c: BffClientApplication) => c.ssoSilent({ scopes: [] }), 'tokens_stay_on_server'],
      [
        'acquireTokenByCode',
        (c: BffClientApplication) => c.acquireTokenByCode({ scopes: [], code: 'x' }),
        'tokens_stay_on_server',
      ],
    ])('%s rejects with %s', async (_, call, code) => {
      const { client, navigation } = setup();
      await expect(call(client)).rejects.toMatchObject({ name: 'BffAuthError', errorCode: code });
      expect(navigation.visits).toEqual([]);
    });

    it('getConfiguration throws: there is no MSAL configuration in the browser', () => {
      const { client } = setup();
      expect(() => client.getConfiguration()).toThrow(BffAuthError);
    });

    it('clearCache resolves: there is nothing cached in the browser', async () => {
      bff.session = adele();
      const { client } = setup();
      await client.initialize();
      await expect(client.clearCache()).resolves.toBeUndefined();
    });
  });

  describe('accounts', () => {
    it.each([
      [{ homeAccountId: `U-ADELE.${contosoTenantId}` }, true],
      [{ localAccountId: 'u-adele' }, true],
      [{ username: 'Adele@Contoso.test' }, true],
      [{ loginHint: 'adele@contoso.test' }, true],
      [{ tenantId: contosoTenantId, username: 'adele@contoso.test' }, true],
      [{ tenantId: 'other-tenant' }, false],
      [{ username: 'alex@contoso.test' }, false],
      [{ sid: 'some-sid' }, false],
      [{}, false],
    ])('getAccount(%o) matches: %s', async (filter, matches) => {
      bff.session = adele();
      const { client } = setup();
      await client.initialize();
      expect(client.getAccount(filter) !== null).toBe(matches);
    });

    it('setActiveAccount(null) clears the active account; a foreign account is refused', async () => {
      bff.session = adele();
      const { client, eventTypes } = setup();
      await client.initialize();
      const [account] = client.getAllAccounts();
      client.setActiveAccount(null);
      expect(client.getActiveAccount()).toBeNull();
      expect(eventTypes().at(-1)).toBe(EventType.ACTIVE_ACCOUNT_CHANGED);
      client.setActiveAccount(account ?? null);
      expect(client.getActiveAccount()).toBe(account);
      expect(() => client.setActiveAccount({ ...account!, homeAccountId: 'someone.else' })).toThrow(
        BffAuthError,
      );
    });

    it('gives MsalProvider a real msal Logger', () => {
      const { client } = setup();
      const logger = client.getLogger().clone('@azure/msal-react', '5.7.1');
      expect(() => logger.info('hello', '')).not.toThrow();
    });
  });

  describe('when the session changes under the tab', () => {
    it.each([
      ['login_required', 401, 'idle_timeout'],
      ['role_required', 403, 'role_removed'],
    ] as const)('ends the session on %s from any API call and says why', async (error, status, reason) => {
      bff.session = adele();
      server.use(
        http.get(`*${routes.mePhoto}`, () => HttpResponse.json({ error, reason, message: 'x' }, { status })),
      );
      const { client, api, onSessionEnded, eventTypes } = setup();
      await client.initialize();

      await expect(getMyPhoto(api)).rejects.toMatchObject({ code: error });

      expect(client.getAllAccounts()).toEqual([]);
      expect(client.getSnapshot().status).toBe('signed-out');
      expect(onSessionEnded).toHaveBeenCalledWith(reason);
      expect(eventTypes().slice(-2)).toEqual([EventType.LOGOUT_SUCCESS, EventType.ACTIVE_ACCOUNT_CHANGED]);
    });

    it('keeps the session when the BFF is briefly unavailable', async () => {
      bff.session = adele();
      const { client, onSessionEnded } = setup();
      await client.initialize();
      server.use(http.get(`*${routes.session}`, () => HttpResponse.error()));
      await client.refreshSession();
      expect(client.getSnapshot().status).toBe('signed-in');
      expect(onSessionEnded).not.toHaveBeenCalled();
    });

    it('re-checks with one request however many callers ask at once', async () => {
      bff.session = adele();
      const { client } = setup();
      await client.initialize();
      await Promise.all([client.refreshSession(), client.refreshSession(), client.refreshSession()]);
      expect(sessionRequests()).toBe(2);
    });

    it('emits LOGIN_SUCCESS when a session appears (signed in in another tab) and for a new user', async () => {
      const { client, events } = setup();
      await client.initialize();
      bff.session = adele();
      await client.refreshSession();
      bff.session = megan();
      await client.refreshSession();
      const logins = events.filter((event) => event.eventType === EventType.LOGIN_SUCCESS);
      expect(logins.map((event) => (event.payload as { name?: string }).name)).toEqual([
        'Adele Vance',
        'Megan Bowen',
      ]);
    });

    it("a sign-out in another tab ends this tab's session at once, then confirms with the BFF", async () => {
      bff.session = adele();
      const name = uniqueChannelName();
      const { client, onSessionEnded } = setup({ channel: openTabChannel(name) });
      await client.initialize();
      const requestsBefore = sessionRequests();
      bff.session = null;

      openTabChannel(name).post({ type: 'signed-out' });

      await vi.waitFor(() => expect(onSessionEnded).toHaveBeenCalledWith('signed_out'));
      expect(client.getAllAccounts()).toEqual([]);
      await vi.waitFor(() => expect(sessionRequests()).toBe(requestsBefore + 1));
      expect(onSessionEnded).toHaveBeenCalledTimes(1);
    });

    it('a sign-in in another tab makes a signed-out tab re-check', async () => {
      const name = uniqueChannelName();
      const { client } = setup({ channel: openTabChannel(name) });
      await client.initialize();
      bff.session = adele();
      openTabChannel(name).post({ type: 'signed-in' });
      await vi.waitFor(() => expect(client.getAllAccounts()).toHaveLength(1));
    });
  });
});
