import { readClaimPath, toStringList } from './claim-path';

/**
 * `OPENID_REQUIRED_ROLE*` as a pure function, evaluated at sign-in and again at every refresh:
 * any-of, exact, case-sensitive match of the required roles against the list at `path` in the
 * token named by `tokenKind`.
 *
 * Groups overage (Entra leaves `groups` out when a user has more than 200, and says so with
 * `_claim_names.groups` or `hasgroups`): when the path is `groups` and the token shows overage, the
 * answer is `needs_groups`. The caller then resolves the groups with a FIXED Graph call
 * (`/me/checkMemberGroups` with the required ids) and calls again with `resolvedGroups`; the
 * URL in `_claim_sources` is never followed.
 */
export type RoleTokenKind = 'id' | 'access' | 'userinfo';

export interface RolePolicy {
  /** `OPENID_REQUIRED_ROLE`; empty: everyone who signs in is allowed. */
  requiredRoles: readonly string[];
  /** `OPENID_REQUIRED_ROLE_TOKEN_KIND` (default `id`). */
  tokenKind?: RoleTokenKind | undefined;
  /** `OPENID_REQUIRED_ROLE_PARAMETER_PATH` (default `roles`). */
  path?: string | undefined;
}

export type Claims = Record<string, unknown>;

export interface RoleClaims {
  idClaims: Claims;
  /** Only when the access token is a JWT meant for this app (verified by the caller). */
  accessClaims?: Claims | undefined;
  userinfo?: Claims | undefined;
  /** Group ids from the fixed Graph call, after a `needs_groups` answer. */
  resolvedGroups?: readonly string[] | undefined;
}

export type RoleDenialReason =
  /** The token has none of the required roles (or no value at the path). */
  | 'role_missing'
  /** The token to read (access token claims, userinfo) was not available. */
  | 'claims_unavailable';

export type RolePolicyResult =
  /** `roles`: the required roles the user has (empty when none is required). */
  | { kind: 'allowed'; roles: string[] }
  | { kind: 'denied'; missing: string[]; reason: RoleDenialReason }
  | { kind: 'needs_groups' };

export function evaluateRolePolicy(policy: RolePolicy, tokens: RoleClaims): RolePolicyResult {
  const required = policy.requiredRoles.filter((role) => role !== '');
  if (required.length === 0) return { kind: 'allowed', roles: [] };
  const tokenKind = policy.tokenKind ?? 'id';
  const path = policy.path ?? 'roles';

  let values: string[];
  if (path === 'groups' && tokens.resolvedGroups) {
    values = [...tokens.resolvedGroups];
  } else {
    const claims =
      tokenKind === 'id' ? tokens.idClaims : tokenKind === 'access' ? tokens.accessClaims : tokens.userinfo;
    if (!claims) return { kind: 'denied', missing: required, reason: 'claims_unavailable' };
    const value = readClaimPath(claims, path);
    if (
      path === 'groups' &&
      value === undefined &&
      (hasGroupsOverage(claims) || hasGroupsOverage(tokens.idClaims))
    ) {
      return { kind: 'needs_groups' };
    }
    values = toStringList(value);
  }

  const granted = new Set(values);
  const roles = required.filter((role) => granted.has(role));
  return roles.length > 0
    ? { kind: 'allowed', roles }
    : { kind: 'denied', missing: required, reason: 'role_missing' };
}

/** Entra's overage markers: `_claim_names.groups` (JWT), `hasgroups: true` (implicit-flow tokens). */
export function hasGroupsOverage(claims: Claims): boolean {
  const names = claims._claim_names;
  const named = typeof names === 'object' && names !== null && Object.hasOwn(names, 'groups');
  return named || claims.hasgroups === true || claims.hasgroups === 'true';
}
