import { useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/layouts/auth-layout';
import { Alert } from '../../components/ui/alert';
import { SignInAction } from '../../features/auth/components/sign-in-action';
import { toReturnTo } from '../../lib/return-to';

const setupProblem =
  "Gatehouse's sign-in isn't set up correctly yet. Your administrator needs to fix it: give them the code below.";
const tryAgainLater = "Microsoft's sign-in service couldn't be reached. Wait a moment and try again.";
const startAgain = 'Sign-in took too long or was started in another tab. Please start again.';

/**
 * A sentence for the user per code the BFF sends (its `signInErrorCodes`), plus the raw OAuth and
 * AADSTS codes a provider may pass through. Anything else gets the general sentence.
 */
const summaries: Record<string, string> = {
  access_denied: 'Sign-in was cancelled or refused before it finished.',
  consent_required:
    'Your organisation has not yet approved Gatehouse. An administrator needs to grant consent.',
  not_assigned: "Your account isn't assigned to Gatehouse yet. Ask your administrator to add you.",
  interaction_required:
    'Your organisation needs one more step from you (such as multi-factor authentication). Please try again.',
  invalid_state: startAgain,
  login_expired: startAgain,
  provider_unavailable: tryAgainLater,
  temporarily_unavailable: tryAgainLater,
  redirect_uri_mismatch: setupProblem,
  invalid_client: setupProblem,
  client_secret_expired: setupProblem,
  response_type_disabled: setupProblem,
  wrong_tenant: setupProblem,
  wrong_client: setupProblem,
  AADSTS65001: 'Your organisation has not yet approved Gatehouse. An administrator needs to grant consent.',
  AADSTS50105: "Your account isn't assigned to Gatehouse yet. Ask your administrator to add you.",
  AADSTS50011: setupProblem,
};

export function signInErrorSummary(code: string): string {
  const aadsts = code.match(/AADSTS\d+/)?.[0];
  return (
    summaries[code] ??
    (aadsts ? summaries[aadsts] : undefined) ??
    "Something went wrong between Gatehouse and your organisation's sign-in service. Trying again often helps; if it keeps happening, give your administrator the code below."
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
