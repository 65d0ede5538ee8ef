import type { INavigationClient, NavigationOptions } from '@azure/msal-browser';

/**
 * msal's navigation seam, used for every full-page navigation (to the BFF's sign-in, to the provider's
 * end-session page). Tests inject their own instead of touching `window.location`.
 */
export function createBrowserNavigationClient(
  target: Pick<Location, 'assign' | 'replace'> = window.location,
) {
  const navigate = (url: string, options: NavigationOptions): Promise<boolean> => {
    if (options.noHistory) target.replace(url);
    else target.assign(url);
    return Promise.resolve(true);
  };
  const client: INavigationClient = { navigateInternal: navigate, navigateExternal: navigate };
  return client;
}
