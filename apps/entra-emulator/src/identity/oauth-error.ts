import { guid } from '../util/ids';

/**
 * An error of the identity endpoints, in Entra's shape: the OAuth `error` code, an AADSTS number with
 * its message, and the HTTP status. `toJSON` adds the trace fields Entra puts in every error body.
 */
export class OAuthError extends Error {
  readonly error: string;
  readonly aadsts: number;
  readonly status: number;
  readonly suberror: string | undefined;
  /** A claims challenge (JSON, as Entra sends it in token errors) for the client's next sign-in. */
  readonly claims: string | undefined;

  constructor(
    error: string,
    aadsts: number,
    description: string,
    options: { status?: number; suberror?: string; claims?: string } = {},
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = 'OAuthError';
    this.error = error;
    this.aadsts = aadsts;
    this.status = options.status ?? (error === 'invalid_client' ? 401 : 400);
    this.suberror = options.suberror;
    this.claims = options.claims;
  }

  body(now: number): EntraErrorBody {
    const traceId = guid();
    const correlationId = guid();
    const timestamp = entraTimestamp(now);
    return {
      error: this.error,
      error_description: `${this.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
      ...(this.suberror ? { suberror: this.suberror } : {}),
      ...(this.claims ? { claims: this.claims } : {}),
    };
  }
}

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
  claims?: string;
}

/** Entra writes timestamps as `2024-05-01 12:34:56Z`. */
export function entraTimestamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** The errors the emulator raises, named by what went wrong. Messages follow Entra's wording. */
export const errors = {
  tenantNotFound: (tenant: string) =>
    new OAuthError(
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ),
  appNotFound: (clientId: string, tenant: string) =>
    new OAuthError(
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    ),
  /** At `/consumers`: the app does not take personal Microsoft accounts (no seed app does). */
  notEnabledForConsumers: () =>
    new OAuthError(
      'unauthorized_client',
      70002,
      'The client does not exist or is not enabled for consumers. If you are the application developer, configure a new application through the App Registrations in the Azure Portal at https://go.microsoft.com/fwlink/?linkid=2083908.',
    ),
  singleTenantOnCommon: (clientId: string) =>
    new OAuthError(
      'invalid_request',
      50194,
      `Application '${clientId}' is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    ),
  missingParameter: (name: string, where = 'request body') =>
    new OAuthError(
      'invalid_request',
      900144,
      `The ${where} must contain the following parameter: '${name}'.`,
    ),
  redirectUriMismatch: (uri: string, clientId: string) =>
    new OAuthError(
      'invalid_request',
      50011,
      `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    ),
  unsupportedResponseType: (type: string) =>
    new OAuthError(
      'unsupported_response_type',
      700054,
      `response_type '${type}' is not enabled for the application.`,
    ),
  invalidScope: (detail: string) =>
    new OAuthError(
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. ${detail}`,
    ),
  invalidRequest: (aadsts: number, detail: string) => new OAuthError('invalid_request', aadsts, detail),
  /** AADSTS50076: Conditional Access wants a step-up; `claims` names the authentication context. */
  mfaRequired: (acrs: string) =>
    new OAuthError(
      'invalid_grant',
      50076,
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
      {
        suberror: 'basic_action',
        claims: JSON.stringify({ access_token: { acrs: { essential: true, value: acrs } } }),
      },
    ),
  /**
   * AADSTS50076 on a silent request (`prompt=none`): the authentication context asked for needs the
   * user (MFA), so the app must send them through an interactive sign-in.
   */
  mfaRequiredInteractive: (acrs: string) =>
    new OAuthError(
      'interaction_required',
      50076,
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
      { claims: JSON.stringify({ access_token: { acrs: { essential: true, value: acrs } } }) },
    ),
  loginRequired: () =>
    new OAuthError('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'),
  consentRequiredInteractive: (app: string, clientId: string) =>
    new OAuthError(
      'consent_required',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${app}'. Send an interactive authorization request for this user and resource.`,
    ),
  consentRequired: (app: string, clientId: string) =>
    new OAuthError(
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${app}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    ),
  userDeclined: () => new OAuthError('access_denied', 65004, 'User declined to consent to access the app.'),
  /** AADSTS50020: a user of one organisation signing in on another tenant's own endpoint. */
  userNotInTenant: (upn: string, homeTenantId: string, tenant: string, clientId: string, app: string) =>
    new OAuthError(
      'invalid_request',
      50020,
      `User account '${upn}' from identity provider 'https://sts.windows.net/${homeTenantId}/' does not exist in tenant '${tenant}' and cannot access the application '${clientId}'(${app}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`,
    ),
  notAssigned: (upn: string, clientId: string, app: string) =>
    new OAuthError(
      'invalid_grant',
      50105,
      `Your administrator has configured the application ${app} ('${clientId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '${upn}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator.`,
    ),
  invalidClientSecret: (clientId: string) =>
    new OAuthError(
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  missingClientCredential: () =>
    new OAuthError(
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  unsupportedGrantType: (type: string) =>
    new OAuthError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${type}'.`),
  codeRedeemed: () =>
    new OAuthError(
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  codeExpired: () =>
    new OAuthError(
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  codeInvalid: () =>
    new OAuthError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  /** A code redeemed at another tenant's token endpoint than the one its tokens are for. */
  codeWrongTenant: () =>
    new OAuthError(
      'invalid_grant',
      700005,
      'Provided Authorization Code is intended to use against other tenant, thus rejected.',
    ),
  /** Client credentials at `common` or `organizations`: no tenant to issue the app-only token in. */
  noTenantForAppOnly: () =>
    new OAuthError(
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  /** A refresh token redeemed at another tenant's token endpoint than the one its tokens are for. */
  refreshTokenWrongTenant: () =>
    new OAuthError('invalid_grant', 7000012, 'The grant was obtained for a different tenant.'),
  codeWrongClient: () =>
    new OAuthError(
      'invalid_grant',
      70000,
      "The provided value for the 'code' parameter is not valid. The code was issued to another client.",
    ),
  replyAddressMismatch: (given: string, expected: string) =>
    new OAuthError(
      'invalid_grant',
      500112,
      `The reply address '${given}' does not match the reply address '${expected}' provided when requesting Authorization code.`,
    ),
  pkceMismatch: () =>
    new OAuthError(
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  refreshTokenMalformed: () =>
    new OAuthError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  refreshTokenInactive: (issued: number, inactiveSeconds: number) =>
    new OAuthError(
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${new Date(issued).toISOString()} and was inactive for ${formatDuration(inactiveSeconds)}.`,
    ),
  refreshTokenRevoked: (issued: number, validFrom: number) =>
    new OAuthError(
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(issued).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${new Date(validFrom).toISOString()}'.`,
    ),
  refreshTokenReused: () =>
    new OAuthError(
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource. (Emulator: this refresh token had already been used and revoke-on-reuse is on, so its whole family was revoked.)',
    ),
  refreshTokenWrongClient: () =>
    new OAuthError(
      'invalid_grant',
      70000,
      'Provided grant is invalid or malformed. The refresh token was issued to a different client.',
    ),
  multipleResources: () =>
    new OAuthError(
      'invalid_request',
      28000,
      'Provided value for the input parameter scope is not valid because it contains more than one resource. Scope openid profile offline_access and resource scopes cannot be combined across resources.',
    ),
  invalidAssertion: (detail: string) =>
    new OAuthError(
      'invalid_grant',
      50013,
      `Assertion failed signature validation or is otherwise invalid. ${detail}`,
    ),
  /** AADSTS500011 at the token endpoint: the scope names a resource the tenant does not have. */
  resourceNotFound: (resource: string, tenant: string) =>
    new OAuthError(
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  temporarilyUnavailable: () =>
    new OAuthError('temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.', {
      status: 503,
    }),
  throttled: () =>
    new OAuthError(
      'temporarily_unavailable',
      50196,
      'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.',
      { status: 429 },
    ),
};

function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const rest = new Date((seconds % 86400) * 1000).toISOString().slice(11, 19);
  return `${String(days).padStart(2, '0')}:${rest}`;
}
