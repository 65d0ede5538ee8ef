/** The BFF's fixed routes, named once (Duende's `ManagementEndpoints`). */
export const routes = {
  login: '/oauth/openid',
  callback: '/oauth/openid/callback',
  frontChannelLogout: '/oauth/openid/frontchannel-logout',
  session: '/api/auth/session',
  logout: '/api/auth/logout',
  /** Why the last sign-in of this browser was refused (the access-denied page reads it). */
  accessDenied: '/api/auth/access-denied',
  config: '/api/config',
  mePhoto: '/api/me/photo',
  health: '/healthz',
  ready: '/readyz',
} as const;

/** Every `/api/*` request carries this header; its absence is a 401 `csrf`. */
export const csrfHeader = { name: 'X-CSRF', value: '1' } as const;

/** Where the SPA sends a user who was refused, and the login page. */
export const spaPaths = {
  login: '/login',
  accessDenied: '/access-denied',
  signInError: '/sign-in-error',
} as const;
