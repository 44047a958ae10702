import type { SessionState } from "../../bindings/SessionState";
import type { I18n, MessageKey } from "../../i18n/i18n";
import { isSessionState } from "../../ipc";

export const STATE_LABEL: Readonly<Record<SessionState, MessageKey>> = {
  requested: "state.requested",
  created: "state.created",
  delivered: "state.delivered",
  waiting: "state.waiting",
  active: "state.active",
  closed: "state.closed",
  expired: "state.expired",
  lost: "state.lost",
  failed: "state.failed",
};

/** The translated state; a state this window does not know (a newer back end) shows as sent. */
export function stateLabel(t: I18n["t"], state: string): string {
  return isSessionState(state) ? t(STATE_LABEL[state]) : state;
}

/** Text and icon with the colour: the state never relies on colour alone. */
export type StateTone = "progress" | "active" | "ended" | "problem";

export function stateTone(state: string): StateTone {
  switch (state) {
    case "active":
      return "active";
    case "closed":
      return "ended";
    case "expired":
    case "lost":
    case "failed":
      return "problem";
    default:
      return "progress";
  }
}

export const TONE_ICON: Readonly<Record<StateTone, string>> = {
  progress: "…",
  active: "●",
  ended: "■",
  problem: "!",
};
