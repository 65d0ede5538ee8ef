import type { SignInErrorCode } from '@gatehouse/contracts';
import type { OidcError } from './oidc-error';

// The codes are part of the SPA contract: the page types its sentences by them.
export { type SignInErrorCode, signInErrorCodes } from '@gatehouse/contracts';

export interface SignInErrorContext {
  redirectUri: string;
  clientId: string;
  issuer: string;
  clockToleranceSeconds: number;
  scopes: readonly string[];
}

export interface SignInFailure {
  code: SignInErrorCode;
  /** The operator's fix, one sentence. Safe to show in development (no secrets). */
  hint: string;
}

/** AADSTS numbers (Entra's reference-error-codes) mapped to what the operator should do. */
function fromAadsts(codes: readonly number[], ctx: SignInErrorContext): SignInFailure | undefined {
  const has = (...wanted: number[]) => wanted.some((code) => codes.includes(code));
  if (has(50011, 500112, 500113)) {
    return {
      code: 'redirect_uri_mismatch',
      hint: `AADSTS50011: register this exact redirect URI (platform "Web") in the app registration's Authentication page: ${ctx.redirectUri} — it is DOMAIN_SERVER + OPENID_CALLBACK_URL.`,
    };
  }
  if (has(7000222)) {
    return {
      code: 'client_secret_expired',
      hint: 'AADSTS7000222: the client secret has expired. Create a new one under Certificates & secrets and put its Value in OPENID_CLIENT_SECRET (or use a certificate: OPENID_CLIENT_CERTIFICATE, which does not travel with each request).',
    };
  }
  if (has(700027, 700021)) {
    return {
      code: 'invalid_client',
      hint: 'AADSTS700027: the app registration does not hold the certificate in OPENID_CLIENT_CERTIFICATE (or OPENID_CLIENT_PRIVATE_KEY is not its key). Upload it under Certificates & secrets → Certificates and compare the thumbprint `pnpm run doctor` shows.',
    };
  }
  if (has(7000215, 7000216)) {
    return {
      code: 'invalid_client',
      hint: "AADSTS7000215: OPENID_CLIENT_SECRET is wrong. Copy the secret's Value (not its Secret ID) from Certificates & secrets.",
    };
  }
  if (has(65001)) {
    return {
      code: 'consent_required',
      hint: `AADSTS65001: nobody has consented to the requested permissions (${ctx.scopes.join(' ')}). Grant admin consent in API permissions, or let the user consent.`,
    };
  }
  if (has(50105)) {
    return {
      code: 'not_assigned',
      hint: 'AADSTS50105: the app requires assignment and this user is not assigned. Assign the user (or one of their groups) in Enterprise applications → Users and groups, or turn off "Assignment required".',
    };
  }
  if (has(700054)) {
    return {
      code: 'response_type_disabled',
      hint: 'AADSTS700054: the requested response_type is not enabled. Register the redirect URI under the "Web" platform (not "Single-page application") and enable "ID tokens" under Authentication if the tenant requires it.',
    };
  }
  if (has(90002, 90023)) {
    return {
      code: 'wrong_tenant',
      hint: `AADSTS90002: the tenant in OPENID_ISSUER (${ctx.issuer}) does not exist. Use https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0.`,
    };
  }
  if (has(700016, 900971)) {
    return {
      code: 'wrong_client',
      hint: `AADSTS700016: no application ${ctx.clientId} in this tenant. Check OPENID_CLIENT_ID (the Application (client) ID) and that OPENID_ISSUER names the tenant where the app is registered.`,
    };
  }
  if (has(700024, 500133)) {
    return {
      code: 'clock_skew',
      hint: "AADSTS700024: this server's clock is off. Synchronise it (NTP).",
    };
  }
  return undefined;
}

/** Turns a provider failure during sign-in into the page's code and the operator's fix. */
export function describeSignInFailure(error: OidcError, ctx: SignInErrorContext): SignInFailure {
  // The user said no (cancelled, declined consent: AADSTS65004): nothing for the operator to fix.
  if (error.provider.oauthError === 'access_denied' && !(error.provider.aadsts ?? []).includes(50105)) {
    return { code: 'access_denied', hint: 'The user cancelled the sign-in or declined consent.' };
  }
  const byCode = fromAadsts(error.provider.aadsts ?? [], ctx);
  if (byCode) return byCode;
  switch (error.failure) {
    case 'authorization_error':
      if (error.provider.oauthError === 'access_denied') {
        return { code: 'access_denied', hint: 'The user cancelled the sign-in or declined consent.' };
      }
      return {
        code: 'provider_error',
        hint: `The provider answered the callback with error=${error.provider.oauthError ?? 'unknown'}.`,
      };
    case 'not_assigned':
      // Reached only without the AADSTS code, which fromAadsts explains above.
      return { code: 'not_assigned', hint: 'The user is not assigned to the app.' };
    case 'interaction_required':
      return {
        code: 'interaction_required',
        hint: 'The provider requires an interaction it could not complete (MFA, Conditional Access or consent).',
      };
    case 'state_mismatch':
      return {
        code: 'invalid_state',
        hint: 'The callback did not match a sign-in started in this browser (expired, replayed or forged).',
      };
    case 'nonce_mismatch':
    case 'bad_signature':
    case 'invalid_token':
      return {
        code: 'invalid_token',
        hint: `The ID token was rejected: ${error.provider.description ?? error.message}`,
      };
    case 'clock_skew':
      return {
        code: 'clock_skew',
        hint: `The ID token's iat/exp are outside the tolerance of ${ctx.clockToleranceSeconds}s: synchronise this server's clock (NTP), or raise OPENID_CLOCK_TOLERANCE.`,
      };
    case 'invalid_client':
      return {
        code: 'invalid_client',
        hint: 'The provider rejected the client credentials: check OPENID_CLIENT_ID and OPENID_CLIENT_SECRET.',
      };
    case 'invalid_grant':
      return {
        code: 'invalid_state',
        hint: 'The authorization code was already used, has expired, or the PKCE verifier did not match.',
      };
    case 'provider_unavailable':
      return {
        code: 'provider_unavailable',
        hint: `The identity provider (${ctx.issuer}) could not be reached or answered with a server error.`,
      };
    case 'invalid_resource':
      return {
        code: 'provider_error',
        hint: `AADSTS500011: a scope of the sign-in (${ctx.scopes.join(' ')}) names a resource this tenant does not have. Check OPENID_SCOPE and OPENID_GRAPH_SCOPES.`,
      };
    case 'provider_error':
      return {
        code: 'provider_error',
        hint: `The provider returned ${error.provider.oauthError ?? 'an error'}: ${error.provider.description ?? error.message}`,
      };
  }
}
