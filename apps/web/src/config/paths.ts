import { routes, spaPaths } from '@gatehouse/contracts';
import { toReturnTo } from '../lib/return-to';

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** Every route of the SPA, and of the BFF that the SPA navigates to, with how to link to it. */
export const paths = {
  home: { path: '/', getHref: () => '/' },
  conversations: {
    path: '/conversations',
    getHref: (filter?: 'shared') => withQuery('/conversations', { filter }),
  },
  conversation: {
    path: '/conversations/:conversationId',
    getHref: (id: string) => `/conversations/${encodeURIComponent(id)}`,
  },
  login: {
    path: spaPaths.login,
    getHref: (options: { returnTo?: string; signedOut?: boolean } = {}) => {
      const returnTo = toReturnTo(options.returnTo);
      return withQuery(spaPaths.login, {
        returnTo: returnTo === '/' ? undefined : returnTo,
        signedOut: options.signedOut ? '1' : undefined,
      });
    },
  },
  accessDenied: {
    path: spaPaths.accessDenied,
    getHref: (roles: readonly string[] = []) =>
      withQuery(spaPaths.accessDenied, { roles: roles.join(',') || undefined }),
  },
  signInError: {
    path: spaPaths.signInError,
    getHref: (code: string, hint?: string) => withQuery(spaPaths.signInError, { code, hint }),
  },
  /** The BFF's sign-in start: a full-page navigation, never a fetch. */
  bffLogin: {
    path: routes.login,
    getHref: (options: { returnTo?: string; prompt?: 'select_account' | 'login' | 'consent' } = {}) =>
      withQuery(routes.login, { returnTo: toReturnTo(options.returnTo), prompt: options.prompt }),
  },
} as const;
