import { type SignInErrorCode, signInErrorCodeSchema } from '@gatehouse/contracts';
import { useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/layouts/auth-layout';
import { Alert } from '../../components/ui/alert';
import { SignInAction } from '../../features/auth/components/sign-in-action';
import { toReturnTo } from '../../lib/return-to';

const setupProblem =
  "Gatehouse's sign-in isn't set up correctly yet. Your administrator needs to fix it: give them the code below.";
const tryAgainLater = "Microsoft's sign-in service couldn't be reached. Wait a moment and try again.";
const startAgain = 'Sign-in took too long or was started in another tab. Please start again.';
const notApproved =
  'Your organisation has not yet approved Gatehouse. An administrator needs to grant consent.';
const notAssigned = "Your account isn't assigned to Gatehouse yet. Ask your administrator to add you.";
const general =
  "Something went wrong between Gatehouse and your organisation's sign-in service. Trying again often helps; if it keeps happening, give your administrator the code below.";

/** A sentence for the user per code the BFF sends: a code without one does not compile. */
const summaries: Record<SignInErrorCode, string> = {
  access_denied: 'Sign-in was cancelled or refused before it finished.',
  consent_required: notApproved,
  not_assigned: notAssigned,
  interaction_required:
    'Your organisation needs one more step from you (such as multi-factor authentication). Please try again.',
  invalid_state: startAgain,
  provider_unavailable: tryAgainLater,
  redirect_uri_mismatch: setupProblem,
  invalid_client: setupProblem,
  client_secret_expired: setupProblem,
  response_type_disabled: setupProblem,
  wrong_tenant: setupProblem,
  wrong_client: setupProblem,
  clock_skew:
    "The Gatehouse server's clock doesn't match Microsoft's, so your sign-in couldn't be checked. Your administrator needs to correct the server's time: give them the code below.",
  invalid_token:
    "Gatehouse couldn't verify the answer from your organisation's sign-in service, so it didn't sign you in. Please start again; if it keeps happening, give your administrator the code below.",
  provider_error:
    "Your organisation's sign-in service reported a problem and didn't sign you in. Please try again in a moment; if it keeps happening, give your administrator the code below.",
  internal:
    'Gatehouse ran into an unexpected problem while signing you in. Please try again; if it keeps happening, give your administrator the code below.',
};

/** Raw OAuth error codes and AADSTS numbers a provider may pass through unchanged. */
const providerSummaries: Record<string, string> = {
  temporarily_unavailable: tryAgainLater,
  AADSTS65001: notApproved,
  AADSTS50105: notAssigned,
  AADSTS50011: setupProblem,
};

export function signInErrorSummary(code: string): string {
  const known = signInErrorCodeSchema.safeParse(code);
  if (known.success) return summaries[known.data];
  const aadsts = code.match(/AADSTS\d+/)?.[0];
  return (
    (Object.hasOwn(providerSummaries, code) ? providerSummaries[code] : undefined) ??
    (aadsts ? providerSummaries[aadsts] : undefined) ??
    general
  );
}

/** Codes are OAuth error codes, AADSTS numbers or the BFF's own: short words, nothing else. */
function readCode(value: string | null): string {
  const code = value?.trim() ?? '';
  return /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : 'unknown_error';
}

export default function SignInErrorRoute() {
  const [params] = useSearchParams();
  const code = readCode(params.get('code'));
  // The BFF adds the operator's hint only in development. In a production build a hint in the URL
  // is someone else's text (anyone can craft this link), so it is not shown.
  const hint = import.meta.env.DEV ? params.get('hint')?.trim() || null : null;
  const returnTo = toReturnTo(params.get('returnTo'));

  return (
    <AuthLayout title="Sign-in problem">
      <h1>We couldn't sign you in</h1>
      <p className="gh-auth__lead">{signInErrorSummary(code)}</p>
      <dl className="gh-auth__detail">
        <dt>Error code</dt>
        <dd>
          <code>{code}</code>
        </dd>
      </dl>
      {hint ? (
        <Alert variant="info" title="For the operator (shown in development only)">
          {hint}
        </Alert>
      ) : null}
      <SignInAction label="Try again" request={{ redirectStartPage: returnTo }} />
    </AuthLayout>
  );
}
