import { useEffect, useRef } from 'react';
import { isTypingTarget, shortcutOf, type Shortcut } from '../state/shortcut-keys.ts';

/** Calls `onShortcut` for the workbench's shortcuts pressed anywhere on the page (see shortcut-keys.ts). */
export function useShortcuts(onShortcut: (shortcut: Shortcut, event: KeyboardEvent) => void): void {
  const latest = useRef(onShortcut);
  latest.current = onShortcut;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.isComposing) return;
      const shortcut = shortcutOf({ key: event.key, altKey: event.altKey, ctrlKey: event.ctrlKey, metaKey: event.metaKey, isTyping: isTypingTarget(event.target) });
      if (!shortcut) return;
      event.preventDefault();
      latest.current(shortcut, event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
