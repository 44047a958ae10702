import type { KeyboardEvent } from "react";
import { useT } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";

/** The window's views. The current one lives in memory only (not persisted). */
export type View = "devices" | "readiness" | "inbox" | "sessions" | "approvals" | "audit" | "admin" | "settings";

export const VIEWS: readonly View[] = ["devices", "readiness", "inbox", "sessions", "approvals", "audit", "admin", "settings"];

const LABEL: Readonly<Record<View, MessageKey>> = {
  devices: "nav.devices",
  readiness: "nav.readiness",
  inbox: "nav.inbox",
  sessions: "nav.sessions",
  approvals: "nav.approvals",
  audit: "nav.audit",
  admin: "nav.admin",
  settings: "nav.settings",
};

interface Props {
  view: View;
  onChange: (view: View) => void;
  /** Help requests waiting (a badge on Help requests), when known. */
  waiting?: number | null;
}

/**
 * Devices | Readiness | Help requests | Sessions | Approvals | Audit | Admin | Settings. Plain buttons in a labelled `nav` (Tab and Enter/Space); the
 * current view is marked `aria-current="page"`. Left/Right (and Home/End) move between them.
 */
export function NavBar({ view, onChange, waiting = null }: Props) {
  const t = useT();

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const buttons = Array.from(
      event.currentTarget.closest("nav")?.querySelectorAll<HTMLButtonElement>("button") ?? [],
    );
    const index = buttons.indexOf(event.currentTarget);
    let next: number | null = null;
    if (event.key === "ArrowRight") next = (index + 1) % buttons.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = buttons.length - 1;
    if (next === null) return;
    event.preventDefault();
    buttons[next]?.focus();
  };

  return (
    <nav className="nav" aria-label={t("nav.label")}>
      {VIEWS.map((item) => (
        <button
          key={item}
          type="button"
          className={`nav__item${item === view ? " nav__item--current" : ""}`}
          aria-current={item === view ? "page" : undefined}
          data-testid={`nav-${item}`}
          onClick={() => {
            onChange(item);
          }}
          onKeyDown={onKeyDown}
        >
          {t(LABEL[item])}
          {item === "inbox" && waiting !== null && waiting > 0 && (
            <span className="nav__badge" data-testid="inbox-badge" aria-label={t("nav.inboxBadge", { count: waiting })}>
              {waiting}
            </span>
          )}
        </button>
      ))}
    </nav>
  );
}
