import type { EmulatorContext } from '../../context';
import type { SeedUser } from '../../seed/types';
import { errors, type OAuthError } from '../oauth-error';
import type { Resource } from '../resources';
import type { AuthorizeRequest } from './authorize-request';

export interface InteractionPolicy {
  /** Requested scopes neither the admin nor this user consented to, per resource. */
  missingConsent(request: AuthorizeRequest, userId: string): Array<{ resource: Resource; scopes: string[] }>;
  /** Apps with "assignment required" let in only assigned users (directly or by group). */
  assigned(request: AuthorizeRequest, user: SeedUser): boolean;
  notAssignedError(request: AuthorizeRequest, user: SeedUser): OAuthError;
  /**
   * AADSTS50020 when the request names one tenant (`/{tenant}/…`) and the user belongs to another;
   * `common`/`organizations` take anyone (the app's audience was checked already).
   */
  foreignUserError(request: AuthorizeRequest, user: SeedUser): OAuthError | undefined;
  /** `login_hint`: a UPN or mail, or the opaque hint from an ID token's `login_hint` claim. */
  matchesHint(user: SeedUser, hint: string): boolean;
  /** The username to prefill on the sign-in page for a `login_hint`. */
  hintedUsername(hint: string): string;
}

/** What an authorize request still needs from the user once they are known: assignment, consent. */
export function createInteractionPolicy(
  ctx: Pick<EmulatorContext, 'directory' | 'grants' | 'tokens'>,
): InteractionPolicy {
  const { directory, grants, tokens } = ctx;
  return {
    missingConsent(request, userId) {
      return request.parsedScope.resources.flatMap(({ resource, scopes }) => {
        const granted = new Set(
          [
            ...(request.app.consentedScopes[resource.key] ?? []),
            ...grants.userConsent(userId, request.clientId, resource.key),
          ].map((s) => s.toLowerCase()),
        );
        const missing = scopes.filter((s) => s !== '.default' && !granted.has(s.toLowerCase()));
        return missing.length > 0 ? [{ resource, scopes: missing }] : [];
      });
    },
    assigned(request, user) {
      return !request.app.appRoleAssignmentRequired || directory.hasAssignment(request.app, user.id);
    },
    notAssignedError(request, user) {
      return errors.notAssigned(user.userPrincipalName, request.clientId, request.app.displayName);
    },
    foreignUserError(request, user) {
      const tenant = directory.findTenant(request.tenantSegment);
      const home = directory.tenantOf(user.id);
      if (!tenant || !home || home.id === tenant.id) return undefined;
      return errors.userNotInTenant(
        user.userPrincipalName,
        home.id,
        tenant.displayName,
        request.clientId,
        request.app.displayName,
      );
    },
    matchesHint(user, hint) {
      const oid = tokens.parseLoginHint(hint);
      if (oid) return oid.toLowerCase() === user.id.toLowerCase();
      const h = hint.toLowerCase();
      return user.userPrincipalName.toLowerCase() === h || user.mail?.toLowerCase() === h;
    },
    hintedUsername(hint) {
      const oid = tokens.parseLoginHint(hint);
      if (oid) return directory.findUser(oid)?.userPrincipalName ?? '';
      return hint;
    },
  };
}
