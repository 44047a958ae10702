import { useCallback, useEffect, useState } from "react";
import type { AuditSendReport } from "../../bindings/AuditSendReport";
import type { AuditSinkStatus } from "../../bindings/AuditSinkStatus";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { AdminSection } from "../admin/AdminSection";
import { useCommand } from "../admin/useCommand";
import { AuditSinkForm } from "./AuditSinkForm";

interface Props {
  /** Bumped when the language changes. */
  epoch: number;
}

function target(sink: AuditSinkStatus): string {
  const c = sink.config;
  return c.kind === "syslog" ? `syslog ${c.host}:${c.port}${c.tls ? " (TLS)" : ""}` : `webhook ${c.url}`;
}

/**
 * Settings → Audit streaming: each SIEM sink with its backlog (pending events, the oldest's
 * age, the last error), Remove, Send now, and a form to add one. The back end validates every
 * value and audits every change; the window's sender delivers in the background.
 */
export function AuditSinksSection({ epoch }: Props) {
  const { t, formatNumber } = useI18n();
  const [sinks, setSinks] = useState<AuditSinkStatus[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const sending = useCommand<AuditSendReport>("send_audit");
  const removing = useCommand<null>("remove_audit_sink");

  const reload = useCallback(() => {
    ipc.listAuditSinks().then(
      (list) => {
        setSinks(list);
        setError(null);
      },
      (raw: unknown) => {
        setError(toIpcError("list_audit_sinks", raw));
      },
    );
  }, []);
  useEffect(reload, [reload, epoch]);

  let list;
  if (sinks === null && error) {
    list = <ErrorNotice title={t("sinks.loadFailed")} error={error} onRetry={reload} testId="sinks-error" />;
  } else if (sinks !== null && sinks.length === 0) {
    list = (
      <p className="muted" data-testid="sinks-none">
        {t("sinks.none")}
      </p>
    );
  } else if (sinks !== null) {
    list = (
      <ul className="sinks" data-testid="sinks-list">
        {sinks.map((s) => (
          <li key={s.id} className="sinks__item" data-testid={`sink-${s.id}`}>
            <strong>{s.id}</strong> <span className="muted">{target(s)}</span>
            <p data-testid={`sink-${s.id}-backlog`}>
              {t("sinks.pending", { count: formatNumber(s.pending) })}
              {s.oldest_age_seconds !== null && `, ${t("sinks.oldest", { age: formatNumber(s.oldest_age_seconds) })}`}
              {" · "}
              {t("sinks.delivered", { count: formatNumber(s.delivered) })}
            </p>
            {s.attempts > 0 && s.last_error !== null && (
              <p className="notice__message" data-testid={`sink-${s.id}-error`}>
                {t("sinks.lastError", { error: s.last_error })}
              </p>
            )}
            {s.config.kind === "webhook" && s.config.uses_bearer && !s.bearer_set && <p className="hint">{t("sinks.noBearer")}</p>}
            <button
              type="button"
              className="button"
              disabled={removing.pending}
              data-testid={`sink-${s.id}-remove`}
              onClick={() => {
                removing.run(() => ipc.removeAuditSink(s.id), reload);
              }}
            >
              {t("sinks.remove")}
            </button>
          </li>
        ))}
      </ul>
    );
  }

  return (
    <AdminSection title={t("sinks.title")} hint={t("sinks.hint")} testId="settings-sinks">
      {list}
      {removing.state.status === "failed" && (
        <ErrorNotice title={t("sinks.removeFailed")} error={removing.state.error} testId="sinks-remove-error" />
      )}
      {sinks !== null && sinks.length > 0 && (
        <button
          type="button"
          className="button"
          disabled={sending.pending}
          data-testid="sinks-send"
          onClick={() => {
            sending.run(() => ipc.sendAudit(), reload);
          }}
        >
          {sending.pending ? t("sinks.sending") : t("sinks.send")}
        </button>
      )}
      {sending.state.status === "done" && (
        <ul className="hint" role="status" data-testid="sinks-sent">
          {sending.state.value.sinks.map((d) => (
            <li key={d.id}>
              {t("sinks.sent", {
                id: d.id,
                sent: formatNumber(d.sent),
                pending: formatNumber(d.pending),
                outcome: t(`sinks.outcome.${d.outcome}`),
              })}
            </li>
          ))}
        </ul>
      )}
      {sending.state.status === "failed" && (
        <ErrorNotice title={t("sinks.sendFailed")} error={sending.state.error} testId="sinks-send-error" />
      )}
      <AuditSinkForm onSaved={reload} />
    </AdminSection>
  );
}
