import type { ErrorReason } from '@gatehouse/contracts';
import { useLocation } from 'react-router';
import { AuthLayout } from '../../../components/layouts/auth-layout';
import { Alert } from '../../../components/ui/alert';
import { SignInAction } from './sign-in-action';

const explanations: Partial<Record<ErrorReason, string>> = {
  idle_timeout: 'You were signed out after a period of inactivity.',
  absolute_timeout: 'Sessions last a limited time, and yours has reached its limit.',
  signed_out: 'You signed out in another tab or window.',
  revoked: 'Your sign-in was revoked, for example by an administrator or after a password change.',
  role_removed: 'Your access to Gatehouse was removed. Ask your administrator if you still need it.',
  id_token_invalid:
    'Your sign-in could not be renewed safely, so you were signed out. If this happens again, tell your administrator.',
  token_expired: 'Your sign-in has expired.',
  claims_challenge:
    'Your organisation asks you to verify your identity again (for example with multi-factor authentication) before you can continue.',
  consent_required:
    'Your organisation needs you to sign in again, for example to complete multi-factor authentication or to accept new permissions.',
};

export function sessionEndedExplanation(reason: ErrorReason): string {
  return explanations[reason] ?? 'Your sign-in is no longer valid.';
}

/** Shown in place of a signed-in page whose session ended: same URL, and signing in comes back here. */
export function SessionEnded({ reason }: { reason: ErrorReason }) {
  const location = useLocation();
  const here = `${location.pathname}${location.search}${location.hash}`;
  return (
    <AuthLayout title="Session ended">
      <h1>Your session has ended — sign in again</h1>
      <Alert variant="warning" live="alert" title="You're signed out">
        {sessionEndedExplanation(reason)}
      </Alert>
      <p className="gh-auth__lead">Sign in again and you'll come straight back to this page.</p>
      <SignInAction label="Sign in again" request={{ redirectStartPage: here }} />
    </AuthLayout>
  );
}
