import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ProblemBanner } from './problem-banner';
import { useSubmission } from './use-submission';

/**
 * A modal dialog: a native <dialog> opened with showModal(), so the browser traps focus in it, makes
 * the page behind it inert and closes it on Esc. It is named by its heading; Cancel (or Esc) calls
 * `onClose`; when it closes, focus goes back to whatever opened it. Its content is mounted only while
 * it is open, so a form in it starts empty each time.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  const headingId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Esc, Cancel, a form's method="dialog" and close() all end in this one event.
    const closed = () => {
      onCloseRef.current();
      const back = opener.current;
      opener.current = null;
      if (back?.isConnected) back.focus();
    };
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, []);

  return (
    <dialog ref={ref} aria-labelledby={headingId}>
      {open && (
        <>
          <h2 id={headingId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

/** The Cancel button of a dialog: closes it without doing anything. */
export function CancelButton({ onClose, label = 'Cancel' }: { onClose: () => void; label?: string }) {
  return (
    <button type="button" className="secondary" onClick={onClose}>
      {label}
    </button>
  );
}

/**
 * "Are you sure?", its state kept by the caller: says what will happen and does it only on the
 * confirming button; a refusal is shown in the API's words and the dialog stays open.
 */
export function ConfirmPrompt({
  open,
  title,
  confirmLabel,
  danger = true,
  busy,
  error,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <div>{children}</div>
      <ProblemBanner error={error} />
      <div className="dialog-actions">
        <button type="button" className={danger ? 'danger' : undefined} disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <CancelButton onClose={onClose} />
      </div>
    </Dialog>
  );
}

/** A ConfirmPrompt that keeps its own state: closes when `onConfirm` resolves, shows why when it rejects. */
export function ConfirmDialog({
  onConfirm,
  ...prompt
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  children: ReactNode;
}) {
  const { busy, error, setError, run } = useSubmission();
  useEffect(() => {
    if (prompt.open) setError(null);
  }, [prompt.open]);
  const confirm = async () => {
    await run(async () => {
      await onConfirm();
      prompt.onClose();
    });
  };
  return <ConfirmPrompt {...prompt} busy={busy} error={error} onConfirm={() => void confirm()} />;
}
