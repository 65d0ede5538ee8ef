import type { ReactNode } from 'react';
import { Brand } from './brand';
import { SkipLink } from './skip-link';
import './layouts.css';

export type AuthLayoutProps = {
  /** The page's `<title>` (without the product name). */
  title: string;
  children: ReactNode;
  /** Small print under the card. */
  footer?: ReactNode;
};

/** The signed-out frame: brand, one centred card, quiet footer. Used by every page without a session. */
export function AuthLayout({ title, children, footer }: AuthLayoutProps) {
  return (
    <div className="gh-auth">
      <title>{`${title} · Gatehouse`}</title>
      <SkipLink />
      <header className="gh-auth__header">
        <Brand size={40} />
      </header>
      <main id="main" className="gh-auth__main" tabIndex={-1}>
        <div className="gh-auth__card">{children}</div>
      </main>
      <footer className="gh-auth__footer">
        {footer ?? (
          <p>Your Microsoft tokens stay on the Gatehouse server; this browser stores none of them.</p>
        )}
      </footer>
    </div>
  );
}
