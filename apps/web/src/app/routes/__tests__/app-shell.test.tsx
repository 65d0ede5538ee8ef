import { routes } from '@gatehouse/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { adele, contosoTenantId } from '../../../testing/data';
import { bff } from '../../../testing/mocks/bff';
import { server } from '../../../testing/mocks/server';
import { renderApp, uniqueChannelName } from '../../../testing/test-utils';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('signed-in shell', () => {
  it('shows the user, initials when there is no photo, and the identity dashboard', async () => {
    bff.session = adele();
    renderApp('/');
    const banner = await screen.findByRole('banner');
    // Named exactly by the name it shows (the initials are aria-hidden): WCAG 2.5.3, label in name.
    const account = within(banner).getByRole('button', { name: 'Adele Vance', expanded: false });
    expect(account).toHaveTextContent('AV');
    expect(account.querySelector('img')).toBeNull();
    await waitFor(() => expect(bff.requests.some((request) => request.path === routes.mePhoto)).toBe(true));

    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Adele' })).toBeInTheDocument();
    const identity = screen.getByRole('region', { name: 'Your identity' });
    expect(identity).toHaveTextContent('Emailadele@contoso.test');
    expect(identity).toHaveTextContent('Usernameadele@contoso.test');
    expect(within(identity).getByText(contosoTenantId)).toBeInTheDocument();
    expect(within(identity).getByText('Gatehouse.User')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Session' })).toHaveTextContent(
      /Active until.*extended while you use/,
    );
    expect(await screen.findByText('No conversations yet')).toBeInTheDocument();
  });

  it('shows the photo from /api/me/photo when there is one', async () => {
    bff.session = adele();
    bff.photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    const createObjectURL = vi.fn(() => 'blob:http://localhost/photo');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    renderApp('/');
    const account = await screen.findByRole('button', { name: 'Adele Vance', expanded: false });
    await waitFor(() =>
      expect(account.querySelector('img')).toHaveAttribute('src', 'blob:http://localhost/photo'),
    );
    expect(bff.requests.find((request) => request.path === routes.mePhoto)?.csrf).toBe('1');
  });

  it('has a skip link, landmarks and a labelled main navigation', async () => {
    bff.session = adele();
    renderApp('/conversations');
    expect(await screen.findByRole('heading', { level: 1, name: 'Conversations' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Skip to main content' })).toHaveAttribute('href', '#main');
    expect(screen.getByRole('main')).toHaveAttribute('id', 'main');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Conversations' })).toHaveAttribute('aria-current', 'page');
  });

  it('opens and closes the user menu from the keyboard', async () => {
    bff.session = adele();
    const { user } = renderApp('/');
    const button = await screen.findByRole('button', { name: 'Adele Vance', expanded: false });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    button.focus();
    await user.keyboard('{Enter}');
    expect(button).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await user.keyboard('{Escape}');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(button).toHaveFocus();
  });

  it('shows a skeleton while the session is being read', async () => {
    bff.session = adele();
    server.use(
      http.get(`*${routes.session}`, async () => {
        await delay(100);
        return HttpResponse.json(bff.session);
      }),
    );
    renderApp('/');
    expect(await screen.findByText('Loading Gatehouse…')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Welcome, Adele' })).toBeInTheDocument();
  });

  it('says so when the BFF cannot be reached, and recovers on retry', async () => {
    bff.session = adele();
    server.use(http.get(`*${routes.session}`, () => HttpResponse.error(), { once: true }));
    const { user } = renderApp('/');
    expect(
      await screen.findByRole('heading', { name: "Gatehouse can't be reached right now" }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Welcome, Adele' })).toBeInTheDocument();
  });
});

describe('signing in and out', () => {
  it('sends a deep link opened while signed out to the login page, and sign-in back to it', async () => {
    const { user, navigation, currentLocation } = renderApp('/conversations?tab=shared');
    const button = await screen.findByRole('button', { name: 'Continue with Microsoft' });
    expect(currentLocation()).toBe('/login?returnTo=%2Fconversations%3Ftab%3Dshared');
    await user.click(button);
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2Fconversations%3Ftab%3Dshared']);
  });

  it('sign-out posts to the BFF with X-CSRF and navigates to the redirect it answers', async () => {
    bff.session = adele();
    bff.logoutRedirect = 'http://localhost:3090/contoso/oauth2/v2.0/logout?post_logout_redirect_uri=x';
    const { user, navigation } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Adele Vance', expanded: false }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Signing you out…' })).toBeInTheDocument();
    expect(bff.requests.filter((request) => request.path === routes.logout)).toEqual([
      { method: 'POST', path: routes.logout, csrf: '1', credentials: 'same-origin' },
    ]);
    expect(navigation.visits).toEqual([bff.logoutRedirect]);
  });

  it('shows why sign-out failed and keeps the user signed in', async () => {
    bff.session = adele();
    server.use(http.post(`*${routes.logout}`, () => HttpResponse.error()));
    const { user, navigation } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Adele Vance', expanded: false }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByText("Sign-out didn't finish")).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Welcome, Adele' })).toBeInTheDocument();
    expect(navigation.visits).toEqual([]);
  });
});

describe('when the session ends under an open page', () => {
  it('a 401 from an API call shows "session ended" in place, keeping the route for the way back', async () => {
    bff.session = adele();
    server.use(
      http.get(`*${routes.mePhoto}`, () =>
        HttpResponse.json(
          { error: 'login_required', reason: 'idle_timeout', message: 'Session expired' },
          { status: 401 },
        ),
      ),
    );
    const { user, navigation, currentLocation } = renderApp('/conversations?tab=shared');

    expect(
      await screen.findByRole('heading', { name: 'Your session has ended — sign in again' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('You were signed out after a period of inactivity.');
    expect(currentLocation()).toBe('/conversations?tab=shared');
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2Fconversations%3Ftab%3Dshared']);
  });

  it('signing out in another tab signs this tab out at once', async () => {
    bff.session = adele();
    const channelName = uniqueChannelName();
    const { currentLocation } = renderApp('/conversations', { channelName });
    expect(await screen.findByRole('heading', { name: 'Conversations' })).toBeInTheDocument();

    // The other tab: it ended the session at the BFF, then told everyone.
    bff.session = null;
    const otherTab = new BroadcastChannel(channelName);
    otherTab.postMessage({ type: 'signed-out' });
    otherTab.close();

    expect(
      await screen.findByRole('heading', { name: 'Your session has ended — sign in again' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('You signed out in another tab or window.');
    expect(currentLocation()).toBe('/conversations');
  });

  it('the session watch notices an idle timeout without any click', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      bff.session = adele();
      renderApp('/');
      expect(await screen.findByRole('heading', { name: 'Welcome, Adele' })).toBeInTheDocument();
      bff.session = null;
      bff.noSessionReason = 'idle_timeout';
      await vi.advanceTimersByTimeAsync(31 * 60_000);
      expect(
        await screen.findByRole('heading', { name: 'Your session has ended — sign in again' }),
      ).toBeInTheDocument();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('browser storage', () => {
  it('stays empty through sign-in, a session ending, and sign-out', async () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    bff.session = adele();
    const first = renderApp('/');
    await first.user.click(await screen.findByRole('button', { name: 'Adele Vance', expanded: false }));
    await first.user.click(screen.getByRole('button', { name: 'Sign out' }));
    await screen.findByRole('heading', { name: 'Signing you out…' });
    first.unmount();

    const second = renderApp('/login?signedOut=1');
    await second.user.click(await screen.findByRole('button', { name: 'Continue with Microsoft' }));

    expect(setItem).not.toHaveBeenCalled();
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
  });
});

describe('not found', () => {
  it('explains the missing page and links home', async () => {
    renderApp('/nope/really');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByText('/nope/really')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to Gatehouse home' })).toHaveAttribute('href', '/');
  });
});
