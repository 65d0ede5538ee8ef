import type { Context } from 'hono';
import { Hono } from 'hono';
import type { EmulatorContext } from '../../context';
import { readParams } from '../http';
import { errors } from '../oauth-error';
import { createAuthorizationResponses } from './authorization-response';
import type { AuthorizeKit } from './authorize-kit';
import { validateAuthorizeRequest } from './index';
import { createInteractionPages } from './interaction-pages';
import { createInteractionPolicy } from './interaction-policy';
import { createConsentRoutes } from './interactions/consent';
import { createLoginRoutes } from './interactions/login';
import { createProceed } from './interactions/proceed';
import { createSelectAccountRoutes } from './interactions/select-account';
import { currentSsoSession } from './sso-cookie';

/**
 * `/{tenant}/oauth2/v2.0/authorize` and the pages behind it: sign-in, account picker and consent.
 * The emulator's SSO cookie makes a second sign-in silent, as Entra's ESTSAUTH does. The request is
 * checked by the `check-*` rules (`index.ts`); each interaction step lives in `interactions/`.
 */
export function createAuthorizeRoutes(ctx: EmulatorContext) {
  const pages = createInteractionPages(ctx);
  const policy = createInteractionPolicy(ctx);
  const responses = createAuthorizationResponses(ctx);
  const kit: AuthorizeKit = {
    ctx,
    pages,
    policy,
    responses,
    proceed: createProceed({ ctx, pages, policy, responses }),
  };

  const app = new Hono();
  const authorize = (c: Context) => startAuthorization(c, kit);
  app.get('/:tenant/oauth2/v2.0/authorize', authorize);
  app.post('/:tenant/oauth2/v2.0/authorize', authorize);
  app.route('/', createLoginRoutes(kit));
  app.route('/', createSelectAccountRoutes(kit));
  app.route('/', createConsentRoutes(kit));
  return app;
}

/**
 * A valid request either completes silently (`prompt=none`, or an SSO session that fits), shows the
 * account picker, or starts the sign-in page. `prompt=none` never shows a page: whatever it lacks
 * goes back to the app as an error.
 */
async function startAuthorization(c: Context, kit: AuthorizeKit) {
  const { ctx, pages, policy, responses, proceed } = kit;
  const { directory, ssoSessions } = ctx;
  const tenant = c.req.param('tenant')!;
  const validation = validateAuthorizeRequest(ctx, tenant, await readParams(c));
  if (validation.kind === 'show-error') return pages.error(c, validation.error);
  if (validation.kind === 'redirect-error') return responses.error(c, validation.request, validation.error);
  const request = validation.request;
  const session = currentSsoSession(c, ssoSessions);

  if (request.prompt === 'none') {
    if (!session) return responses.error(c, request, errors.loginRequired());
    const user = directory.findUser(session.userId);
    if (!user || (request.loginHint && !policy.matchesHint(user, request.loginHint))) {
      return responses.error(c, request, errors.loginRequired());
    }
    const foreign = policy.foreignUserError(request, user);
    if (foreign) return responses.error(c, request, foreign);
    if (policy.missingConsent(request, user.id).length > 0) {
      return responses.error(
        c,
        request,
        errors.consentRequiredInteractive(request.app.displayName, request.clientId),
      );
    }
    if (!policy.assigned(request, user))
      return responses.error(c, request, policy.notAssignedError(request, user));
    return responses.code(c, request, session);
  }

  const interaction = ssoSessions.startInteraction(request, ctx.clock());
  const sessionUser = session ? directory.findUser(session.userId) : undefined;
  if (session && sessionUser && request.prompt === 'select_account') {
    return pages.accountPicker(c, interaction, sessionUser);
  }
  const hintMatches =
    !request.loginHint || (sessionUser && policy.matchesHint(sessionUser, request.loginHint));
  // An authentication context this SSO session has not met stands for a step-up (MFA): the user is
  // asked (the sign-in page stands in for the second factor), never waved through on the session.
  const stepUp = session !== undefined && request.acrs.some((acrs) => !session.acrs.has(acrs));
  if (session && sessionUser && request.prompt !== 'login' && hintMatches && !stepUp) {
    interaction.userId = sessionUser.id;
    interaction.authTime = session.authTime;
    return proceed(c, interaction, session);
  }
  const hinted = request.loginHint ? policy.hintedUsername(request.loginHint) : '';
  return pages.signIn(c, interaction, { username: hinted, step: 'credentials' });
}
