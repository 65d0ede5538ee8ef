import type { AccessDeniedResponse } from '@gatehouse/contracts';
import type { Context, Handler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../app-env';
import type { RefusedTenant } from './tenant-allow-list';

/**
 * What a refused sign-in lacked, for the SPA's access-denied page: the required groups' display
 * names, or the organisation that is not allowed, travel in a short-lived `__Host-` HttpOnly cookie,
 * not in the page's URL. A link anyone can write would let them put their own text on our origin
 * ("Required group: call +1 555 …"); a `__Host-` cookie can only be set by this origin, so the page
 * shows what the BFF decided.
 */
const NAME = 'gatehouse-denied';
const MAX_AGE_SECONDS = 10 * 60;
const MAX_GROUPS = 20;
const MAX_NAME_LENGTH = 256;
const guidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const domainShape = /^[a-z0-9.-]{1,253}$/;

const cookieOptions = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', prefix: 'host' } as const;

/** Remembers, for this browser, the groups a refused sign-in lacked. */
export function rememberDenial(c: Context, requiredGroups: readonly string[]): void {
  const groups = requiredGroups.slice(0, MAX_GROUPS).map((name) => name.slice(0, MAX_NAME_LENGTH));
  write(c, { groups });
}

/** Remembers, for this browser, that the user's organisation is not on OPENID_ALLOWED_TENANTS. */
export function rememberTenantDenial(c: Context, tenant: RefusedTenant): void {
  write(c, { tenant });
}

/** A refusal with nothing to remember (the roles go in the URL): no earlier refusal's words remain. */
export function forgetDenial(c: Context): void {
  deleteCookie(c, NAME, cookieOptions);
}

function write(c: Context, denial: Record<string, unknown>): void {
  setCookie(c, NAME, Buffer.from(JSON.stringify(denial)).toString('base64url'), {
    ...cookieOptions,
    maxAge: MAX_AGE_SECONDS,
  });
}

/** `GET /api/auth/access-denied`: the remembered denial, or nothing to say. */
export function createAccessDeniedHandler(): Handler<AppEnv> {
  return (c) => {
    c.header('Cache-Control', 'no-store');
    const body: AccessDeniedResponse = readDenial(getCookie(c, NAME, 'host'));
    return c.json(body);
  };
}

function readDenial(value: string | undefined): AccessDeniedResponse {
  const nothing = { requiredGroups: [] };
  if (!value) return nothing;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as {
      groups?: unknown;
      tenant?: { tenantId?: unknown; domain?: unknown };
    };
    const tenant = readTenant(parsed.tenant);
    if (tenant) return { requiredGroups: [], tenant };
    if (!Array.isArray(parsed.groups)) return nothing;
    return {
      requiredGroups: parsed.groups
        .filter((name): name is string => typeof name === 'string' && name.length > 0)
        .slice(0, MAX_GROUPS)
        .map((name) => name.slice(0, MAX_NAME_LENGTH)),
    };
  } catch {
    return nothing;
  }
}

/** Only a tenant id and a domain shaped as such: the cookie is ours, but the page shows it verbatim. */
function readTenant(value: { tenantId?: unknown; domain?: unknown } | undefined): RefusedTenant | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { tenantId, domain } = value;
  if (typeof tenantId !== 'string' || !(tenantId === '' || guidShape.test(tenantId))) return undefined;
  return {
    tenantId,
    ...(typeof domain === 'string' && domainShape.test(domain) ? { domain } : {}),
  };
}
