import type { ButtonHTMLAttributes } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  /** Shows a busy state and disables the button (aria-busy). */
  isBusy?: boolean;
}

/** A button; `type="button"` unless told otherwise, so it never submits a form by accident. */
export function Button({ variant = 'secondary', size = 'md', isBusy = false, className, type, disabled, children, ...rest }: ButtonProps) {
  const classes = ['fd-button', `fd-button--${variant}`, `fd-button--${size}`, className].filter(Boolean).join(' ');
  return (
    <button {...rest} type={type ?? 'button'} className={classes} disabled={disabled || isBusy} aria-busy={isBusy || undefined}>
      {children}
    </button>
  );
}
