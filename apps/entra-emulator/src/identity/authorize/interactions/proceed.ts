import type { Context } from 'hono';
import type { EmulatorContext } from '../../../context';
import type { Interaction, SsoSession } from '../../sso-session-store';
import type { AuthorizationResponses } from '../authorization-response';
import type { InteractionPages } from '../interaction-pages';
import type { InteractionPolicy } from '../interaction-policy';

/**
 * The end of every interaction (sign-in, silent SSO, account picker): a user of another organisation
 * than the URL's tenant (AADSTS50020) or one who is not assigned is refused on Entra's page; missing consent (or `prompt=consent`) shows the consent page; otherwise
 * the code goes back to the app.
 */
export function createProceed(deps: {
  ctx: Pick<EmulatorContext, 'directory' | 'ssoSessions'>;
  pages: InteractionPages;
  policy: InteractionPolicy;
  responses: AuthorizationResponses;
}) {
  const { ctx, pages, policy, responses } = deps;
  return function proceed(c: Context, interaction: Interaction, session: SsoSession) {
    const { request } = interaction;
    const user = ctx.directory.findUser(interaction.userId!)!;
    const foreign = policy.foreignUserError(request, user);
    if (foreign) {
      ctx.ssoSessions.finishInteraction(interaction.id);
      return pages.error(c, foreign);
    }
    if (!policy.assigned(request, user)) {
      ctx.ssoSessions.finishInteraction(interaction.id);
      return pages.error(c, policy.notAssignedError(request, user));
    }
    const missing = policy.missingConsent(request, user.id);
    if (missing.length > 0 || request.prompt === 'consent') {
      return pages.consent(
        c,
        interaction,
        user,
        missing.length > 0 ? missing : request.parsedScope.resources,
      );
    }
    ctx.ssoSessions.finishInteraction(interaction.id);
    return responses.code(c, request, session);
  };
}
