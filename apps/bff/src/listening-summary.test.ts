import { describe, expect, it } from 'vitest';
import { listeningSummary } from './listening-summary';

describe('listeningSummary', () => {
  it('names the exact redirect, post-logout and front-channel logout URIs to register', () => {
    const config = {
      HOST: '0.0.0.0',
      DOMAIN_SERVER: 'https://chat.contoso.com',
      redirectUri: 'https://chat.contoso.com/oauth/openid/callback',
      OPENID_POST_LOGOUT_REDIRECT_URI: 'https://chat.contoso.com/login',
    };
    expect(listeningSummary(config, 3080, undefined)).toEqual({
      url: 'http://0.0.0.0:3080',
      domain: 'https://chat.contoso.com',
      redirectUri: 'https://chat.contoso.com/oauth/openid/callback',
      postLogoutRedirectUri: 'https://chat.contoso.com/login',
      frontChannelLogoutUrl: 'https://chat.contoso.com/oauth/openid/frontchannel-logout',
      spa: 'not served (no apps/web/dist)',
    });
  });
});
