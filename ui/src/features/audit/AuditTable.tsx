import type { AuditEntry } from "../../bindings/AuditEntry";
import { useI18n } from "../../i18n/context";

interface Props {
  items: readonly AuditEntry[];
  labelledBy: string;
}

/** The detail object in one line, for the table cell (the full text is its tooltip). */
export function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return "";
  if (typeof detail === "string") return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return "";
  }
}

/**
 * Audit events, newest first: time (in the agent's locale), agent, action, device, session,
 * detail. The agent is the OS account with the TeamViewer account TeamViewer confirmed, or
 * "unverified" when no sign-in was confirmed.
 */
export function AuditTable({ items, labelledBy }: Props) {
  const { t, formatDateTime } = useI18n();
  return (
    <table className="table" aria-labelledby={labelledBy} data-testid="audit-table">
      <thead>
        <tr>
          <th scope="col">{t("audit.col.at")}</th>
          <th scope="col">{t("audit.col.agent")}</th>
          <th scope="col">{t("audit.col.action")}</th>
          <th scope="col">{t("audit.col.device")}</th>
          <th scope="col">{t("audit.col.session")}</th>
          <th scope="col">{t("audit.col.detail")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((event) => {
          const detail = detailText(event.detail);
          return (
            <tr key={event.id} className="table__row" data-testid="audit-row" data-audit-id={event.id}>
              <td className="tabular">
                <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              </td>
              <td data-testid="audit-row-actor">
                {event.actor}
                {event.actor_verified && event.actor_account_name !== null ? (
                  <span className="muted" title={t("audit.verifiedHint", { id: event.actor_account_id ?? "" })}>
                    {" "}
                    · {event.actor_account_name}
                  </span>
                ) : (
                  <span className="muted" title={t("audit.unverifiedHint")}>
                    {" "}
                    ({t("audit.unverified")})
                  </span>
                )}
              </td>
              <td>
                <code>{event.action}</code>
              </td>
              <td>{event.device_id ?? ""}</td>
              <td className="truncate">{event.session_id ?? ""}</td>
              <td className="truncate audit__detail" title={detail}>
                {detail}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
