import { useCallback, useEffect, useId, useState } from "react";
import type { Approval } from "../../bindings/Approval";
import type { ApprovalState } from "../../bindings/ApprovalState";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { ipc, toIpcError, type IpcError } from "../../ipc";

const STATE_LABEL: Readonly<Record<ApprovalState, MessageKey>> = {
  pending: "approvals.state.pending",
  approved: "approvals.state.approved",
  refused: "approvals.state.refused",
  used: "approvals.state.used",
  expired: "approvals.state.expired",
};

interface Props {
  /** Bumped when the language changes. */
  epoch: number;
}

type Loaded = { approvals: Approval[] } | { error: IpcError } | null;

/**
 * Four eyes (docs/audit.md, Support policies): the unattended starts a support policy holds
 * until another agent approves them, newest first. Approve and Refuse decide another agent's
 * request (an optional reason for a refusal); the agent's own requests say that another agent
 * decides them. The back end refuses the requester and an expired request; its error shows here.
 */
export function ApprovalsView({ epoch }: Props) {
  const { t, formatDateTime } = useI18n();
  const headingId = useId();
  const [all, setAll] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>(null);
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<IpcError | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});

  useEffect(() => {
    let live = true;
    ipc.listApprovals(all).then(
      (approvals) => {
        if (live) setLoaded({ approvals });
      },
      (raw: unknown) => {
        if (live) setLoaded({ error: toIpcError("list_approvals", raw) });
      },
    );
    return () => {
      live = false;
    };
  }, [all, version, epoch]);

  const reload = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);

  const decide = (approval: Approval, approve: boolean) => {
    if (busy !== null) return;
    setBusy(approval.id);
    setFailure(null);
    const reason = (reasons[approval.id] ?? "").trim();
    const call = approve ? ipc.approveStart(approval.id) : ipc.refuseStart(approval.id, reason === "" ? null : reason);
    call.then(
      () => {
        setBusy(null);
        reload();
      },
      (raw: unknown) => {
        setBusy(null);
        setFailure(toIpcError(approve ? "approve_start" : "refuse_start", raw));
        reload();
      },
    );
  };

  let body;
  if (loaded === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="approvals-loading">
        <span className="spinner" aria-hidden="true" /> {t("approvals.loading")}
      </p>
    );
  } else if ("error" in loaded) {
    body = <ErrorNotice title={t("approvals.loadFailed")} error={loaded.error} onRetry={reload} testId="approvals-error" />;
  } else if (loaded.approvals.length === 0) {
    body = (
      <div className="empty" data-testid="approvals-empty">
        <p className="empty__title">{t("approvals.empty")}</p>
      </div>
    );
  } else {
    body = (
      <table className="table" aria-labelledby={headingId} data-testid="approvals-table">
        <thead>
          <tr>
            <th scope="col">{t("approvals.device")}</th>
            <th scope="col">{t("approvals.requester")}</th>
            <th scope="col">{t("approvals.ticket")}</th>
            <th scope="col">{t("approvals.reason")}</th>
            <th scope="col">{t("approvals.state")}</th>
            <th scope="col">{t("approvals.expires")}</th>
            <th scope="col">{t("approvals.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {loaded.approvals.map((a) => (
            <tr key={a.id} className="table__row" data-testid="approval-row" data-id={a.id} data-state={a.state}>
              <th scope="row">
                <code>{a.device_id}</code>
                <span className="muted approvals__policies"> · {a.policies.join(", ")}</span>
              </th>
              <td>{a.requester}</td>
              <td>{a.ticket ?? "—"}</td>
              <td className="truncate">{a.reason}</td>
              <td data-testid="approval-state">
                {t(STATE_LABEL[a.state])}
                {a.decided_by && <span className="muted"> · {a.decided_by}</span>}
              </td>
              <td>
                <time dateTime={a.expires_at}>{formatDateTime(a.expires_at)}</time>
              </td>
              <td>
                {a.state !== "pending" ? null : a.mine ? (
                  <span className="muted" data-testid="approval-mine">
                    {t("approvals.mine")}
                  </span>
                ) : (
                  <div className="approvals__decide">
                    <button
                      type="button"
                      className="button button--small button--primary"
                      aria-disabled={busy !== null ? true : undefined}
                      data-testid="approval-approve"
                      onClick={() => {
                        decide(a, true);
                      }}
                    >
                      {t("approvals.approve")}
                    </button>
                    <input
                      type="text"
                      className="input input--small"
                      maxLength={500}
                      aria-label={t("approvals.refuseReason")}
                      placeholder={t("approvals.refuseReason")}
                      value={reasons[a.id] ?? ""}
                      data-testid="approval-refuse-reason"
                      onChange={(event) => {
                        setReasons((r) => ({ ...r, [a.id]: event.target.value }));
                      }}
                    />
                    <button
                      type="button"
                      className="button button--small"
                      aria-disabled={busy !== null ? true : undefined}
                      data-testid="approval-refuse"
                      onClick={() => {
                        decide(a, false);
                      }}
                    >
                      {t("approvals.refuse")}
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }

  return (
    <main className="devices sessions approvals" data-testid="approvals-view">
      <div className="devices__main">
        <div className="view-header">
          <h1 id={headingId} className="view-title">
            {t("approvals.title")}
          </h1>
        </div>
        <div className="toolbar">
          <p className="muted toolbar__hint">{t("approvals.hint")}</p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={all}
              data-testid="approvals-all"
              onChange={(event) => {
                setAll(event.target.checked);
              }}
            />{" "}
            {t("approvals.all")}
          </label>
          <button type="button" className="button button--small" data-testid="approvals-refresh" onClick={reload}>
            {t("approvals.refresh")}
          </button>
        </div>
        {failure && <ErrorNotice title={t("approvals.decideFailed")} error={failure} testId="approval-decide-error" />}
        <div className="sessions__table">{body}</div>
      </div>
    </main>
  );
}
