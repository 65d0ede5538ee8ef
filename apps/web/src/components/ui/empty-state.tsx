import type { ReactNode } from 'react';

/** A designed "nothing here yet": a picture, one line that says what is missing, and what to do. */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="gh-empty-state">
      <svg className="gh-empty-state__art" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
        <rect x="6" y="10" width="40" height="28" rx="8" />
        <rect x="20" y="26" width="38" height="26" rx="8" />
      </svg>
      <p className="gh-empty-state__title">{title}</p>
      {children ? <div className="gh-empty-state__text">{children}</div> : null}
      {action ? <div className="gh-empty-state__action">{action}</div> : null}
    </div>
  );
}
