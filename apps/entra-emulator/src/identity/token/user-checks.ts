import type { EmulatorContext } from '../../context';
import type { SeedApplication, SeedUser } from '../../seed/types';
import { errors, OAuthError } from '../oauth-error';

/** The grant's user still exists, is enabled and (when the app requires it) still assigned to the app. */
export function requireActiveUser(ctx: EmulatorContext, app: SeedApplication, userId: string): SeedUser {
  const user = ctx.directory.findUser(userId);
  if (!user)
    throw new OAuthError('invalid_grant', 50034, 'The user account does not exist in the directory.');
  if (user.accountEnabled === false)
    throw new OAuthError('invalid_grant', 50057, 'The user account is disabled.');
  if (app.appRoleAssignmentRequired && !ctx.directory.hasAssignment(app, user.id)) {
    throw errors.notAssigned(user.userPrincipalName, app.clientId, app.displayName);
  }
  return user;
}
