import type { AccessDeniedResponse } from '@gatehouse/contracts';
import { useSearchParams } from 'react-router';
import { AuthLayout } from '../../components/layouts/auth-layout';
import { paths } from '../../config/paths';
import { useAccessDenied } from '../../features/auth/api/get-access-denied';
import { SignInAction } from '../../features/auth/components/sign-in-action';

/** What a role value or group id looks like; anything else in the URL is not the BFF's. */
const roleShape = /^[\p{L}\p{N} ._:/@-]{1,120}$/u;
const MAX_ROLES = 10;

/**
 * `?roles=A,B` → ['A', 'B'] (trimmed, no blanks, no duplicates). Anyone can craft this link, so only
 * role-shaped values are shown, and at most ten: the page must not become a billboard for someone
 * else's text on our origin.
 */
export function parseRoles(value: string | null): string[] {
  return [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((role) => role.trim())
        .filter((role) => roleShape.test(role)),
    ),
  ].slice(0, MAX_ROLES);
}

/** "Sign in as someone else": select_account, so the refused account is not signed in again silently. */
function SignInAsSomeoneElse() {
  return (
    <SignInAction
      label="Sign in as someone else"
      request={{ prompt: 'select_account', redirectStartPage: paths.home.getHref() }}
    />
  );
}

/** The user's organisation (Entra tenant) is not among those Gatehouse admits (OPENID_ALLOWED_TENANTS). */
function TenantNotAllowed({ tenant }: { tenant: NonNullable<AccessDeniedResponse['tenant']> }) {
  return (
    <AuthLayout title="Access denied">
      <h1>You don't have access to Gatehouse</h1>
      <p className="gh-auth__lead">
        Your Microsoft account signed in, but your organisation isn't one of the organisations allowed to use
        Gatehouse.
      </p>
      <dl className="gh-auth__detail">
        {tenant.domain ? (
          <>
            <dt>Your organisation</dt>
            <dd>{tenant.domain}</dd>
          </>
        ) : null}
        <dt>Tenant ID</dt>
        <dd>
          <code>{tenant.tenantId || 'none in your sign-in'}</code>
        </dd>
      </dl>
      <div>
        <h2 className="gh-visually-hidden">How to get access</h2>
        <ol className="gh-auth__steps">
          <li>
            Ask your IT administrator (or your contact at the organisation that runs Gatehouse) to have your
            organisation allowed, and send them the tenant ID above: Gatehouse's operators add it to the
            organisations it admits.
          </li>
          <li>If you used the wrong account (another organisation's), sign in as someone else.</li>
        </ol>
      </div>
      <SignInAsSomeoneElse />
    </AuthLayout>
  );
}

export default function AccessDeniedRoute() {
  const [params] = useSearchParams();
  const roles = parseRoles(params.get('roles'));
  // Group names and the organisation only from the BFF (a cookie of the refused sign-in), never from the URL.
  const denial = useAccessDenied().data;
  if (denial?.tenant) return <TenantNotAllowed tenant={denial.tenant} />;
  const groups = denial?.requiredGroups ?? [];
  const byGroup = groups.length > 0;
  const many = byGroup ? groups.length > 1 : roles.length > 1;

  return (
    <AuthLayout title="Access denied">
      <h1>You don't have access to Gatehouse</h1>
      <p className="gh-auth__lead">
        {byGroup
          ? "Your Microsoft account signed in, but it isn't a member of the group Gatehouse requires."
          : "Your Microsoft account signed in, but it doesn't have the role Gatehouse requires."}
      </p>
      <dl className="gh-auth__detail">
        {byGroup ? (
          <>
            <dt>{many ? 'Required group (any one of)' : 'Required group'}</dt>
            <dd>
              <ul className="gh-role-list" aria-label="Required groups">
                {groups.map((group) => (
                  <li key={group} className="gh-chip">
                    {group}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : (
          <>
            <dt>{many ? 'Required role (any one of)' : 'Required role'}</dt>
            <dd>
              {roles.length > 0 ? (
                <ul className="gh-role-list" aria-label="Required roles">
                  {roles.map((role) => (
                    <li key={role} className="gh-chip">
                      {role}
                    </li>
                  ))}
                </ul>
              ) : (
                'A role set by your administrator'
              )}
            </dd>
          </>
        )}
      </dl>
      <div>
        <h2 className="gh-visually-hidden">How to get access</h2>
        <ol className="gh-auth__steps">
          <li>
            {byGroup ? (
              <>
                Ask your IT administrator to add you to {many ? 'one of these groups' : 'this group'}{' '}
                (Microsoft Entra admin center → Groups → Members). Membership through a nested group counts.
              </>
            ) : (
              <>
                Ask your IT administrator to assign you {many ? 'one of these roles' : 'this role'} (Microsoft
                Entra admin center → Enterprise applications → Gatehouse → Users and groups).
              </>
            )}
          </li>
          <li>Then sign in again. If you used the wrong account, pick another one.</li>
        </ol>
      </div>
      <SignInAsSomeoneElse />
    </AuthLayout>
  );
}
