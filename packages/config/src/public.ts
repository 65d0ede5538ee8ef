/**
 * The part of the configuration the browser may see (`GET /api/config`). Fields are copied one by
 * one from an allow-list, never spread, so a variable added to the schema cannot leak by accident.
 */
import { type PublicConfig, publicConfigSchema } from '@gatehouse/contracts';
import type { Config } from './load';

export type { PublicConfig };

export function toPublicConfig(config: Config): PublicConfig {
  const pickerEnabled = config.ENABLE_SHAREPOINT_FILEPICKER;
  const publicConfig: PublicConfig = {
    socialLogin: config.ALLOW_SOCIAL_LOGIN,
    buttonLabel: config.OPENID_BUTTON_LABEL,
    ...(config.OPENID_IMAGE_URL ? { imageUrl: config.OPENID_IMAGE_URL } : {}),
    autoRedirect: config.OPENID_AUTO_REDIRECT,
    peopleSearch: config.USE_ENTRA_ID_FOR_PEOPLE_SEARCH,
    sharepointPicker:
      pickerEnabled && config.SHAREPOINT_BASE_URL
        ? { enabled: true, baseUrl: config.SHAREPOINT_BASE_URL }
        : { enabled: false },
  };
  // Strict: the contract's schema describes everything the SPA gets, and nothing else gets through.
  return publicConfigSchema.strict().parse(publicConfig);
}
