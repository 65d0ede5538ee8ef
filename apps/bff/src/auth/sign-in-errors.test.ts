import { describe, expect, it } from 'vitest';
import { classifyOAuthError, OidcError, type OidcFailure, parseAadsts } from './oidc-error';
import { describeSignInFailure, type SignInErrorCode } from './sign-in-errors';

const ctx = {
  redirectUri: 'https://chat.contoso.com/oauth/openid/callback',
  clientId: '37f430eb-fc34-4aab-92b8-01a54ce1b692',
  issuer: 'https://login.microsoftonline.com/8c25abde-3c6d-4ca1-8ffc-69c01267db6e/v2.0',
  clockToleranceSeconds: 60,
  scopes: ['openid', 'profile', 'User.Read'],
};

const provider = (oauthError: string, aadsts: number[], failure: OidcFailure = 'provider_error') =>
  new OidcError(failure, 'x', { oauthError, aadsts, description: `AADSTS${aadsts[0]}: something` });

describe('sign-in failures an operator can fix', () => {
  it.each<[string, number, string, SignInErrorCode, RegExp]>([
    [
      'redirect URI mismatch names the URI to register',
      50011,
      'invalid_request',
      'redirect_uri_mismatch',
      /https:\/\/chat\.contoso\.com\/oauth\/openid\/callback/,
    ],
    ['wrong client secret', 7000215, 'invalid_client', 'invalid_client', /OPENID_CLIENT_SECRET.*Value/],
    [
      'expired client secret',
      7000222,
      'invalid_client',
      'client_secret_expired',
      /expired.*OPENID_CLIENT_SECRET/,
    ],
    ['consent missing', 65001, 'invalid_grant', 'consent_required', /User\.Read.*admin consent/],
    ['user not assigned', 50105, 'invalid_grant', 'not_assigned', /Users and groups|Assignment required/],
    ['response type not enabled', 700054, 'unsupported_response_type', 'response_type_disabled', /Web/],
    ['tenant not found', 90002, 'invalid_request', 'wrong_tenant', /OPENID_ISSUER/],
    ['application not found', 700016, 'unauthorized_client', 'wrong_client', /37f430eb.*OPENID_CLIENT_ID/],
    ['clock skew in an assertion', 700024, 'invalid_client', 'clock_skew', /clock/],
  ])('%s (AADSTS%i)', (_name, code, oauthError, expected, hint) => {
    const failure = describeSignInFailure(provider(oauthError, [code]), ctx);
    expect(failure.code).toBe(expected);
    expect(failure.hint).toMatch(hint);
    expect(failure.hint).toContain(`AADSTS${code}`);
  });

  it('treats a cancelled sign-in as the user’s choice, not a misconfiguration', () => {
    const declined = new OidcError('authorization_error', 'x', {
      oauthError: 'access_denied',
      aadsts: [65004],
    });
    expect(describeSignInFailure(declined, ctx).code).toBe('access_denied');
  });

  it('maps ID-token failures and clock skew without AADSTS codes', () => {
    expect(describeSignInFailure(new OidcError('nonce_mismatch', 'x'), ctx).code).toBe('invalid_token');
    expect(describeSignInFailure(new OidcError('bad_signature', 'x'), ctx).code).toBe('invalid_token');
    const skew = describeSignInFailure(new OidcError('clock_skew', 'x'), ctx);
    expect(skew.code).toBe('clock_skew');
    expect(skew.hint).toMatch(/NTP.*OPENID_CLOCK_TOLERANCE/);
    expect(describeSignInFailure(new OidcError('provider_unavailable', 'x'), ctx).code).toBe(
      'provider_unavailable',
    );
  });
});

describe('provider error classification', () => {
  it.each<[string, number[], OidcFailure]>([
    ['invalid_grant', [50173], 'invalid_grant'],
    ['invalid_grant', [700082], 'invalid_grant'],
    ['invalid_grant', [65001], 'interaction_required'],
    ['interaction_required', [50076], 'interaction_required'],
    // Unassigned from the app: a lost role, not an interaction (the session ends at refresh).
    ['invalid_grant', [50105], 'not_assigned'],
    ['invalid_client', [7000215], 'invalid_client'],
    ['temporarily_unavailable', [], 'provider_unavailable'],
    ['invalid_scope', [70011], 'provider_error'],
  ])('%s %j → %s', (error, codes, expected) => {
    expect(classifyOAuthError(error, codes)).toBe(expected);
  });

  it('reads AADSTS codes from error_codes and from the description', () => {
    expect(
      parseAadsts({ error_codes: [50011], error_description: 'AADSTS50011: The redirect URI … AADSTS90002' }),
    ).toEqual([50011, 90002]);
    expect(parseAadsts({})).toEqual([]);
  });
});
