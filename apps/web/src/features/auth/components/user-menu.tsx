import { useEffect, useId, useRef, useState } from 'react';
import { Alert } from '../../../components/ui/alert';
import { Avatar } from '../../../components/ui/avatar';
import { Button } from '../../../components/ui/button';
import { useMyPhoto } from '../api/get-my-photo';
import { useLogout } from '../use-logout';

export type UserMenuProps = { user: { id: string; name: string; email: string; username: string } };

/** The account button in the top bar: photo or initials, name, and a panel with sign-out. */
export function UserMenu({ user }: UserMenuProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const photo = useMyPhoto(user.id);
  const { signOut, isPending, error } = useLogout();
  const displayName = user.name || user.username;

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  return (
    <div className="gh-user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="gh-user-menu__button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        {/* Named by its content, exactly the name it shows (WCAG 2.5.3, "click Megan Bowen" works by
            voice). The avatar is aria-hidden; on phones the name is visually hidden, not removed. */}
        <Avatar name={displayName} src={photo} size="sm" />
        <span className="gh-user-menu__name">{displayName}</span>
        <svg className="gh-user-menu__chevron" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </svg>
      </button>
      <div id={panelId} className="gh-user-menu__panel" hidden={!open}>
        <div className="gh-user-menu__who">
          <Avatar name={displayName} src={photo} size="lg" />
          <div className="gh-user-menu__who-text">
            <p className="gh-user-menu__who-name">{displayName}</p>
            <p className="gh-user-menu__who-email">{user.email || user.username}</p>
          </div>
        </div>
        {error ? (
          <Alert variant="error" live="alert" title="Sign-out didn't finish">
            {error.message}
          </Alert>
        ) : null}
        <Button variant="secondary" onClick={signOut} isLoading={isPending} className="gh-user-menu__signout">
          Sign out
        </Button>
      </div>
    </div>
  );
}
