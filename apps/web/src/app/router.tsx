import { lazy, type ReactNode, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { PageSpinner } from '../components/layouts/page-spinner';
import { ShellSkeleton } from '../components/layouts/shell-skeleton';
import { paths } from '../config/paths';

// Every page is its own chunk: the login route loads only what the login page needs.
const LoginRoute = lazy(() => import('./routes/login'));
const AccessDeniedRoute = lazy(() => import('./routes/access-denied'));
const SignInErrorRoute = lazy(() => import('./routes/sign-in-error'));
const NotFoundRoute = lazy(() => import('./routes/not-found'));
const AppRoot = lazy(() => import('./routes/app/root'));
const HomeRoute = lazy(() => import('./routes/app/home'));
const ConversationsRoute = lazy(() => import('./routes/app/conversations'));
const ConversationRoute = lazy(() => import('./routes/app/conversation'));

export function AppRoutes() {
  return (
    <Routes>
      <Route path={paths.login.path} element={<Page element={<LoginRoute />} />} />
      <Route path={paths.accessDenied.path} element={<Page element={<AccessDeniedRoute />} />} />
      <Route path={paths.signInError.path} element={<Page element={<SignInErrorRoute />} />} />
      <Route
        element={
          <Suspense fallback={<ShellSkeleton />}>
            <AppRoot />
          </Suspense>
        }
      >
        <Route index element={<HomeRoute />} />
        <Route path={paths.conversations.path} element={<ConversationsRoute />} />
        <Route path={paths.conversation.path} element={<ConversationRoute />} />
      </Route>
      <Route path="*" element={<Page element={<NotFoundRoute />} />} />
    </Routes>
  );
}

function Page({ element }: { element: ReactNode }) {
  return <Suspense fallback={<PageSpinner />}>{element}</Suspense>;
}
