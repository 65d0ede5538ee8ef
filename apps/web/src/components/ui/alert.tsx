import type { ReactNode } from 'react';

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
