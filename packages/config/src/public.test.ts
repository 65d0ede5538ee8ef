import { publicConfigSchema } from '@gatehouse/contracts';
import { describe, expect, it } from 'vitest';
import { CLIENT_SECRET, SESSION_SECRET, validEnv } from '../test/fixtures/env';
import { withChanges } from '../test/fixtures/issues';
import { loadConfig } from './load';
import { toPublicConfig } from './public';
import { credentialUrlVariables, envVariables, secretVariables } from './schema';

describe('toPublicConfig', () => {
  it('carries the login button and the features that are on', () => {
    const config = loadConfig(
      withChanges(validEnv(), {
        OPENID_BUTTON_LABEL: 'Sign in with Contoso',
        OPENID_IMAGE_URL: '/assets/contoso.svg',
      }),
    );
    expect(toPublicConfig(config)).toEqual({
      socialLogin: true,
      buttonLabel: 'Sign in with Contoso',
      imageUrl: '/assets/contoso.svg',
      autoRedirect: false,
      peopleSearch: true,
      sharepointPicker: { enabled: true, baseUrl: 'https://contoso.sharepoint.com' },
    });
  });

  it('omits the SharePoint address when the picker is off, and the image when there is none', () => {
    const config = loadConfig(withChanges(validEnv(), { ENABLE_SHAREPOINT_FILEPICKER: 'false' }));
    const publicConfig = toPublicConfig(config);
    expect(publicConfig.sharepointPicker).toEqual({ enabled: false });
    expect('imageUrl' in publicConfig).toBe(false);
    expect(publicConfig.buttonLabel).toBe('Continue with OpenID');
  });

  it('matches the contract the SPA parses', () => {
    const publicConfig = toPublicConfig(loadConfig(validEnv()));
    expect(publicConfigSchema.strict().parse(publicConfig)).toEqual(publicConfig);
  });

  it('never contains a secret, an id of the app or any server-side setting', () => {
    const env = withChanges(validEnv(), {
      OPENID_SESSION_SECRET_PREVIOUS: 'former-session-secret-former-session-secret',
      DATABASE_URL: 'postgres://gatehouse:db-password-xyz@db:5432/gatehouse',
      PROXY: 'http://proxy-user:proxy-password-xyz@proxy:3128',
    });
    const config = loadConfig(env);
    const json = JSON.stringify(toPublicConfig(config));
    const hidden = [
      CLIENT_SECRET,
      SESSION_SECRET,
      'former-session-secret-former-session-secret',
      'db-password-xyz',
      'proxy-password-xyz',
      config.OPENID_CLIENT_ID,
      config.OPENID_ISSUER,
      config.DOMAIN_SERVER,
      ...config.OPENID_GRAPH_SCOPES,
      config.SHAREPOINT_PICKER_SHAREPOINT_SCOPE ?? 'missing',
    ];
    for (const value of hidden) expect(json).not.toContain(value);
    for (const variable of [...secretVariables, ...credentialUrlVariables]) {
      expect(json).not.toContain(variable);
      expect(envVariables).toContain(variable);
    }
  });

  it('copies by allow-list, so a variable added to the config later cannot leak', () => {
    const config = loadConfig(validEnv());
    const future = { ...config, OPENID_FUTURE_SECRET: 'future-secret-value' } as typeof config;
    expect(JSON.stringify(toPublicConfig(future))).not.toContain('future-secret-value');
  });
});
