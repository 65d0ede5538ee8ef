import type { TokenSet } from '../auth/oidc';
import type { Clock } from '../clock';
import type { ResourceToken } from './session-store';
import type { ResourceSpec } from './token-result';

/** A token response as the session stores a resource's token (an hour when the provider gives no expiry). */
export function toResourceToken(tokens: TokenSet, spec: ResourceSpec, clock: Clock): ResourceToken {
  const issuedAt = tokens.issuedAt ?? clock.now();
  return {
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt ?? issuedAt + 3600_000,
    issuedAt,
    scope: tokens.scope ?? spec.scope.join(' '),
  };
}

/** Whether a token response's `scope` includes every scope of `spec` (`User.Read` = `https://graph…/User.Read`). */
export function grantsAll(granted: string | undefined, spec: ResourceSpec): boolean {
  if (!granted) return false;
  const bare = (scope: string) =>
    (scope.toLowerCase().startsWith(`${spec.resource.toLowerCase()}/`)
      ? scope.slice(spec.resource.length + 1)
      : scope
    ).toLowerCase();
  const have = new Set(granted.split(/\s+/).map(bare));
  return spec.scope.length > 0 && spec.scope.every((scope) => have.has(bare(scope)));
}
