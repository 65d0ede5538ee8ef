import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { EmulatorContext } from '../../context';
import type { SeedUser } from '../../seed/types';
import { htmlPage, originOf, readParams } from '../http';
import { errors, type OAuthError } from '../oauth-error';
import type { Resource } from '../resources';
import { accountPickerPage, consentPage, errorPage, formPostPage, signInPage } from '../sign-in/pages';
import { type Interaction, SSO_COOKIE, type SsoSession } from '../sso-session-store';
import type { AuthorizeRequest, PartialAuthorizeRequest } from './authorize-request';
import { validateAuthorizeRequest } from './index';

type Deliverable = Pick<AuthorizeRequest, 'redirectUri' | 'responseMode'> &
  Partial<Pick<AuthorizeRequest, 'state'>>;

/**
 * `/{tenant}/oauth2/v2.0/authorize` and the pages behind it: sign-in, account picker and consent.
 * The emulator's SSO cookie makes a second sign-in silent, as Entra's ESTSAUTH does.
 */
export function createAuthorizeRoutes(ctx: EmulatorContext) {
  const app = new Hono();
  const { directory, ssoSessions, grants } = ctx;
  const tenantName = () => directory.tenant.displayName;
  const loginAction = (tenant: string) => `/${encodeURIComponent(tenant)}/login`;

  const authorize = async (c: Context) => {
    const tenant = c.req.param('tenant')!;
    const validation = validateAuthorizeRequest(ctx, tenant, await readParams(c));
    if (validation.kind === 'show-error') return showError(c, validation.error);
    if (validation.kind === 'redirect-error') return deliverError(c, validation.request, validation.error);
    const request = validation.request;
    const session = currentSession(c);

    if (request.prompt === 'none') {
      if (!session) return deliverError(c, request, errors.loginRequired());
      const user = directory.findUser(session.userId);
      if (!user || (request.loginHint && !matchesHint(user, request.loginHint))) {
        return deliverError(c, request, errors.loginRequired());
      }
      if (missingConsent(request, user.id).length > 0) {
        return deliverError(
          c,
          request,
          errors.consentRequiredInteractive(request.app.displayName, request.clientId),
        );
      }
      if (!assigned(request, user)) return deliverError(c, request, notAssignedError(request, user));
      return issueCode(c, request, session);
    }

    const interaction = ssoSessions.startInteraction(request, ctx.clock());
    const sessionUser = session ? directory.findUser(session.userId) : undefined;
    if (session && sessionUser && request.prompt === 'select_account') {
      return htmlPage(c, (nonce) =>
        accountPickerPage({
          nonce,
          tenantName: tenantName(),
          action: `/${encodeURIComponent(tenant)}/select-account`,
          interactionId: interaction.id,
          appName: request.app.displayName,
          account: { displayName: sessionUser.displayName, username: sessionUser.userPrincipalName },
        }),
      );
    }
    const hintMatches = !request.loginHint || (sessionUser && matchesHint(sessionUser, request.loginHint));
    if (session && sessionUser && request.prompt !== 'login' && hintMatches) {
      interaction.userId = sessionUser.id;
      interaction.authTime = session.authTime;
      return proceed(c, interaction, session);
    }
    const hinted = request.loginHint ? hintedUsername(request.loginHint) : '';
    return renderSignIn(c, interaction, { username: hinted, step: 'credentials' });
  };
  app.get('/:tenant/oauth2/v2.0/authorize', authorize);
  app.post('/:tenant/oauth2/v2.0/authorize', authorize);

  app.get('/:tenant/login', (c) => {
    const interaction = ssoSessions.interaction(c.req.query('ctx'), ctx.clock());
    if (!interaction) return expired(c);
    return renderSignIn(c, interaction, { username: '', step: 'credentials' });
  });

  app.post('/:tenant/login', async (c) => {
    const form = await readParams(c);
    const interaction = ssoSessions.interaction(form.ctx, ctx.clock());
    if (!interaction) return expired(c);
    const username = (form.loginfmt ?? '').trim();
    const password = form.passwd ?? '';
    const fromPasswordStep = form.step === 'password';
    if (!username) {
      return renderSignIn(c, interaction, {
        username,
        step: 'credentials',
        usernameError: 'Enter a valid email address, phone number, or Skype name.',
      });
    }
    const user = directory
      .users()
      .find(
        (u) =>
          u.userPrincipalName.toLowerCase() === username.toLowerCase() ||
          u.mail?.toLowerCase() === username.toLowerCase(),
      );
    if (!user) {
      return renderSignIn(c, interaction, {
        username,
        step: 'credentials',
        usernameError:
          'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
      });
    }
    if (!password) {
      return renderSignIn(c, interaction, {
        username: user.userPrincipalName,
        step: 'password',
        ...(fromPasswordStep ? { passwordError: 'Please enter your password.' } : {}),
      });
    }
    if (user.accountEnabled === false) {
      return renderSignIn(c, interaction, {
        username: user.userPrincipalName,
        step: 'password',
        passwordError:
          'Your account has been locked. Contact your support person to unlock it, then try again.',
      });
    }
    if (password !== user.password) {
      return renderSignIn(c, interaction, {
        username: user.userPrincipalName,
        step: 'password',
        passwordError:
          "Your account or password is incorrect. If you don't remember your password, reset it now.",
      });
    }
    const previous = currentSession(c);
    if (previous) ssoSessions.end(previous);
    const now = ctx.clock();
    const session = ssoSessions.create(user.id, now);
    setCookie(c, SSO_COOKIE, session.cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: ctx.baseUrl.startsWith('https:'),
    });
    interaction.userId = user.id;
    interaction.authTime = now;
    return proceed(c, interaction, session);
  });

  app.post('/:tenant/select-account', async (c) => {
    const form = await readParams(c);
    const interaction = ssoSessions.interaction(form.ctx, ctx.clock());
    if (!interaction) return expired(c);
    const session = currentSession(c);
    const user = session ? directory.findUser(session.userId) : undefined;
    if (form.choice === 'current' && session && user) {
      interaction.userId = user.id;
      interaction.authTime = session.authTime;
      return proceed(c, interaction, session);
    }
    return renderSignIn(c, interaction, { username: '', step: 'credentials' });
  });

  app.post('/:tenant/consent', async (c) => {
    const form = await readParams(c);
    const interaction = ssoSessions.interaction(form.ctx, ctx.clock());
    const session = currentSession(c);
    if (!interaction || !session || interaction.userId !== session.userId) return expired(c);
    const { request } = interaction;
    ssoSessions.finishInteraction(interaction.id);
    if (form.consent !== 'yes') return deliverError(c, request, errors.userDeclined());
    for (const { resource, scopes } of request.parsedScope.resources) {
      grants.addUserConsent(
        session.userId,
        request.clientId,
        resource.key,
        scopes.filter((s) => s !== '.default'),
      );
    }
    return issueCode(c, request, session);
  });

  /** After the user is known: assignment, consent, then the code. */
  function proceed(c: Context, interaction: Interaction, session: SsoSession) {
    const { request } = interaction;
    const user = directory.findUser(interaction.userId!)!;
    if (!assigned(request, user)) {
      ssoSessions.finishInteraction(interaction.id);
      return showError(c, notAssignedError(request, user));
    }
    const missing = missingConsent(request, user.id);
    if (missing.length > 0 || request.prompt === 'consent') {
      const asked = missing.length > 0 ? missing : request.parsedScope.resources;
      return htmlPage(
        c,
        (nonce) =>
          consentPage({
            nonce,
            tenantName: tenantName(),
            action: `/${encodeURIComponent(request.tenantSegment)}/consent`,
            interactionId: interaction.id,
            appName: request.app.displayName,
            username: user.userPrincipalName,
            permissions: [
              ...asked.flatMap(({ resource, scopes }) => scopes.map((s) => describeScope(resource, s))),
              ...(request.parsedScope.oidc.has('offline_access')
                ? ['Maintain access to data you have given it access to']
                : []),
            ],
          }),
        { formActions: formActionsFor(request) },
      );
    }
    ssoSessions.finishInteraction(interaction.id);
    return issueCode(c, request, session);
  }

  function issueCode(c: Context, request: AuthorizeRequest, session: SsoSession) {
    session.clients.add(request.clientId);
    const code = grants.issueCode(
      {
        clientId: request.clientId,
        userId: session.userId,
        sessionId: session.id,
        scope: request.scope,
        authTime: session.authTime,
        redirectUri: request.redirectUri,
        nonce: request.nonce,
        codeChallenge: request.codeChallenge,
        codeChallengeMethod: request.codeChallengeMethod,
      },
      ctx.clock(),
    );
    return deliver(c, request, {
      code,
      ...(request.state !== undefined ? { state: request.state } : {}),
      session_state: session.id,
    });
  }

  function deliverError(c: Context, request: PartialAuthorizeRequest & Deliverable, error: OAuthError) {
    const now = ctx.clock();
    const body = error.body(now);
    return deliver(c, request, {
      error: error.error,
      error_description: body.error_description,
      error_uri: body.error_uri,
      ...(error.suberror ? { suberror: error.suberror } : {}),
      ...(request.state !== undefined ? { state: request.state } : {}),
    });
  }

  function deliver(c: Context, request: Deliverable, fields: Record<string, string>) {
    if (request.responseMode === 'form_post') {
      return htmlPage(
        c,
        (nonce) => formPostPage({ nonce, tenantName: tenantName(), action: request.redirectUri, fields }),
        { formActions: formActionsFor(request) },
      );
    }
    const target = new URL(request.redirectUri);
    if (request.responseMode === 'fragment') {
      target.hash = new URLSearchParams(fields).toString();
    } else {
      for (const [key, value] of Object.entries(fields)) target.searchParams.set(key, value);
    }
    c.header('Cache-Control', 'no-store');
    return c.redirect(target.toString(), 302);
  }

  function renderSignIn(
    c: Context,
    interaction: Interaction,
    state: {
      username: string;
      step: 'credentials' | 'password';
      usernameError?: string;
      passwordError?: string;
    },
  ) {
    const { request } = interaction;
    return htmlPage(
      c,
      (nonce) =>
        signInPage({
          nonce,
          tenantName: tenantName(),
          action: loginAction(request.tenantSegment),
          interactionId: interaction.id,
          appName: request.app.displayName,
          ...state,
        }),
      { formActions: formActionsFor(request) },
    );
  }

  function showError(c: Context, error: OAuthError) {
    const detail = error.body(ctx.clock()).error_description;
    return htmlPage(
      c,
      (nonce) =>
        errorPage({
          nonce,
          tenantName: tenantName(),
          heading: "Sorry, but we're having trouble signing you in.",
          message: error.message,
          detail,
        }),
      { status: 400 },
    );
  }

  function expired(c: Context) {
    return htmlPage(
      c,
      (nonce) =>
        errorPage({
          nonce,
          tenantName: tenantName(),
          heading: 'Your sign-in timed out',
          message: 'This sign-in page is no longer valid. Go back to the application and sign in again.',
        }),
      { status: 400 },
    );
  }

  function currentSession(c: Context): SsoSession | undefined {
    const session = ssoSessions.byCookie(getCookie(c, SSO_COOKIE));
    if (!session && getCookie(c, SSO_COOKIE)) deleteCookie(c, SSO_COOKIE, { path: '/' });
    return session;
  }

  function missingConsent(
    request: AuthorizeRequest,
    userId: string,
  ): Array<{ resource: Resource; scopes: string[] }> {
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
  }

  function assigned(request: AuthorizeRequest, user: SeedUser): boolean {
    return !request.app.appRoleAssignmentRequired || directory.hasAssignment(request.app, user.id);
  }

  function notAssignedError(request: AuthorizeRequest, user: SeedUser) {
    return errors.notAssigned(user.userPrincipalName, request.clientId, request.app.displayName);
  }

  function matchesHint(user: SeedUser, hint: string): boolean {
    const oid = ctx.tokens.parseLoginHint(hint);
    if (oid) return oid.toLowerCase() === user.id.toLowerCase();
    const h = hint.toLowerCase();
    return user.userPrincipalName.toLowerCase() === h || user.mail?.toLowerCase() === h;
  }

  function hintedUsername(hint: string): string {
    const oid = ctx.tokens.parseLoginHint(hint);
    if (oid) return directory.findUser(oid)?.userPrincipalName ?? '';
    return hint;
  }

  return app;
}

function formActionsFor(request: Pick<AuthorizeRequest, 'redirectUri'>): string[] {
  const origin = originOf(request.redirectUri);
  return origin ? [origin] : [];
}

function describeScope(resource: Resource, scope: string): string {
  const label =
    resource.kind === 'graph'
      ? 'Microsoft Graph'
      : resource.kind === 'sharepoint'
        ? 'SharePoint'
        : resource.app?.displayName;
  return `${scope} (${label})`;
}
