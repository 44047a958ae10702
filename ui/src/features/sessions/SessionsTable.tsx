import type { Session } from "../../bindings/Session";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { stateLabel, stateTone, TONE_ICON } from "../session/labels";

const MODE_SHORT: Readonly<Record<Session["mode"], MessageKey>> = {
  attended: "mode.attendedShort",
  unattended: "mode.unattendedShort",
};

interface Props {
  sessions: readonly Session[];
  selectedId: string | null;
  onSelect: (session: Session) => void;
  labelledBy: string;
}

/**
 * The sessions as a table: state, device, mode, code, agent, created, expires. Each row's
 * device cell is a button (Tab, Enter) that opens the session; a click anywhere on the row
 * does the same.
 */
export function SessionsTable({ sessions, selectedId, onSelect, labelledBy }: Props) {
  const { t, formatDateTime, formatRelative } = useI18n();
  return (
    <table className="table" aria-labelledby={labelledBy} data-testid="sessions-table">
      <thead>
        <tr>
          <th scope="col">{t("sessions.col.state")}</th>
          <th scope="col">{t("sessions.col.device")}</th>
          <th scope="col">{t("sessions.col.mode")}</th>
          <th scope="col">{t("sessions.col.code")}</th>
          <th scope="col">{t("sessions.col.agent")}</th>
          <th scope="col">{t("sessions.col.created")}</th>
          <th scope="col">{t("sessions.col.expires")}</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((session) => {
          const tone = stateTone(session.state);
          const selected = session.id === selectedId;
          return (
            // The row click is a mouse shortcut; the device cell's button is the keyboard path.
            <tr
              key={session.id}
              className={`table__row${selected ? " table__row--selected" : ""}`}
              data-testid="session-row"
              data-session-id={session.id}
              data-state={session.state}
              onClick={() => {
                onSelect(session);
              }}
            >
              <td>
                <span className={`session-state session-state--${tone}`}>
                  <span className="session-state__icon" aria-hidden="true">
                    {TONE_ICON[tone]}
                  </span>
                  {stateLabel(t, session.state)}
                </span>
              </td>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={selected}
                  data-testid="session-open-detail"
                  onClick={(event) => {
                    event.stopPropagation();
                    onSelect(session);
                  }}
                >
                  {session.device_id}
                </button>
              </th>
              <td>{t(MODE_SHORT[session.mode])}</td>
              <td>
                <code>{session.code ?? "—"}</code>
              </td>
              <td className="truncate">{session.agent}</td>
              <td>
                {session.created_at !== "" && (
                  <time dateTime={session.created_at} title={formatDateTime(session.created_at)}>
                    {formatRelative(session.created_at)}
                  </time>
                )}
              </td>
              <td>
                {session.expires_at === null ? (
                  <span className="muted">{t("sessions.noExpiry")}</span>
                ) : (
                  <time dateTime={session.expires_at}>{formatDateTime(session.expires_at)}</time>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
