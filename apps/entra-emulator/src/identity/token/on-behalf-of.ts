import { errors as joseErrors, jwtVerify } from 'jose';
import type { EmulatorContext } from '../../context';
import type { SeedApplication } from '../../seed/types';
import { errors } from '../oauth-error';
import { issueTokens, type TokenResponse } from './issue-tokens';
import { requireActiveUser } from './user-checks';

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with `requested_token_use=on_behalf_of`:
 * a middle-tier API trades a user's access token whose audience is itself for a token to another resource.
 */
export async function onBehalfOfGrant(
  ctx: EmulatorContext,
  app: SeedApplication,
  params: Record<string, string>,
): Promise<TokenResponse> {
  if (params.requested_token_use !== 'on_behalf_of') {
    throw errors.invalidRequest(
      900144,
      "The request body must contain the following parameter: 'requested_token_use' with the value 'on_behalf_of'.",
    );
  }
  if (!params.assertion) throw errors.missingParameter('assertion');
  if (!params.scope?.trim()) throw errors.missingParameter('scope');
  let claims: Record<string, unknown>;
  try {
    const result = await jwtVerify(
      params.assertion,
      async (header) => {
        const key = header.kid ? ctx.keys.find(header.kid) : undefined;
        if (!key) throw new Error(`unknown signing key ${header.kid ?? '(no kid)'}`);
        return key.publicKey;
      },
      {
        issuer: ctx.directory.tenants().flatMap((t) => [ctx.tokens.issuer(t.id), ctx.tokens.v1Issuer(t.id)]),
        audience: [app.clientId, `api://${app.clientId}`],
        currentDate: new Date(ctx.clock()),
        algorithms: ['RS256'],
      },
    );
    claims = result.payload as Record<string, unknown>;
  } catch (error) {
    const detail =
      error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud'
        ? `The assertion's audience is not this application ('${app.clientId}'): an API must not exchange a token meant for another resource.`
        : error instanceof joseErrors.JWTExpired
          ? 'The assertion has expired.'
          : `The assertion is not a valid access token issued by this tenant (${(error as Error).message}).`;
    throw errors.invalidAssertion(detail);
  }
  if (typeof claims.oid !== 'string' || typeof claims.scp !== 'string') {
    throw errors.invalidAssertion(
      'The assertion must be a delegated (user) access token with oid and scp claims.',
    );
  }
  const user = requireActiveUser(ctx, app, claims.oid);
  const parsed = ctx.resources.parse(params.scope);
  const authTime = typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : ctx.clock();
  return issueTokens(ctx, {
    app,
    user,
    grant: {
      clientId: app.clientId,
      userId: user.id,
      sessionId: typeof claims.sid === 'string' ? claims.sid : '',
      scope: params.scope,
      authTime,
    },
    parsed,
    explicitScope: true,
    issueRefreshToken: parsed.oidc.has('offline_access'),
    clientInfo: params.client_info === '1',
  });
}
