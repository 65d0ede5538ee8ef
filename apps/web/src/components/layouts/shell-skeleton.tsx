import { Skeleton } from '../ui/skeleton';
import { BrandMark } from './brand';
import './layouts.css';

/** What the signed-in shell looks like while the session is being read: no layout jump afterwards. */
export function ShellSkeleton() {
  return (
    <div className="gh-shell-skeleton" aria-busy="true">
      <div className="gh-shell-skeleton__bar">
        <BrandMark size={32} />
        <Skeleton width="sm" height="md" />
        <span className="gh-shell-skeleton__avatar" aria-hidden="true" />
      </div>
      <main className="gh-shell-skeleton__main" id="main" tabIndex={-1}>
        <p className="gh-visually-hidden" role="status">
          Loading Gatehouse…
        </p>
        <Skeleton width="md" height="lg" />
        <Skeleton width="lg" height="sm" />
        <div className="gh-shell-skeleton__cards">
          {['identity', 'session', 'conversations'].map((key) => (
            <div key={key} className="gh-shell-skeleton__card">
              <Skeleton width="sm" height="md" />
              <Skeleton width="lg" height="sm" />
              <Skeleton width="md" height="sm" />
              <Skeleton width="lg" height="sm" />
            </div>
          ))}
        </div>
      </main>
    </div>
  );
}
