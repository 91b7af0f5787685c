// What every dialog does with the keyboard: focus moves into it when it
// opens, Tab and Shift+Tab stay inside it, Escape closes it (only the topmost
// one, when dialogs are stacked), and focus goes back to where it was when it
// closes.
import { RefObject, useEffect, useRef } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), ' +
  'textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// Open dialogs, oldest first: Escape and Tab belong to the last.
const stack: RefObject<HTMLElement | null>[] = [];

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((e) => e.offsetParent !== null || e === document.activeElement);
}

export function useDialog(ref: RefObject<HTMLElement | null>, onClose: () => void) {
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stack.push(ref);
    const root = ref.current;
    if (root && !root.contains(document.activeElement)) {
      // The dialog itself, not its first button: the key that opened it (Enter)
      // would otherwise go on to press that button.
      (root.querySelector<HTMLElement>('[autofocus]') ?? root).focus();
    }
    const key = (e: KeyboardEvent) => {
      if (stack[stack.length - 1] !== ref || !ref.current) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        close.current();
      } else if (e.key === 'Tab') {
        const items = focusables(ref.current);
        if (!items.length) return;
        const first = items[0];
        const last = items[items.length - 1];
        const inside = ref.current.contains(document.activeElement);
        if (e.shiftKey && (document.activeElement === first || !inside)) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    window.addEventListener('keydown', key);
    return () => {
      window.removeEventListener('keydown', key);
      const at = stack.indexOf(ref);
      if (at >= 0) stack.splice(at, 1);
      if (opener && document.contains(opener)) opener.focus();
    };
  }, [ref]);
}
