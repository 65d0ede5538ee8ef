import type { Context } from 'hono';
import type { EmulatorContext } from '../../context';
import type { SeedUser } from '../../seed/types';
import { htmlPage } from '../http';
import type { OAuthError } from '../oauth-error';
import type { Resource } from '../resources';
import { accountPickerPage, consentPage, errorPage, signInPage } from '../sign-in/pages';
import type { Interaction } from '../sso-session-store';
import { formActionsFor } from './response-modes';

export interface SignInState {
  username: string;
  step: 'credentials' | 'password';
  usernameError?: string;
  passwordError?: string;
}

export type InteractionPages = ReturnType<typeof createInteractionPages>;

/** The pages an authorize interaction shows, with the form actions and CSP each one needs. */
export function createInteractionPages(ctx: Pick<EmulatorContext, 'directory' | 'clock'>) {
  const tenantName = () => ctx.directory.tenant.displayName;
  const action = (tenantSegment: string, step: string) => `/${encodeURIComponent(tenantSegment)}/${step}`;

  return {
    signIn(c: Context, interaction: Interaction, state: SignInState) {
      const { request } = interaction;
      return htmlPage(
        c,
        (nonce) =>
          signInPage({
            nonce,
            tenantName: tenantName(),
            action: action(request.tenantSegment, 'login'),
            interactionId: interaction.id,
            appName: request.app.displayName,
            ...state,
          }),
        { formActions: formActionsFor(request) },
      );
    },

    accountPicker(c: Context, interaction: Interaction, account: SeedUser) {
      return htmlPage(c, (nonce) =>
        accountPickerPage({
          nonce,
          tenantName: tenantName(),
          action: action(interaction.request.tenantSegment, 'select-account'),
          interactionId: interaction.id,
          appName: interaction.request.app.displayName,
          account: { displayName: account.displayName, username: account.userPrincipalName },
        }),
      );
    },

    consent(
      c: Context,
      interaction: Interaction,
      user: SeedUser,
      asked: ReadonlyArray<{ resource: Resource; scopes: readonly string[] }>,
    ) {
      const { request } = interaction;
      return htmlPage(
        c,
        (nonce) =>
          consentPage({
            nonce,
            tenantName: tenantName(),
            action: action(request.tenantSegment, 'consent'),
            interactionId: interaction.id,
            appName: request.app.displayName,
            username: user.userPrincipalName,
            permissions: [
              ...asked.flatMap(({ resource, scopes }) => scopes.map((s) => describeScope(resource, s))),
              ...(request.parsedScope.oidc.has('offline_access')
                ? ['Maintain access to data you have given it access to']
                : []),
            ],
          }),
        { formActions: formActionsFor(request) },
      );
    },

    /** An error that must not go back to the app (its redirect URI is not trusted, or the user is refused). */
    error(c: Context, error: OAuthError) {
      const detail = error.body(ctx.clock()).error_description;
      return htmlPage(
        c,
        (nonce) =>
          errorPage({
            nonce,
            tenantName: tenantName(),
            heading: "Sorry, but we're having trouble signing you in.",
            message: error.message,
            detail,
          }),
        { status: 400 },
      );
    },

    expired(c: Context) {
      return htmlPage(
        c,
        (nonce) =>
          errorPage({
            nonce,
            tenantName: tenantName(),
            heading: 'Your sign-in timed out',
            message: 'This sign-in page is no longer valid. Go back to the application and sign in again.',
          }),
        { status: 400 },
      );
    },
  };
}

function describeScope(resource: Resource, scope: string): string {
  const label =
    resource.kind === 'graph'
      ? 'Microsoft Graph'
      : resource.kind === 'sharepoint'
        ? 'SharePoint'
        : resource.app?.displayName;
  return `${scope} (${label})`;
}
