import type { Context } from 'hono';
import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { EmulatorContext } from '../context';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../identity/resources';
import type { SeedUser } from '../seed/types';
import { GraphError, graphErrorResponse, graphErrors } from './graph-error';

export interface GraphPrincipal {
  user: SeedUser;
  /** The client the token was issued to (`appid`). */
  appId: string;
  /** Granted delegated scopes, lower-cased. */
  scopes: ReadonlySet<string>;
}

export interface GraphAuth {
  /** The caller of a Graph request, or a GraphError (401) explaining why the token is refused. */
  authenticate(c: Context): Promise<GraphPrincipal>;
  /** Throws 403 `Authorization_RequestDenied` unless the token has one of the scopes. */
  requireScope(principal: GraphPrincipal, anyOf: readonly string[]): void;
  handler(
    anyOf: readonly string[],
    fn: (c: Context, principal: GraphPrincipal) => Response | Promise<Response>,
  ): (c: Context) => Promise<Response>;
}

const GRAPH_AUDIENCES = [GRAPH_APP_ID, GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`];

/** Graph accepts only v1.0 tokens for Graph (`aud` Graph's app id) from this tenant, signed with a published key. */
export function createGraphAuth(ctx: EmulatorContext): GraphAuth {
  const auth: GraphAuth = {
    async authenticate(c) {
      const header = c.req.header('authorization') ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match) throw graphErrors.unauthenticated('Access token is empty.', ctx.baseUrl);
      const token = match[1]!.trim();
      let kid: string | undefined;
      try {
        kid = decodeProtectedHeader(token).kid;
      } catch {
        throw graphErrors.unauthenticated(
          'CompactToken parsing failed with error code: 80049217',
          ctx.baseUrl,
        );
      }
      const key = kid ? ctx.keys.find(kid) : undefined;
      if (!key)
        throw graphErrors.unauthenticated(
          'Access token validation failure. Invalid signing key.',
          ctx.baseUrl,
        );
      let claims: Record<string, unknown>;
      try {
        const result = await jwtVerify(token, key.publicKey, {
          currentDate: new Date(ctx.clock()),
          algorithms: ['RS256'],
        });
        claims = result.payload as Record<string, unknown>;
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) {
          throw graphErrors.unauthenticated('Lifetime validation failed, the token is expired.', ctx.baseUrl);
        }
        throw graphErrors.unauthenticated('Access token validation failure.', ctx.baseUrl);
      }
      // Checked in Graph's order: the audience first, then the issuer.
      if (typeof claims.aud !== 'string' || !GRAPH_AUDIENCES.includes(claims.aud)) {
        throw graphErrors.unauthenticated('Access token validation failure. Invalid audience.', ctx.baseUrl);
      }
      if (claims.iss !== ctx.tokens.v1Issuer()) {
        throw graphErrors.unauthenticated('Access token validation failure. Invalid issuer.', ctx.baseUrl);
      }
      const user = typeof claims.oid === 'string' ? ctx.directory.findUser(claims.oid) : undefined;
      if (!user || typeof claims.appid !== 'string') {
        throw graphErrors.unauthenticated(
          'Access token validation failure. The user does not exist.',
          ctx.baseUrl,
        );
      }
      const scp = typeof claims.scp === 'string' ? claims.scp : '';
      return {
        user,
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
