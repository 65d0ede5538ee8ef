import { useState } from 'react';
import { AuthLayout } from '../../../components/layouts/auth-layout';
import { Alert } from '../../../components/ui/alert';
import { Button } from '../../../components/ui/button';
import type { ApiError } from '../../../lib/api-client';
import { useBffClient } from '../auth-provider';

/** The BFF could not say whether there is a session (down, restarting, network gone). */
export function ServerUnavailable({ error }: { error: ApiError | null }) {
  const client = useBffClient();
  const [isRetrying, setRetrying] = useState(false);
  const retry = () => {
    setRetrying(true);
    client.refreshSession().finally(() => setRetrying(false));
  };
  return (
    <AuthLayout title="Can't reach Gatehouse">
      <h1>Gatehouse can't be reached right now</h1>
      <Alert variant="error" live="alert" title="We couldn't check your sign-in">
        {error?.code === 'network_error'
          ? 'Your browser could not reach the Gatehouse server. Check your connection.'
          : 'The Gatehouse server did not answer as expected. It may be restarting.'}
      </Alert>
      <div className="gh-auth__actions">
        <Button size="lg" onClick={retry} isLoading={isRetrying}>
          Try again
        </Button>
      </div>
    </AuthLayout>
  );
}
