import { Component, type ErrorInfo, type ReactNode } from 'react';
import { AuthLayout } from '../components/layouts/auth-layout';
import { Alert } from '../components/ui/alert';
import { Button } from '../components/ui/button';

type State = { error: Error | null };

/** Last resort (a chunk that failed to load after a deploy, a bug): a calm page with a reload. */
export class AppErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Gatehouse crashed while rendering', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <AuthLayout title="Something went wrong">
        <h1>Something went wrong</h1>
        <Alert variant="error" live="alert" title="This page stopped working">
          Reloading usually fixes it. If it keeps happening, tell your administrator.
        </Alert>
        <div className="gh-auth__actions">
          <Button size="lg" onClick={() => window.location.reload()}>
            Reload the page
          </Button>
        </div>
      </AuthLayout>
    );
  }
}
