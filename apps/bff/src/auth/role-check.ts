import type { Config } from '@gatehouse/config';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import { myMemberGroupsAmong } from '../graph/directory';
import type { GraphClient } from '../graph/graph-client';
import { toStringList } from './claim-path';
import type { IdTokenClaims } from './oidc';
import type { RequiredGroups } from './required-groups';
import { evaluateRolePolicy, type RoleClaims, type RolePolicy } from './role-policy';

export interface RoleCheckInput {
  /** Validated ID-token claims of this sign-in or refresh. */
  claims: IdTokenClaims;
  /** The access token of the same response (opaque unless it is a JWT for this app). */
  accessToken: string | undefined;
  /** Userinfo for `OPENID_REQUIRED_ROLE_TOKEN_KIND=userinfo`. */
  userInfo(): Promise<Record<string, unknown>>;
  /** A Graph token, asked for only when groups overage must be resolved. */
  graphToken(): Promise<string>;
}

export type RoleCheckResult =
  /** `roles`: what the SPA shows (the required roles held, or the `roles` claim without a policy). */
  | { allowed: true; roles: string[] }
  | {
      allowed: false;
      requiredRoles: string[];
      /** The required groups' display names, when groups are named by display name (Entra). */
      requiredGroups?: string[];
    };

/** Applies `OPENID_REQUIRED_ROLE*` at sign-in and at every refresh. Provider/Graph outages throw. */
export type RoleCheck = (input: RoleCheckInput) => Promise<RoleCheckResult>;

export interface RoleCheckDeps {
  config: Pick<
    Config,
    | 'OPENID_REQUIRED_ROLE'
    | 'OPENID_REQUIRED_ROLE_TOKEN_KIND'
    | 'OPENID_REQUIRED_ROLE_PARAMETER_PATH'
    | 'OPENID_CLIENT_ID'
    | 'OPENID_AUDIENCE'
    | 'requiredGroupNames'
  >;
  graph: GraphClient;
  /** Required groups named by display name, resolved to object ids (see required-groups.ts). */
  requiredGroups: RequiredGroups;
  log: Logger;
}

/**
 * The role gate around the pure `evaluateRolePolicy`: it picks the claims to read (ID token,
 * access token — only a JWT whose `aud` is this app — or userinfo). Required groups named by
 * display name are compared by their object ids (Entra's `groups` claim, transitive). Groups
 * overage is resolved with the fixed Graph call `POST /me/checkMemberGroups` for the required
 * groups only, never the `_claim_sources` URL.
 */
export function createRoleCheck(deps: RoleCheckDeps): RoleCheck {
  const { config, log } = deps;
  const policy: RolePolicy = {
    requiredRoles: config.OPENID_REQUIRED_ROLE,
    tokenKind: config.OPENID_REQUIRED_ROLE_TOKEN_KIND,
    path: config.OPENID_REQUIRED_ROLE_PARAMETER_PATH,
  };
  const ownAudiences = new Set([
    config.OPENID_CLIENT_ID,
    `api://${config.OPENID_CLIENT_ID}`,
    ...config.OPENID_AUDIENCE,
  ]);

  /** The access token's claims if it is a JWT meant for this app; Graph tokens are not ours to read. */
  function accessClaims(accessToken: string | undefined): Record<string, unknown> | undefined {
    if (!accessToken) return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(accessToken);
    } catch {
      log.warn('OPENID_REQUIRED_ROLE_TOKEN_KIND=access, but the access token is not a JWT');
      return undefined;
    }
    const audiences = toStringList(claims.aud);
    if (!audiences.some((aud) => ownAudiences.has(aud))) {
      log.warn(
        { aud: audiences },
        'OPENID_REQUIRED_ROLE_TOKEN_KIND=access, but the access token is for another audience: expose an API scope of this app (api://<client id>/…) in OPENID_SCOPE, or read the roles from the ID token',
      );
      return undefined;
    }
    return claims;
  }

  return async function checkRoles(input) {
    if (policy.requiredRoles.length === 0) {
      return { allowed: true, roles: toStringList(input.claims.roles) };
    }
    const tokens: RoleClaims = { idClaims: input.claims };
    if (policy.tokenKind === 'access') tokens.accessClaims = accessClaims(input.accessToken);
    if (policy.tokenKind === 'userinfo') tokens.userinfo = await input.userInfo();

    // Groups named by display name: compared by object id, and by the name as written too (an app
    // whose groups claim is set to emit cloud display names keeps working); shown by name when refused.
    const groups = await deps.requiredGroups.resolve();
    const byValue = new Map(
      groups.flatMap((group) => [[group.id, group] as const, [group.configured, group] as const]),
    );
    const effective: RolePolicy =
      groups.length > 0 ? { ...policy, requiredRoles: [...byValue.keys()] } : policy;

    let result = evaluateRolePolicy(effective, tokens);
    if (result.kind === 'needs_groups') {
      const member = await myMemberGroupsAmong(deps.graph, await input.graphToken(), effective.requiredRoles);
      log.debug({ member: member.length }, 'groups overage: required groups checked through Graph');
      result = evaluateRolePolicy(effective, { ...tokens, resolvedGroups: member });
    }
    switch (result.kind) {
      case 'allowed':
        return {
          allowed: true,
          roles: [...new Set(result.roles.map((value) => byValue.get(value)?.configured ?? value))],
        };
      case 'denied':
        return groups.length > 0
          ? {
              allowed: false,
              requiredRoles: groups.map((group) => group.configured),
              requiredGroups: groups.map((group) => group.name),
            }
          : { allowed: false, requiredRoles: result.missing };
      case 'needs_groups':
        // Unreachable: resolved groups are always accepted as the groups list.
        return { allowed: false, requiredRoles: [...policy.requiredRoles] };
    }
  };
}
