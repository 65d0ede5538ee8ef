import {
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useRef,
} from 'react';
import { createPortal } from 'react-dom';

const focusableSelector = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

export type DialogProps = {
  title: ReactNode;
  /** A sentence under the title, read with it (`aria-describedby`). */
  description?: ReactNode;
  /** Escape, the close button and Cancel all call this; the opener gets the focus back. */
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** What gets the focus when the dialog opens; the first focusable element otherwise. */
  initialFocusRef?: RefObject<HTMLElement | null> | undefined;
  /** `alertdialog` for confirmations that interrupt. */
  role?: 'dialog' | 'alertdialog';
};

/**
 * A modal dialog: labelled by its title, focus moved in on open, kept in by Tab, given back to the
 * opener on close. Escape closes it unless a control inside already used the key (a combobox closing
 * its list calls `preventDefault`). Rendered only while open, so closed dialogs cost nothing.
 */
export function Dialog({
  title,
  description,
  onClose,
  children,
  footer,
  size = 'md',
  initialFocusRef,
  role = 'dialog',
}: DialogProps) {
  const titleId = useId();
  const descriptionId = useId();
  const panelRef = useRef<HTMLDivElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves once, when the dialog opens.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Everything outside the dialog is inert while it is open: no focus, no clicks, hidden from
    // assistive technology (what aria-modal promises, made true for browsers that ignore it).
    const backdrop = panelRef.current?.parentElement;
    const madeInert = [...document.body.children].filter(
      (element): element is HTMLElement =>
        element instanceof HTMLElement && element !== backdrop && !element.hasAttribute('inert'),
    );
    for (const element of madeInert) element.setAttribute('inert', '');
    const target =
      initialFocusRef?.current ?? panelRef.current?.querySelector<HTMLElement>(focusableSelector);
    (target ?? panelRef.current)?.focus();
    return () => {
      for (const element of madeInert) element.removeAttribute('inert');
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !panelRef.current) return;
    const focusable = [...panelRef.current.querySelectorAll<HTMLElement>(focusableSelector)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div className="gh-dialog-backdrop">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: role is dialog or alertdialog (a prop). */}
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-modal is valid on both dialog roles. */}
      <div
        ref={panelRef}
        className={`gh-dialog gh-dialog--${size}`}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="gh-dialog__header">
          <h2 id={titleId} className="gh-dialog__title">
            {title}
          </h2>
          <button type="button" className="gh-icon-button" aria-label="Close" onClick={onClose}>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
        </div>
        {description ? (
          <p id={descriptionId} className="gh-dialog__description">
            {description}
          </p>
        ) : null}
        <div className="gh-dialog__body">{children}</div>
        {footer ? <div className="gh-dialog__footer">{footer}</div> : null}
      </div>
    </div>,
    document.body,
  );
}
