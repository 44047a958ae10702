import { useEffect, useRef, type ReactNode, type RefObject } from "react";
import { createPortal } from "react-dom";

interface Props {
  /** Id of the element that names the dialog (its heading). */
  labelledBy: string;
  describedBy?: string;
  onClose: () => void;
  /** Where focus goes when the dialog opens; defaults to the first focusable element. */
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
  testId?: string;
  className?: string;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: labelled, focus trapped inside (Tab and Shift+Tab wrap, and a focused part that
 * is removed hands focus back to the dialog), Esc closes, the rest of the window is inert while it
 * is open, and focus returns to where it was when it closes.
 */
export function Modal({ labelledBy, describedBy, onClose, initialFocus, children, testId, className }: Props) {
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = document.getElementById("root");
    root?.setAttribute("inert", "");
    const target = initialFocus?.current ?? dialog.current?.querySelector<HTMLElement>(FOCUSABLE) ?? dialog.current;
    target?.focus();
    return () => {
      root?.removeAttribute("inert");
      previous?.focus();
    };
    // Runs once per opening: the initial focus target is read when the dialog mounts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Esc closes; Tab and Shift+Tab wrap inside the dialog. A native listener on the dialog itself,
  // so it runs before any document-level Esc handler (e.g. the detail panel's).
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const node = dialog.current;
    if (!node) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        onCloseRef.current();
        return;
      }
      if (event.key !== "Tab") return;
      const focusable = Array.from(node.querySelectorAll<HTMLElement>(FOCUSABLE));
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) {
        event.preventDefault();
        return;
      }
      const current = document.activeElement;
      if (event.shiftKey && (current === first || current === node || !node.contains(current))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (current === last || !node.contains(current))) {
        event.preventDefault();
        first.focus();
      }
    };
    node.addEventListener("keydown", onKeyDown);
    // A focused part that goes away (a session's card when it ends) would leave focus on the
    // page behind, where Esc and Tab no longer reach the dialog: focus comes back to the dialog.
    const keepFocus = new MutationObserver(() => {
      const active = document.activeElement;
      if (active === null || active === document.body) node.focus();
    });
    keepFocus.observe(node, { childList: true, subtree: true });
    return () => {
      node.removeEventListener("keydown", onKeyDown);
      keepFocus.disconnect();
    };
  }, []);

  return createPortal(
    <div className="modal-backdrop">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        tabIndex={-1}
        className={`modal${className ? ` ${className}` : ""}`}
        data-testid={testId}
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}
