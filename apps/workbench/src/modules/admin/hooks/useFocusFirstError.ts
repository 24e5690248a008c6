import { useEffect, useRef, type RefObject } from 'react';
import type { FieldErrors } from '../state/form-errors.ts';

/**
 * After a failed submit, moves focus to the first invalid control (or the form's alert), so the
 * error is scrolled into view and read out. Call `arm()` at the start of each submit: edits
 * afterwards that change the errors do not move the focus.
 */
export function useFocusFirstError(errors: FieldErrors): { formRef: RefObject<HTMLFormElement | null>; arm: () => void } {
  const formRef = useRef<HTMLFormElement>(null);
  const isArmed = useRef(false);
  useEffect(() => {
    if (!isArmed.current || Object.keys(errors).length === 0) return;
    isArmed.current = false;
    const target = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]');
    if (!target) return;
    if (target.getAttribute('role') === 'alert') target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView({ block: 'center' });
  }, [errors]);
  return { formRef, arm: () => (isArmed.current = true) };
}
