import type { ReactNode } from 'react';
import { Button } from './button';

export type AlertVariant = 'info' | 'success' | 'warning' | 'error';

export type AlertProps = {
  variant?: AlertVariant;
  title?: ReactNode;
  children?: ReactNode;
  /**
   * `alert` interrupts (errors that need action), `status` is polite (news that can wait), `none` for
   * static notes that were on the page from the start.
   */
  live?: 'alert' | 'status' | 'none';
  actions?: ReactNode;
};

const icons: Record<AlertVariant, string> = { info: 'i', success: '✓', warning: '!', error: '!' };

export function Alert({ variant = 'info', title, children, live = 'none', actions }: AlertProps) {
  return (
    <div className={`gh-alert gh-alert--${variant}`} role={live === 'none' ? undefined : live}>
      <span className="gh-alert__icon" aria-hidden="true">
        {icons[variant]}
      </span>
      <div className="gh-alert__body">
        {title ? <p className="gh-alert__title">{title}</p> : null}
        {children ? <div className="gh-alert__text">{children}</div> : null}
        {actions ? <div className="gh-alert__actions">{actions}</div> : null}
      </div>
    </div>
  );
}

export type RetryAlertProps = {
  title: ReactNode;
  /** What "Try again" does: usually the failed query's `refetch`. */
  onRetry: () => void;
  children?: ReactNode;
};

/** A load or action that failed and can be tried again: announced at once, with one "Try again". */
export function RetryAlert({ title, onRetry, children }: RetryAlertProps) {
  return (
    <Alert
      variant="error"
      live="alert"
      title={title}
      actions={
        <Button variant="secondary" onClick={onRetry}>
          Try again
        </Button>
      }
    >
      {children}
    </Alert>
  );
}
