import type { Config } from '@gatehouse/config';
import { routes } from '@gatehouse/contracts';

/**
 * What the start-up line says: where the BFF listens and the exact URIs it sends to the provider, so
 * an operator can compare them with the app registration (Entra answers AADSTS50011 for a redirect
 * URI it does not know, and a proxy in front changes what the BFF believes its origin is).
 */
export function listeningSummary(
  config: Pick<Config, 'HOST' | 'DOMAIN_SERVER' | 'redirectUri' | 'OPENID_POST_LOGOUT_REDIRECT_URI'>,
  port: number,
  spa: string | undefined,
) {
  return {
    url: `http://${config.HOST}:${port}`,
    domain: config.DOMAIN_SERVER,
    redirectUri: config.redirectUri,
    postLogoutRedirectUri: config.OPENID_POST_LOGOUT_REDIRECT_URI,
    frontChannelLogoutUrl: `${config.DOMAIN_SERVER}${routes.frontChannelLogout}`,
    spa: spa ?? 'not served (no apps/web/dist)',
  };
}
