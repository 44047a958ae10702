import { useId, useState, type SyntheticEvent } from "react";
import type { AuditSinkInput } from "../../bindings/AuditSinkInput";
import type { AuditSinkStatus } from "../../bindings/AuditSinkStatus";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ipc } from "../../ipc";
import { useCommand } from "../admin/useCommand";

interface Props {
  onSaved: () => void;
}

interface Draft {
  id: string;
  kind: "syslog" | "webhook";
  host: string;
  port: string;
  tls: boolean;
  caFile: string;
  url: string;
  bearer: string;
}

const EMPTY: Draft = { id: "", kind: "syslog", host: "", port: "6514", tls: true, caFile: "", url: "", bearer: "" };

function toInput(d: Draft): AuditSinkInput {
  const caFile = d.caFile.trim() === "" ? null : d.caFile.trim();
  return d.kind === "syslog"
    ? {
        id: d.id.trim(),
        config: {
          kind: "syslog",
          host: d.host,
          port: Number.parseInt(d.port, 10) || 0,
          tls: d.tls,
          ca_file: caFile,
          app_name: "",
          hostname: "",
        },
        bearer: null,
      }
    : { id: d.id.trim(), config: { kind: "webhook", url: d.url, ca_file: caFile, uses_bearer: d.bearer !== "" }, bearer: d.bearer === "" ? null : d.bearer };
}

/** Adds a sink (or changes the one with this id). The back end refuses a bad value with its fix. */
export function AuditSinkForm({ onSaved }: Props) {
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const saving = useCommand<AuditSinkStatus>("put_audit_sink");
  const text = (name: "id" | "host" | "port" | "caFile" | "url" | "bearer", label: string, type = "text") => (
    <div className="field field--stacked">
      <label htmlFor={`${id}-${name}`} className="field__label">
        {label}
      </label>
      <input
        id={`${id}-${name}`}
        className="input"
        type={type}
        value={draft[name]}
        data-testid={`sink-form-${name}`}
        onChange={(event) => {
          setDraft((prev) => ({ ...prev, [name]: event.target.value }));
        }}
      />
    </div>
  );

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    saving.run(
      () => ipc.putAuditSink(toInput(draft)),
      () => {
        setDraft(EMPTY);
        onSaved();
      },
    );
  };

  return (
    <form className="sinks__form" onSubmit={submit} data-testid="sink-form">
      {text("id", t("sinks.id"))}
      <div className="field field--stacked">
        <label htmlFor={`${id}-kind`} className="field__label">
          {t("sinks.kind")}
        </label>
        <select
          id={`${id}-kind`}
          className="select"
          value={draft.kind}
          data-testid="sink-form-kind"
          onChange={(event) => {
            setDraft((prev) => ({ ...prev, kind: event.target.value === "webhook" ? "webhook" : "syslog" }));
          }}
        >
          <option value="syslog">{t("sinks.kind.syslog")}</option>
          <option value="webhook">{t("sinks.kind.webhook")}</option>
        </select>
      </div>
      {draft.kind === "syslog" ? (
        <>
          {text("host", t("sinks.host"))}
          {text("port", t("sinks.port"))}
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.tls}
              data-testid="sink-form-tls"
              onChange={(event) => {
                setDraft((prev) => ({ ...prev, tls: event.target.checked }));
              }}
            />{" "}
            {t("sinks.tls")}
          </label>
        </>
      ) : (
        <>
          {text("url", t("sinks.url"))}
          {text("bearer", t("sinks.bearer"), "password")}
        </>
      )}
      {text("caFile", t("sinks.caFile"))}
      <button type="submit" className="button button--primary" disabled={saving.pending} data-testid="sink-form-save">
        {saving.pending ? t("sinks.adding") : t("sinks.add")}
      </button>
      {saving.state.status === "failed" && (
        <ErrorNotice title={t("sinks.addFailed")} error={saving.state.error} testId="sink-form-error" />
      )}
    </form>
  );
}
