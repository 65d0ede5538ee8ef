import { Hono } from 'hono';
import { readParams } from '../../http';
import type { AuthorizeKit } from '../authorize-kit';
import { currentSsoSession, setSsoCookie } from '../sso-cookie';

/**
 * Entra's sign-in page: `loginfmt` first, then `passwd`, with Entra's own messages for an unknown
 * user, a locked account and a wrong password. Success starts a new SSO session (rotating any old one).
 */
export function createLoginRoutes(kit: AuthorizeKit) {
  const { ctx, pages, proceed } = kit;
  const { directory, ssoSessions } = ctx;
  const app = new Hono();

  app.get('/:tenant/login', (c) => {
    const interaction = ssoSessions.interaction(c.req.query('ctx'), ctx.clock());
    if (!interaction) return pages.expired(c);
    return pages.signIn(c, interaction, { username: '', step: 'credentials' });
  });

  app.post('/:tenant/login', async (c) => {
    const form = await readParams(c);
    const interaction = ssoSessions.interaction(form.ctx, ctx.clock());
    if (!interaction) return pages.expired(c);
    const username = (form.loginfmt ?? '').trim();
    const password = form.passwd ?? '';
    const fromPasswordStep = form.step === 'password';
    if (!username) {
      return pages.signIn(c, interaction, {
        username,
        step: 'credentials',
        usernameError: 'Enter a valid email address, phone number, or Skype name.',
      });
    }
    // Whichever organisation the user belongs to: the tenant is checked once they are known (proceed).
    const user = directory
      .allUsers()
      .find(
        (u) =>
          u.userPrincipalName.toLowerCase() === username.toLowerCase() ||
          u.mail?.toLowerCase() === username.toLowerCase(),
      );
    if (!user) {
      return pages.signIn(c, interaction, {
        username,
        step: 'credentials',
        usernameError:
          'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
      });
    }
    if (!password) {
      return pages.signIn(c, interaction, {
        username: user.userPrincipalName,
        step: 'password',
        ...(fromPasswordStep ? { passwordError: 'Please enter your password.' } : {}),
      });
    }
    if (user.accountEnabled === false) {
      return pages.signIn(c, interaction, {
        username: user.userPrincipalName,
        step: 'password',
        passwordError:
          'Your account has been locked. Contact your support person to unlock it, then try again.',
      });
    }
    if (password !== user.password) {
      return pages.signIn(c, interaction, {
        username: user.userPrincipalName,
        step: 'password',
        passwordError:
          "Your account or password is incorrect. If you don't remember your password, reset it now.",
      });
    }
    const previous = currentSsoSession(c, ssoSessions);
    if (previous) ssoSessions.end(previous);
    const now = ctx.clock();
    const session = ssoSessions.create(user.id, now);
    setSsoCookie(c, session, { secure: ctx.baseUrl.startsWith('https:') });
    interaction.userId = user.id;
    interaction.authTime = now;
    return proceed(c, interaction, session);
  });

  return app;
}
