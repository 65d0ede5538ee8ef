import { type ReactNode, useRef } from 'react';
import { Alert } from './alert';
import { Button } from './button';
import { Dialog } from './dialog';

export type ConfirmDialogProps = {
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  isPending?: boolean;
  /** Why the last attempt failed, shown in the dialog (it stays open). */
  error?: ReactNode;
  variant?: 'danger' | 'primary';
};

/** "Are you sure?" for what cannot be undone. Cancel has the focus first, so Enter is never destructive. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  isPending = false,
  error,
  variant = 'danger',
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      role="alertdialog"
      size="sm"
      title={title}
      description={children}
      onClose={onCancel}
      initialFocusRef={cancelRef}
      footer={
        <>
          <Button ref={cancelRef} variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button variant={variant} onClick={onConfirm} isLoading={isPending}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {error ? (
        <Alert variant="error" live="alert">
          {error}
        </Alert>
      ) : null}
    </Dialog>
  );
}
