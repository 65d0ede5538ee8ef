import type { Context } from 'hono';
import { decodeJwt } from 'jose';
import type { EmulatorContext } from '../context';
import { GRAPH_APP_ID, graphResourceIn } from '../identity/resources';
import { type SignatureFailure, verifyTenantSignature } from '../identity/verify-signature';
import type { SeedUser } from '../seed/types';
import { GraphError, graphErrorResponse, graphErrors } from './graph-error';

export interface GraphPrincipal {
  user: SeedUser;
  /** The caller's organisation (the token's `tid`): Graph shows them their own directory only. */
  tenantId: string;
  /** The client the token was issued to (`appid`). */
  appId: string;
  /** Granted delegated scopes, lower-cased. */
  scopes: ReadonlySet<string>;
}

/** The caller of an app-only request (client credentials): an app, no user. */
export interface GraphAppPrincipal {
  appId: string;
  /** Granted application permissions (`roles`), lower-cased. */
  roles: ReadonlySet<string>;
}

export interface GraphAuth {
  /** The caller of a Graph request, or a GraphError (401) explaining why the token is refused. */
  authenticate(c: Context): Promise<GraphPrincipal>;
  /** The app behind an app-only token (`idtyp: app`), verified as any token; `undefined` for any other request. */
  authenticateApp(c: Context): Promise<GraphAppPrincipal | undefined>;
  /** Throws 403 `Authorization_RequestDenied` unless the token has one of the scopes. */
  requireScope(principal: GraphPrincipal, anyOf: readonly string[]): void;
  handler(
    anyOf: readonly string[],
    fn: (c: Context, principal: GraphPrincipal) => Response | Promise<Response>,
  ): (c: Context) => Promise<Response>;
}

/** Graph's app id, or its resource URI in the emulated cloud. */
const graphAudiences = (resource: string) => [GRAPH_APP_ID, resource, `${resource}/`];

/** Graph's words for a token whose signature or lifetime is refused. */
const GRAPH_SIGNATURE_ERRORS: Record<SignatureFailure, string> = {
  not_jwt: 'CompactToken parsing failed with error code: 80049217',
  unknown_key: 'Access token validation failure. Invalid signing key.',
  expired: 'Lifetime validation failed, the token is expired.',
  invalid: 'Access token validation failure.',
};

/**
 * Graph accepts only v1.0 tokens for Graph (`aud` Graph's app id) from one of the emulator's tenants,
 * signed with a published key; a user's token must come from the user's own tenant.
 */
export function createGraphAuth(ctx: EmulatorContext): GraphAuth {
  /** The verified claims of the request's bearer token (signature, lifetime, audience, issuer). */
  async function verifiedClaims(c: Context): Promise<Record<string, unknown>> {
    const token = bearerOf(c);
    if (!token) throw graphErrors.unauthenticated('Access token is empty.', ctx.baseUrl);
    const checked = await verifyTenantSignature(ctx, token);
    if (!checked.ok) throw graphErrors.unauthenticated(GRAPH_SIGNATURE_ERRORS[checked.failure], ctx.baseUrl);
    const { claims } = checked;
    // Checked in Graph's order: the audience first, then the issuer.
    if (
      typeof claims.aud !== 'string' ||
      !graphAudiences(graphResourceIn(ctx.settings.cloud)).includes(claims.aud)
    ) {
      throw graphErrors.unauthenticated('Access token validation failure. Invalid audience.', ctx.baseUrl);
    }
    const tenant = typeof claims.tid === 'string' ? ctx.directory.findTenant(claims.tid) : undefined;
    if (!tenant || claims.iss !== ctx.tokens.v1Issuer(tenant.id)) {
      throw graphErrors.unauthenticated('Access token validation failure. Invalid issuer.', ctx.baseUrl);
    }
    // A Conditional Access step-up (the `demandClaims` fault) refuses tokens without that context.
    const demanded = ctx.faults.claimsDemand('graph');
    if (demanded !== undefined && !(Array.isArray(claims.acrs) && claims.acrs.includes(demanded))) {
      throw graphErrors.insufficientClaims(demanded, ctx.baseUrl);
    }
    return claims;
  }

  const auth: GraphAuth = {
    async authenticateApp(c) {
      const token = bearerOf(c);
      let idtyp: unknown;
      try {
        idtyp = token ? decodeJwt(token).idtyp : undefined;
      } catch {
        return undefined;
      }
      if (idtyp !== 'app') return undefined;
      const claims = await verifiedClaims(c);
      if (typeof claims.appid !== 'string') {
        throw graphErrors.unauthenticated('Access token validation failure.', ctx.baseUrl);
      }
      const roles = Array.isArray(claims.roles) ? claims.roles : [];
      return {
        appId: claims.appid,
        roles: new Set(roles.filter((r): r is string => typeof r === 'string').map((r) => r.toLowerCase())),
      };
    },
    async authenticate(c) {
      const claims = await verifiedClaims(c);
      const tenantId = String(claims.tid);
      const user =
        typeof claims.oid === 'string' ? ctx.directory.inTenant(tenantId).findUser(claims.oid) : undefined;
      if (!user || typeof claims.appid !== 'string') {
        throw graphErrors.unauthenticated(
          'Access token validation failure. The user does not exist.',
          ctx.baseUrl,
        );
      }
      const scp = typeof claims.scp === 'string' ? claims.scp : '';
      return {
        user,
        tenantId: ctx.directory.tenantOf(user.id)!.id,
        appId: claims.appid,
        scopes: new Set(
          scp
            .split(' ')
            .filter(Boolean)
            .map((s) => s.toLowerCase()),
        ),
      };
    },
    requireScope(principal, anyOf) {
      if (!anyOf.some((s) => principal.scopes.has(s.toLowerCase()))) throw graphErrors.denied();
    },
    handler(anyOf, fn) {
      return async (c) => {
        try {
          const principal = await auth.authenticate(c);
          auth.requireScope(principal, anyOf);
          return await fn(c, principal);
        } catch (error) {
          if (error instanceof GraphError) return graphErrorResponse(c, error, ctx.clock());
          throw error;
        }
      };
    },
  };
  return auth;
}

function bearerOf(c: Context): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
  return match?.[1]?.trim() || undefined;
}
