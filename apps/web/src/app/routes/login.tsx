import { InteractionStatus } from '@azure/msal-browser';
import { useIsAuthenticated, useMsal } from '@azure/msal-react';
import type { PublicConfig } from '@gatehouse/contracts';
import { useEffect, useRef } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/layouts/auth-layout';
import { Alert, RetryAlert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Skeleton } from '../../components/ui/skeleton';
import { Spinner } from '../../components/ui/spinner';
import { useSignInRedirect } from '../../features/auth/use-sign-in-redirect';
import { useConfig } from '../../features/config/api/get-config';
import { toReturnTo } from '../../lib/return-to';

function MicrosoftLogo() {
  return (
    <svg className="gh-login-icon" viewBox="0 0 21 21" aria-hidden="true" focusable="false">
      <rect x="1" y="1" width="9" height="9" fill="#f25022" />
      <rect x="11" y="1" width="9" height="9" fill="#7fba00" />
      <rect x="1" y="11" width="9" height="9" fill="#00a4ef" />
      <rect x="11" y="11" width="9" height="9" fill="#ffb900" />
    </svg>
  );
}

function SignInButton({
  config,
  isRedirecting,
  onClick,
}: {
  config: PublicConfig;
  isRedirecting: boolean;
  onClick: () => void;
}) {
  const icon = config.imageUrl ? (
    <img className="gh-login-icon" src={config.imageUrl} alt="" />
  ) : (
    <MicrosoftLogo />
  );
  return (
    <Button size="lg" icon={icon} onClick={onClick} isLoading={isRedirecting}>
      {isRedirecting ? 'Redirecting to sign-in…' : config.buttonLabel}
    </Button>
  );
}

export default function LoginRoute() {
  const [params] = useSearchParams();
  const returnTo = toReturnTo(params.get('returnTo'));
  // `?signedOut=1` from this app, or `?state=signed_out` echoed by the provider's end-session page.
  const signedOut = params.get('signedOut') === '1' || params.get('state') === 'signed_out';
  const { inProgress } = useMsal();
  const isAuthenticated = useIsAuthenticated();
  const config = useConfig();
  const { start, isRedirecting, error: signInError } = useSignInRedirect();
  const autoStarted = useRef(false);
  // msal-react is still reading the session; after that (including "redirect in progress") the page is ready.
  const ready = inProgress !== InteractionStatus.Startup && inProgress !== InteractionStatus.HandleRedirect;

  const signIn = () => start({ redirectStartPage: returnTo });

  // OPENID_AUTO_REDIRECT: straight to the provider, except right after signing out (or it would sign
  // the user back in at once) and when there is something on this page the user has to read.
  const shouldAutoRedirect =
    ready &&
    !isAuthenticated &&
    !signedOut &&
    !signInError &&
    config.status === 'success' &&
    config.data.socialLogin &&
    config.data.autoRedirect;
  // biome-ignore lint/correctness/useExhaustiveDependencies: signIn is recreated each render; run once.
  useEffect(() => {
    if (!shouldAutoRedirect || autoStarted.current) return;
    autoStarted.current = true;
    signIn();
  }, [shouldAutoRedirect]);

  if (isAuthenticated) return <Navigate to={returnTo} replace />;

  return (
    <AuthLayout title="Sign in">
      <h1>Sign in to Gatehouse</h1>
      <p className="gh-auth__lead">Use your organisation's Microsoft account to continue.</p>
      {signedOut ? (
        <Alert variant="success" live="status" title="You've signed out">
          You can close this tab, or sign in again below.
        </Alert>
      ) : null}
      {signInError ? (
        <Alert variant="error" live="alert" title="Sign-in couldn't start">
          {signInError}
        </Alert>
      ) : null}
      <div className="gh-auth__actions" aria-busy={!ready || config.status === 'pending'}>
        {!ready || config.status === 'pending' ? (
          <>
            <Skeleton height="lg" />
            <span className="gh-visually-hidden">
              <Spinner size="sm" label="Loading sign-in options…" />
            </span>
          </>
        ) : config.status === 'error' ? (
          <RetryAlert title="We couldn't load the sign-in options" onRetry={() => config.refetch()}>
            The Gatehouse server didn't answer ({config.error.message}).
          </RetryAlert>
        ) : config.data.socialLogin ? (
          <SignInButton config={config.data} isRedirecting={isRedirecting} onClick={signIn} />
        ) : (
          <Alert variant="warning" title="Sign-in isn't turned on">
            <p>
              No sign-in method is enabled on this server. An operator can turn on Microsoft sign-in by
              setting <code>ALLOW_SOCIAL_LOGIN=true</code> (with the <code>OPENID_*</code> settings) and
              restarting Gatehouse.
            </p>
          </Alert>
        )}
      </div>
    </AuthLayout>
  );
}
