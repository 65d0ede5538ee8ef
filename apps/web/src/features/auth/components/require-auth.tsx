import { InteractionStatus } from '@azure/msal-browser';
import { useIsAuthenticated, useMsal } from '@azure/msal-react';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { paths } from '../../../config/paths';
import { useUiStore } from '../../../stores/ui-store';
import { useSession } from '../use-session';
import { ServerUnavailable } from './server-unavailable';
import { SessionEnded } from './session-ended';
import { SigningOut } from './signing-out';

/**
 * Signed-in pages only. Without a session: a deep link goes to the login page (and comes back after
 * sign-in); a session that ended while the page was open is explained in place, keeping the URL.
 */
export function RequireAuth({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const { inProgress } = useMsal();
  const isAuthenticated = useIsAuthenticated();
  const { status, error } = useSession();
  const sessionEnded = useUiStore((state) => state.sessionEnded);
  const location = useLocation();

  if (status === 'signing-out') return <SigningOut />;
  if (isAuthenticated) return children;
  if (inProgress === InteractionStatus.Startup || status === 'unknown') return fallback;
  if (sessionEnded) return <SessionEnded reason={sessionEnded.reason} />;
  if (status === 'unavailable') return <ServerUnavailable error={error} />;
  if (status === 'signed-in') return fallback; // msal-react catches up on the next event
  const returnTo = `${location.pathname}${location.search}${location.hash}`;
  return <Navigate to={paths.login.getHref({ returnTo })} replace />;
}
