import { useCallback, useId, useState } from "react";
import type { HelpRequest } from "../../bindings/HelpRequest";
import type { Session } from "../../bindings/Session";
import type { TakenRequest } from "../../bindings/TakenRequest";
import { ErrorBanner } from "../../components/ErrorBanner";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useNow } from "../../hooks/useNow";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { useAuth } from "../account/context";
import { SignInAndContinue } from "../account/SignInAndContinue";
import { SessionDetail } from "../sessions/SessionDetail";
import type { InboxState } from "./useInbox";
import { formatWaited } from "./waited";

const MATCHED_BY: Readonly<Record<string, MessageKey>> = {
  email: "inbox.matchedBy.email",
  name: "inbox.matchedBy.name",
  device: "inbox.matchedBy.device",
};

interface Props {
  state: InboxState;
}

type Taking = { code: string } | null;
type Outcome = { taken: TakenRequest } | { code: string; error: IpcError } | null;

/**
 * Help requests from device users (the vendor's "with the click of a button"): open service
 * cases waiting unassigned in Help@Work's TeamViewer group, matched to their device (or flagged
 * unknown device), newest last, with the time waited. Take assigns one to the agent at
 * TeamViewer, records the session and opens the desktop client; the session then shows in the
 * side panel. Another agent who took it first is named in the conflict.
 */
export function InboxView({ state }: Props) {
  const { t, tn, formatDateTime } = useI18n();
  const auth = useAuth();
  const headingId = useId();
  const now = useNow(30_000);
  const [taking, setTaking] = useState<Taking>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [selected, setSelected] = useState<Session | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const { inbox, error, reload } = state;

  const take = (request: HelpRequest) => {
    if (taking !== null) return;
    setTaking({ code: request.code });
    setOutcome(null);
    ipc.takeRequest(request.code).then(
      (taken) => {
        setTaking(null);
        setOutcome({ taken });
        if (taken.session) setSelected(taken.session);
        reload();
      },
      (raw: unknown) => {
        setTaking(null);
        setOutcome({ code: request.code, error: toIpcError("take_request", raw) });
        reload();
      },
    );
  };

  const signIn = () => {
    setSigningIn(true);
    auth.signIn().then(
      () => {
        setSigningIn(false);
        reload();
      },
      () => {
        setSigningIn(false);
      },
    );
  };

  const closePanel = useCallback(() => {
    setSelected(null);
  }, []);

  let body;
  if (inbox === null && error) {
    body = (
      <ErrorNotice title={t("inbox.loadFailed")} error={error} onRetry={reload} testId="inbox-error">
        {error.code === "sign_in_needed" && <SignInAndContinue signingIn={signingIn} onSignIn={signIn} />}
      </ErrorNotice>
    );
  } else if (inbox === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="inbox-loading">
        <span className="spinner" aria-hidden="true" /> {t("inbox.loading")}
      </p>
    );
  } else if (inbox.requests.length === 0) {
    body = (
      <div className="empty" data-testid="inbox-empty">
        <p className="empty__title">{t("inbox.empty")}</p>
        <p className="muted">{t("inbox.emptyHint")}</p>
      </div>
    );
  } else {
    body = (
      <table className="table" aria-labelledby={headingId} data-testid="inbox-table">
        <thead>
          <tr>
            <th scope="col">{t("inbox.col.user")}</th>
            <th scope="col">{t("inbox.col.device")}</th>
            <th scope="col">{t("inbox.col.waiting")}</th>
            <th scope="col">{t("inbox.col.request")}</th>
            <th scope="col">
              <span className="sr-only">{t("inbox.col.action")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {inbox.requests.map((request) => {
            const created = Date.parse(request.created_at);
            const waited = Number.isNaN(created) ? request.waiting_seconds : Math.max(request.waiting_seconds, (now - created) / 1000);
            const busy = taking?.code === request.code;
            return (
              <tr
                key={request.code}
                className="table__row"
                data-testid="request-row"
                data-code={request.code}
                data-unknown-device={request.unknown_device}
              >
                <th scope="row">
                  <span className="inbox__user">{request.end_customer_name ?? request.end_customer_email ?? request.code}</span>
                  {request.end_customer_email && request.end_customer_name && (
                    <span className="muted inbox__email">{request.end_customer_email}</span>
                  )}
                  {request.online && (
                    <span className="inbox__online" data-testid="request-online">
                      {t("inbox.userOnline")}
                    </span>
                  )}
                </th>
                <td>
                  {request.unknown_device ? (
                    <span className="inbox__unknown" title={t("inbox.unknownDeviceHint")} data-testid="request-unknown-device">
                      {t("inbox.unknownDevice")}
                    </span>
                  ) : (
                    <>
                      <span>{request.device_name ?? request.device_id}</span>{" "}
                      <code className="muted">{request.device_id}</code>
                      {request.matched_by && MATCHED_BY[request.matched_by] && (
                        <span className="muted inbox__matched"> · {t(MATCHED_BY[request.matched_by] ?? "inbox.matchedBy.email")}</span>
                      )}
                    </>
                  )}
                </td>
                <td>
                  <time dateTime={request.created_at} title={formatDateTime(request.created_at)} data-testid="request-waited">
                    {formatWaited(t, waited)}
                  </time>
                </td>
                <td className="truncate">
                  {request.description ?? <span className="muted">{t("inbox.noDescription")}</span>}
                </td>
                <td>
                  <button
                    type="button"
                    className="button button--small button--primary"
                    aria-disabled={taking !== null ? true : undefined}
                    data-testid="request-take"
                    onClick={() => {
                      take(request);
                    }}
                  >
                    {busy ? t("inbox.taking") : t("inbox.take")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    );
  }

  return (
    <main className="devices sessions inbox" data-testid="inbox-view">
      <div className="devices__main">
        <div className="view-header">
          <h1 id={headingId} className="view-title">
            {t("inbox.title")}
          </h1>
        </div>
        <div className="toolbar">
          <p className="muted toolbar__hint">{t("inbox.hint")}</p>
          <button type="button" className="button button--small" data-testid="inbox-refresh" onClick={reload}>
            {t("inbox.refresh")}
          </button>
          {inbox !== null && (
            <span className="toolbar__count" role="status" data-testid="inbox-count">
              {tn("inbox.count", inbox.requests.length)}
            </span>
          )}
        </div>
        {error && inbox !== null && (
          <ErrorBanner text={t("inbox.refreshFailed", { message: error.message })} error={error} onRetry={reload} testId="inbox-refresh-error" />
        )}
        {outcome && "taken" in outcome && (
          <div className="notice notice--success" role="status" data-testid="request-taken">
            <p className="notice__title">{t("inbox.taken", { code: outcome.taken.code })}</p>
            {outcome.taken.unknown_device && <p className="hint">{t("inbox.takenUnknown")}</p>}
            {!outcome.taken.launched && outcome.taken.supporter_link && (
              <p className="session__link">
                <code>{outcome.taken.supporter_link}</code>
              </p>
            )}
          </div>
        )}
        {outcome && "error" in outcome && (
          <ErrorNotice title={t("inbox.takeFailed")} error={outcome.error} testId="request-take-error">
            {outcome.error.code === "sign_in_needed" && <SignInAndContinue signingIn={signingIn} onSignIn={signIn} />}
          </ErrorNotice>
        )}
        <div className="sessions__table">{body}</div>
      </div>
      {selected && <SessionDetail key={selected.id} session={selected} onChange={setSelected} onClose={closePanel} />}
    </main>
  );
}
