import { signInErrorCodes } from '@gatehouse/contracts';
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../testing/test-utils';
import { signInErrorSummary } from '../sign-in-error';

describe('sign-in error page', () => {
  it('shows the code, the development hint, and retries sign-in', async () => {
    const hint =
      'Register http://localhost:3080/oauth/openid/callback as a redirect URI of the app registration.';
    const { user, navigation } = renderApp(
      `/sign-in-error?code=redirect_uri_mismatch&hint=${encodeURIComponent(hint)}&returnTo=%2Fconversations`,
    );
    expect(await screen.findByRole('heading', { name: "We couldn't sign you in" })).toBeInTheDocument();
    expect(screen.getByText('redirect_uri_mismatch')).toBeInTheDocument();
    expect(screen.getByText('For the operator (shown in development only)')).toBeInTheDocument();
    expect(screen.getByText(hint)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(navigation.visits).toEqual(['/oauth/openid?returnTo=%2Fconversations']);
  });

  describe('in a production build', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('ignores a hint in the URL (anyone can craft the link) and refuses odd codes', async () => {
      vi.stubEnv('DEV', false);
      renderApp('/sign-in-error?code=%3Ca%3E%20call%20us&hint=Call%20%2B1%20555%200100');
      expect(await screen.findByRole('heading', { name: "We couldn't sign you in" })).toBeInTheDocument();
      expect(screen.queryByText(/555 0100/)).not.toBeInTheDocument();
      expect(screen.queryByText(/call us/)).not.toBeInTheDocument();
      expect(screen.getByText('unknown_error')).toBeInTheDocument();
    });
  });

  it('shows no operator hint when there is none (production)', async () => {
    renderApp('/sign-in-error?code=access_denied');
    expect(
      await screen.findByText('Sign-in was cancelled or refused before it finished.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/For the operator/)).not.toBeInTheDocument();
  });

  it.each([
    ['not_assigned', /isn't assigned to Gatehouse/],
    ['AADSTS50105', /isn't assigned to Gatehouse/],
    ['invalid_grant: AADSTS65001', /not yet approved/],
    ['redirect_uri_mismatch', /isn't set up correctly yet/],
    ['client_secret_expired', /isn't set up correctly yet/],
    ['invalid_state', /started in another tab/],
    ['provider_unavailable', /couldn't be reached/],
    ['clock_skew', /correct the server's time/],
    ['invalid_token', /couldn't verify the answer/],
    ['provider_error', /reported a problem/],
    ['internal', /unexpected problem/],
    ['temporarily_unavailable', /couldn't be reached/],
    ['AADSTS7000215', /Trying again often helps/],
    ['something_else', /Trying again often helps/],
  ])('summarises %s for the user', (code, expected) => {
    expect(signInErrorSummary(code)).toMatch(expected);
  });

  it.each(signInErrorCodes)('has a sentence of its own for the BFF code %s', (code) => {
    expect(signInErrorSummary(code)).not.toBe(signInErrorSummary('something_else'));
  });

  it('treats the retired login_expired like any unknown code', () => {
    expect(signInErrorSummary('login_expired')).toBe(signInErrorSummary('something_else'));
  });
});
