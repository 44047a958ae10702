import { useId, useMemo, useState, type SyntheticEvent } from "react";
import type { AuditExport } from "../../bindings/AuditExport";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { ipc } from "../../ipc";
import { useCommand } from "../admin/useCommand";
import { AuditChainStatus } from "./AuditChainStatus";
import { AuditTable } from "./AuditTable";
import { AUDIT_PAGE_SIZE, EMPTY_DRAFT, toFilter, useAuditFacets, useAuditPage, type AuditDraft } from "./useAudit";

interface Props {
  /** Bumped when the language changes. */
  epoch: number;
}

/**
 * The audit trail: filter by device, agent, action and time range (Apply, or Enter in any
 * field), page through the events newest first, and export every matching event as CSV. The
 * back end writes the CSV to the Downloads folder and answers the file's path: the window needs
 * no file-system or dialog permission. Above the filters, the hash chain's verification
 * (`AuditChainStatus`).
 */
export function AuditView({ epoch }: Props) {
  const { t, tn, formatNumber } = useI18n();
  const headingId = useId();
  const formId = useId();
  const [draft, setDraft] = useState<AuditDraft>(EMPTY_DRAFT);
  const [applied, setApplied] = useState<AuditDraft>(EMPTY_DRAFT);
  const [offset, setOffset] = useState(0);
  const filter = useMemo(() => toFilter(applied, offset), [applied, offset]);
  const { page, error, reload } = useAuditPage(filter, epoch);
  const facets = useAuditFacets(epoch);
  const exporting = useCommand<AuditExport>("export_audit");

  const apply = (event: SyntheticEvent) => {
    event.preventDefault();
    setApplied(draft);
    setOffset(0);
    exporting.reset();
  };

  const clear = () => {
    setDraft(EMPTY_DRAFT);
    setApplied(EMPTY_DRAFT);
    setOffset(0);
    exporting.reset();
  };

  const field = (name: keyof AuditDraft) => ({
    id: `${formId}-${name}`,
    value: draft[name],
    onChange: (event: { target: { value: string } }) => {
      setDraft((prev) => ({ ...prev, [name]: event.target.value }));
    },
  });

  const total = page?.total ?? 0;
  const shown = page?.items.length ?? 0;

  let body;
  if (page === null && error) {
    body = <ErrorNotice title={t("audit.loadFailed")} error={error} onRetry={reload} testId="audit-error" />;
  } else if (page === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="audit-loading">
        <span className="spinner" aria-hidden="true" /> {t("audit.loading")}
      </p>
    );
  } else if (page.items.length === 0) {
    body = (
      <div className="empty" data-testid="audit-empty">
        <p className="empty__title">{t("audit.empty")}</p>
        <p className="muted">{t("audit.emptyHint")}</p>
      </div>
    );
  } else {
    body = <AuditTable items={page.items} labelledBy={headingId} />;
  }

  return (
    <main className="devices sessions audit" data-testid="audit-view">
      <div className="devices__main">
        <div className="view-header">
          <h1 id={headingId} className="view-title">
            {t("audit.title")}
          </h1>
          <p className="muted">{t("audit.hint")}</p>
        </div>
        <AuditChainStatus epoch={epoch} />
        <form className="toolbar audit__filters" aria-label={t("audit.filters")} noValidate onSubmit={apply}>
          <div className="field field--stacked">
            <label htmlFor={`${formId}-device`} className="field__label">
              {t("audit.device")}
            </label>
            <input
              className="input"
              placeholder={t("audit.devicePlaceholder")}
              data-testid="audit-device"
              {...field("device")}
            />
          </div>
          <div className="field field--stacked">
            <label htmlFor={`${formId}-actor`} className="field__label">
              {t("audit.agent")}
            </label>
            <select className="select" data-testid="audit-actor" {...field("actor")}>
              <option value="">{t("audit.all")}</option>
              {facets.actors.map((actor) => (
                <option key={actor} value={actor}>
                  {actor}
                </option>
              ))}
            </select>
          </div>
          <div className="field field--stacked">
            <label htmlFor={`${formId}-action`} className="field__label">
              {t("audit.action")}
            </label>
            <select className="select" data-testid="audit-action" {...field("action")}>
              <option value="">{t("audit.all")}</option>
              {facets.actions.map((action) => (
                <option key={action} value={action}>
                  {action}
                </option>
              ))}
            </select>
          </div>
          <div className="field field--stacked">
            <label htmlFor={`${formId}-since`} className="field__label">
              {t("audit.since")}
            </label>
            <input type="datetime-local" className="input" data-testid="audit-since" {...field("since")} />
          </div>
          <div className="field field--stacked">
            <label htmlFor={`${formId}-until`} className="field__label">
              {t("audit.until")}
            </label>
            <input type="datetime-local" className="input" data-testid="audit-until" {...field("until")} />
          </div>
          <button type="submit" className="button button--primary" data-testid="audit-apply">
            {t("audit.apply")}
          </button>
          <button type="button" className="button" data-testid="audit-clear" onClick={clear}>
            {t("audit.clear")}
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={exporting.pending || total === 0 ? true : undefined}
            data-testid="audit-export"
            onClick={() => {
              if (exporting.pending || total === 0) return;
              exporting.run(() => ipc.exportAudit(toFilter(applied, 0, 0)));
            }}
          >
            {exporting.pending ? t("audit.exporting") : t("audit.export")}
          </button>
        </form>
        <div aria-live="polite" data-testid="audit-export-status">
          {exporting.state.status === "done" && (
            <div className="notice notice--success">
              <p className="notice__title">{tn("audit.exported", exporting.state.value.rows)}</p>
              <p className="notice__message">{t("audit.exportedTo", { path: exporting.state.value.path })}</p>
            </div>
          )}
        </div>
        {exporting.state.status === "failed" && (
          <ErrorNotice title={t("audit.exportFailed")} error={exporting.state.error} testId="audit-export-error" />
        )}
        <div className="sessions__table">{body}</div>
        {page !== null && total > 0 && (
          <nav className="toolbar audit__pager" aria-label={t("audit.pages")}>
            <span className="toolbar__count" role="status" data-testid="audit-range">
              {t("audit.range", {
                from: formatNumber(offset + 1),
                to: formatNumber(offset + shown),
                total: formatNumber(total),
              })}
            </span>
            <button
              type="button"
              className="button button--small"
              disabled={offset === 0}
              data-testid="audit-previous"
              onClick={() => {
                setOffset(Math.max(0, offset - AUDIT_PAGE_SIZE));
              }}
            >
              {t("audit.previous")}
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={offset + shown >= total}
              data-testid="audit-next"
              onClick={() => {
                setOffset(offset + AUDIT_PAGE_SIZE);
              }}
            >
              {t("audit.next")}
            </button>
          </nav>
        )}
      </div>
    </main>
  );
}
