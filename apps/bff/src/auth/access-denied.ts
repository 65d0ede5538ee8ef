import type { AccessDeniedResponse } from '@gatehouse/contracts';
import type { Context, Handler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';

/**
 * What a refused sign-in lacked, for the SPA's access-denied page: the required groups' display
 * names travel in a short-lived `__Host-` HttpOnly cookie, not in the page's URL. A link anyone can
 * write would let them put their own text on our origin ("Required group: call +1 555 …"); a
 * `__Host-` cookie can only be set by this origin, so the page shows what the BFF decided.
 */
const NAME = 'gatehouse-denied';
const MAX_AGE_SECONDS = 10 * 60;
const MAX_GROUPS = 20;
const MAX_NAME_LENGTH = 256;

const cookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', prefix: 'host' } as const;

/** Remembers, for this browser, the groups a refused sign-in lacked. */
export function rememberDenial(c: Context, requiredGroups: readonly string[]): void {
  const groups = requiredGroups.slice(0, MAX_GROUPS).map((name) => name.slice(0, MAX_NAME_LENGTH));
  setCookie(c, NAME, Buffer.from(JSON.stringify({ groups })).toString('base64url'), {
    ...cookieOptions,
    maxAge: MAX_AGE_SECONDS,
  });
}

/** `GET /api/auth/access-denied`: the remembered denial, or nothing to say. */
export function createAccessDeniedHandler(): Handler<AppEnv> {
  return (c) => {
    c.header('Cache-Control', 'no-store');
    const body: AccessDeniedResponse = { requiredGroups: readDenial(getCookie(c, NAME, 'host')) };
    return c.json(body);
  };
}

function readDenial(value: string | undefined): string[] {
  if (!value) return [];
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { groups?: unknown };
    if (!Array.isArray(parsed.groups)) return [];
    return parsed.groups
      .filter((name): name is string => typeof name === 'string' && name.length > 0)
      .slice(0, MAX_GROUPS)
      .map((name) => name.slice(0, MAX_NAME_LENGTH));
  } catch {
    return [];
  }
}
