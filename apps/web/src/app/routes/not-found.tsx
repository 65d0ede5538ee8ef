import { Link, useLocation } from 'react-router';
import { AuthLayout } from '../../components/layouts/auth-layout';
import { buttonClassName } from '../../components/ui/button';
import { paths } from '../../config/paths';

export default function NotFoundRoute() {
  const location = useLocation();
  return (
    <AuthLayout title="Page not found">
      <h1>Page not found</h1>
      <p className="gh-auth__lead">
        There is no page at <code>{location.pathname}</code>. The link may be old or mistyped.
      </p>
      <div className="gh-auth__actions">
        <Link className={buttonClassName('primary', 'lg')} to={paths.home.getHref()}>
          Go to Gatehouse home
        </Link>
      </div>
    </AuthLayout>
  );
}
