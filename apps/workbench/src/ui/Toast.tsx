import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { uiStrings } from './locales/index.ts';

export type ToastTone = 'info' | 'success' | 'warning' | 'danger';

export interface ToastInput {
  message: string;
  tone?: ToastTone;
  /** How long the toast stays; default 5000 ms. 0 keeps it until dismissed. */
  durationMs?: number;
}

interface ToastEntry extends Required<ToastInput> {
  id: number;
}

type ShowToast = (toast: ToastInput | string) => void;

const ToastContext = createContext<ShowToast | null>(null);

/** Holds the toasts of the app; render it once near the root. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastEntry[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const show = useCallback<ShowToast>((input) => {
    const toast = typeof input === 'string' ? { message: input } : input;
    const entry: ToastEntry = { id: nextId.current++, message: toast.message, tone: toast.tone ?? 'info', durationMs: toast.durationMs ?? 5000 };
    setToasts((current) => [...current.slice(-4), entry]);
    if (entry.durationMs > 0) setTimeout(() => dismiss(entry.id), entry.durationMs);
  }, [dismiss]);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="fd-toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`fd-toast fd-toast--${toast.tone}`}>
            <span>{toast.message}</span>
            <button type="button" className="fd-toast__close" aria-label={uiStrings().dismiss} onClick={() => dismiss(toast.id)}>×</button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

/** `const toast = useToast(); toast({ message: 'Saved', tone: 'success' })`. */
export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast needs a <ToastProvider> above it');
  return show;
}
