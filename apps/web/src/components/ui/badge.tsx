import type { ReactNode } from 'react';

export type BadgeVariant = 'neutral' | 'primary' | 'success' | 'warning' | 'entra' | 'local';

/** A small label beside a name: a role, where a principal comes from, a count. */
export function Badge({
  variant = 'neutral',
  children,
  title,
}: {
  variant?: BadgeVariant;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`gh-badge gh-badge--${variant}`} title={title}>
      {children}
    </span>
  );
}
