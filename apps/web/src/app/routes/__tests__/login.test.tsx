import { routes } from '@gatehouse/contracts';
import { screen, waitFor } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { adele } from '../../../testing/data';
import { bff } from '../../../testing/mocks/bff';
import { server } from '../../../testing/mocks/server';
import { renderApp } from '../../../testing/test-utils';

describe('login page', () => {
  it('shows the configured button label and starts sign-in at the BFF, coming back to returnTo', async () => {
    bff.config = { ...bff.config, buttonLabel: 'Sign in with Contoso' };
    const { user, navigation } = renderApp('/login?returnTo=%2Fconversations');
    expect(await screen.findByRole('heading', { name: 'Sign in to Gatehouse' })).toBeInTheDocument();

    await user.click(await screen.findByRole('button', { name: 'Sign in with Contoso' }));

    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2Fconversations']);
    expect(screen.getByRole('button', { name: 'Redirecting to sign-in…' })).toBeDisabled();
  });

  it('shows the operator what to set when social login is off', async () => {
    bff.config = { ...bff.config, socialLogin: false, autoRedirect: true };
    const { navigation } = renderApp('/login');
    expect(await screen.findByText("Sign-in isn't turned on")).toBeInTheDocument();
    expect(screen.getByText('ALLOW_SOCIAL_LOGIN=true')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /microsoft/i })).not.toBeInTheDocument();
    expect(navigation.visits).toEqual([]);
  });

  it.each([
    ['/login', ['/oauth/openid?returnTo=%2F']],
    ['/login?returnTo=%2Fconversations', ['/oauth/openid?returnTo=%2Fconversations']],
    ['/login?signedOut=1', []],
    // Back from the provider's end-session page, which echoes the logout request's state.
    ['/login?state=signed_out', []],
  ])('with autoRedirect, %s navigates to %j', async (path, expected) => {
    bff.config = { ...bff.config, autoRedirect: true };
    const { navigation } = renderApp(path);
    if (expected.length > 0) {
      await waitFor(() => expect(navigation.visits).toEqual(expected));
    } else {
      expect(await screen.findByRole('button', { name: 'Continue with Microsoft' })).toBeEnabled();
      expect(screen.getByText("You've signed out")).toBeInTheDocument();
      expect(navigation.visits).toEqual([]);
    }
  });

  it('ignores a returnTo that leaves the site', async () => {
    const { user, navigation } = renderApp('/login?returnTo=https%3A%2F%2Fevil.example%2F');
    await user.click(await screen.findByRole('button', { name: 'Continue with Microsoft' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2F']);
  });

  it('offers a retry when the configuration cannot be loaded', async () => {
    server.use(http.get(`*${routes.config}`, () => HttpResponse.error(), { once: true }));
    const { user } = renderApp('/login');
    expect(await screen.findByText("We couldn't load the sign-in options")).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Continue with Microsoft' })).toBeInTheDocument();
  });

  it('sends a signed-in user on to returnTo', async () => {
    bff.session = adele();
    const { currentLocation } = renderApp('/login?returnTo=%2Fconversations');
    expect(await screen.findByRole('heading', { name: 'Conversations' })).toBeInTheDocument();
    expect(currentLocation()).toBe('/conversations');
  });

  it('moves on by itself when another tab signs in', async () => {
    const name = `login-cross-tab-${Math.random()}`;
    const { currentLocation, deps } = renderApp('/login?returnTo=%2Fconversations', { channelName: name });
    expect(await screen.findByRole('button', { name: 'Continue with Microsoft' })).toBeInTheDocument();
    bff.session = adele();
    const otherTab = new BroadcastChannel(name);
    otherTab.postMessage({ type: 'signed-in' });
    otherTab.close();
    expect(await screen.findByRole('heading', { name: 'Conversations' })).toBeInTheDocument();
    expect(currentLocation()).toBe('/conversations');
    expect(deps.auth.getAllAccounts()).toHaveLength(1);
  });
});
