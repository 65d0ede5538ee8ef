import type { Context } from 'hono';
import type { EmulatorContext } from '../../context';
import type { Interaction, SsoSession } from '../sso-session-store';
import type { AuthorizationResponses } from './authorization-response';
import type { InteractionPages } from './interaction-pages';
import type { InteractionPolicy } from './interaction-policy';

/** What the authorize endpoint and its interaction steps share, built once per emulator. */
export interface AuthorizeKit {
  ctx: EmulatorContext;
  pages: InteractionPages;
  policy: InteractionPolicy;
  responses: AuthorizationResponses;
  /** Once the user is known: assignment, then consent, then the code. */
  proceed(c: Context, interaction: Interaction, session: SsoSession): Response | Promise<Response>;
}
