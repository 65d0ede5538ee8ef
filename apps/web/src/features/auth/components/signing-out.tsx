import { AuthLayout } from '../../../components/layouts/auth-layout';
import { Spinner } from '../../../components/ui/spinner';

export function SigningOut() {
  return (
    <AuthLayout title="Signing out">
      <h1>Signing you out…</h1>
      <div className="gh-auth__actions">
        <Spinner size="lg" label="Signing you out" />
      </div>
    </AuthLayout>
  );
}
