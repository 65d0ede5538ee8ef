import type { PublicConfig, SessionResponse } from '@gatehouse/contracts';

export const contosoTenantId = '8c25abde-3c6d-4ca1-8ffc-69c01267db6e';

/** A BFF session, valid for `idleMinutes` (idle) and 8 hours (absolute) from now. */
export function sessionFor(
  user: Partial<SessionResponse['user']> & { name: string },
  options: { idleMinutes?: number; now?: number } = {},
): SessionResponse {
  const now = options.now ?? Date.now();
  const username = user.username ?? `${user.name.split(' ')[0]?.toLowerCase()}@contoso.test`;
  return {
    user: {
      id: user.id ?? `user-${username}`,
      name: user.name,
      email: user.email ?? username,
      username,
      tenantId: user.tenantId ?? contosoTenantId,
      roles: user.roles ?? ['Gatehouse.User'],
    },
    expiresAt: new Date(now + (options.idleMinutes ?? 30) * 60_000).toISOString(),
    absoluteExpiresAt: new Date(now + 8 * 3_600_000).toISOString(),
  };
}

export const adele = () => sessionFor({ id: 'u-adele', name: 'Adele Vance', username: 'adele@contoso.test' });
export const megan = () => sessionFor({ id: 'u-megan', name: 'Megan Bowen', username: 'megan@contoso.test' });

export const defaultConfig = (): PublicConfig => ({
  socialLogin: true,
  buttonLabel: 'Continue with Microsoft',
  autoRedirect: false,
  peopleSearch: true,
  sharepointPicker: { enabled: true, baseUrl: 'http://127.0.0.1:3091' },
});
