import type { Context } from 'hono';
import type { SignedInEnv } from '../app-env';
import { AppError } from '../http/errors';
import { type Viewer, viewerOf } from '../membership/effective-access';
import type { UserLookup } from '../users/user-lookup';
import type { User } from '../users/user-repository';

/** The signed-in user behind the request, and how grants name them. */
export async function viewerFrom(
  c: Context<SignedInEnv>,
  users: Pick<UserLookup, 'byId'>,
): Promise<{ user: User; viewer: Viewer }> {
  const user = await users.byId(c.var.session.userId);
  if (!user) throw new AppError('login_required', 'Your account no longer exists. Sign in again.');
  return { user, viewer: viewerOf(user) };
}
