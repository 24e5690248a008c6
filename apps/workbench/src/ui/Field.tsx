import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react';

export interface FieldProps {
  label: ReactNode;
  /** One form control (input, select, textarea); it receives id, aria-describedby and aria-invalid. */
  children: ReactElement<Record<string, unknown>>;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
}

/** A labelled form control with an optional hint and error, wired for screen readers. */
export function Field({ label, children, hint, error, className }: FieldProps) {
  const baseId = useId();
  const controlId = (isValidElement(children) && typeof children.props.id === 'string' ? children.props.id : undefined) ?? `${baseId}-control`;
  const hintId = hint ? `${baseId}-hint` : undefined;
  const errorId = error ? `${baseId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, {
    id: controlId,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    className: ['fd-control', children.props.className].filter(Boolean).join(' '),
  });
  return (
    <div className={['fd-field', className].filter(Boolean).join(' ')}>
      <label className="fd-field__label" htmlFor={controlId}>{label}</label>
      {control}
      {hint && <p className="fd-field__hint" id={hintId}>{hint}</p>}
      {error && <p className="fd-field__error" id={errorId} role="alert">{error}</p>}
    </div>
  );
}
