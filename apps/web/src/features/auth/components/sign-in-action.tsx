import type { RedirectRequest } from '@azure/msal-browser';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import { useSignInRedirect } from '../use-sign-in-redirect';

/** The primary action of a signed-out page: start a sign-in, and say so if it could not start. */
export function SignInAction({
  label,
  request,
}: {
  label: string;
  request: Omit<RedirectRequest, 'scopes'>;
}) {
  const { start, isRedirecting, error } = useSignInRedirect();
  return (
    <>
      {error ? (
        <Alert variant="error" live="alert" title="Sign-in couldn't start">
          {error}
        </Alert>
      ) : null}
      <div className="gh-auth__actions">
        <Button size="lg" onClick={() => start(request)} isLoading={isRedirecting}>
          {isRedirecting ? 'Redirecting to sign-in…' : label}
        </Button>
      </div>
    </>
  );
}
