import { useEffect, useId, useRef, type ReactNode } from 'react';
import { uiStrings } from './locales/index.ts';

export interface DialogProps {
  isOpen: boolean;
  title: ReactNode;
  /** Called on Escape, on the close button and on a click on the backdrop. */
  onClose: () => void;
  children: ReactNode;
  /** Action buttons, shown at the bottom right. */
  footer?: ReactNode;
  className?: string;
}

/**
 * A modal dialog on the native <dialog> element: the browser traps focus, handles Escape and
 * returns focus to the opener when it closes.
 */
export function Dialog({ isOpen, title, onClose, children, footer, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);
  return (
    <dialog
      ref={ref}
      className={['fd-dialog', className].filter(Boolean).join(' ')}
      aria-labelledby={titleId}
      onCancel={(event) => { event.preventDefault(); onClose(); }}
      onClick={(event) => { if (event.target === ref.current) onClose(); }}
    >
      {isOpen && (
        <div className="fd-dialog__body">
          <header className="fd-dialog__header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="fd-dialog__close" aria-label={uiStrings().close} onClick={onClose}>×</button>
          </header>
          <div className="fd-dialog__content">{children}</div>
          {footer && <footer className="fd-dialog__footer">{footer}</footer>}
        </div>
      )}
    </dialog>
  );
}
