import { useMsal } from '@azure/msal-react';
import { Suspense } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { Brand } from '../../../components/layouts/brand';
import { PageSpinner } from '../../../components/layouts/page-spinner';
import { ShellSkeleton } from '../../../components/layouts/shell-skeleton';
import { SkipLink } from '../../../components/layouts/skip-link';
import { paths } from '../../../config/paths';
import { RequireAuth } from '../../../features/auth/components/require-auth';
import { UserMenu } from '../../../features/auth/components/user-menu';
import { useSession } from '../../../features/auth/use-session';
import './app-shell.css';

function navClassName({ isActive }: { isActive: boolean }) {
  return isActive ? 'gh-topbar__link gh-topbar__link--active' : 'gh-topbar__link';
}

function AppShell() {
  const { accounts } = useMsal();
  const { session } = useSession();
  const account = accounts[0];
  if (!account || !session) return <ShellSkeleton />;
  const user = {
    id: session.user.id,
    name: account.name ?? session.user.name,
    email: session.user.email,
    username: account.username,
  };
  return (
    <div className="gh-shell">
      <SkipLink />
      <header className="gh-topbar">
        <div className="gh-topbar__inner">
          <Link to={paths.home.getHref()} className="gh-topbar__brand" aria-label="Gatehouse home">
            <Brand size={32} />
          </Link>
          <nav aria-label="Main" className="gh-topbar__nav">
            <NavLink to={paths.home.getHref()} end className={navClassName}>
              Home
            </NavLink>
            <NavLink to={paths.conversations.getHref()} className={navClassName}>
              Conversations
            </NavLink>
          </nav>
          <UserMenu user={user} />
        </div>
      </header>
      <main id="main" className="gh-shell__main" tabIndex={-1}>
        <Suspense fallback={<PageSpinner />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/** Every signed-in page: the session guard, then the shell (top bar, navigation, user menu). */
export default function AppRoot() {
  return (
    <RequireAuth fallback={<ShellSkeleton />}>
      <AppShell />
    </RequireAuth>
  );
}
