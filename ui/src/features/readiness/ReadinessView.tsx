import { useId, useRef, useState, type KeyboardEvent } from "react";
import type { BoardGroup } from "../../bindings/BoardGroup";
import type { Mode } from "../../bindings/Mode";
import type { ModeReadiness } from "../../bindings/ModeReadiness";
import { CheckItem } from "../../components/CheckItem";
import { ErrorBanner } from "../../components/ErrorBanner";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import type { GroupFilter } from "../devices/pageCache";
import { FixDialog } from "./FixDialog";
import { Sparkline } from "./Sparkline";
import { OFFLINE_DAYS, useReadinessBoard } from "./useReadinessBoard";

const MODES: readonly Mode[] = ["attended", "unattended"];

interface Props {
  /** Bumped when the language changes or a sync wrote devices. */
  epoch: number;
  /** Opens the devices table on a group's devices. */
  onShowDevices: (group: GroupFilter) => void;
}

/**
 * The fleet readiness board (docs/readiness.md): per mode, the devices that can be helped now and
 * the groups of the rest, each with its count, its share of the fleet and its line over the daily
 * snapshots. The stored board is painted at once with the time it was computed, then replaced by
 * a fresh one. A group opens the devices table on its devices, or its bulk fix (a dry run first).
 */
export function ReadinessView({ epoch, onShowDevices }: Props) {
  const { t, formatDateTime } = useI18n();
  const state = useReadinessBoard(epoch);
  const [mode, setMode] = useState<Mode>("attended");
  const [fixing, setFixing] = useState<BoardGroup | null>(null);
  const [finding, setFinding] = useState<{ group: BoardGroup; error: IpcError | null } | null>(null);
  const headingId = useId();
  const { board } = state;
  const shown = board?.modes.find((m) => m.mode === mode) ?? null;

  const showDevices = (group: BoardGroup) => {
    setFinding({ group, error: null });
    ipc.readinessGroup(mode, group.blocker, board?.offline_days ?? OFFLINE_DAYS).then(
      (ids) => {
        setFinding(null);
        onShowDevices({
          key: `${mode}/${group.blocker}/${board?.taken_at ?? ""}`,
          title: t("readiness.groupDevices", { group: group.label, mode: t(`readiness.mode.${mode}`) }),
          ids,
        });
      },
      (raw: unknown) => {
        setFinding({ group, error: toIpcError("readiness_group", raw) });
      },
    );
  };

  let body;
  if (board === null && state.error) {
    body = <ErrorNotice title={t("readiness.loadFailed")} error={state.error} onRetry={state.refresh} testId="readiness-error" />;
  } else if (board === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="readiness-loading">
        <span className="spinner" aria-hidden="true" /> {t(state.refreshing ? "readiness.none" : "readiness.loading")}
      </p>
    );
  } else if (shown !== null) {
    body = (
      <ModePanel
        readiness={shown}
        labelledBy={`${headingId}-${mode}`}
        onShowDevices={showDevices}
        onFix={setFixing}
      />
    );
  }

  return (
    <main className="readiness" aria-labelledby={headingId}>
      <div className="view-header">
        <h1 id={headingId} className="view-title">
          {t("readiness.title")}
        </h1>
        <div className="readiness__when">
          {board !== null && (
            <span className="muted" data-testid="readiness-computed-at">
              {t("readiness.computedAt", { at: formatDateTime(board.taken_at) })}
            </span>
          )}
          {state.refreshing ? (
            <span className="status-line" role="status" data-testid="readiness-refreshing">
              <span className="spinner" aria-hidden="true" /> {t("readiness.refreshing")}
            </span>
          ) : (
            <button type="button" className="button" onClick={state.refresh} data-testid="readiness-refresh">
              {t("readiness.refresh")}
            </button>
          )}
        </div>
      </div>
      {board !== null && state.refreshError && (
        <ErrorBanner
          text={`${t("readiness.refreshFailed")} ${state.refreshError.message}`}
          error={state.refreshError}
          onRetry={state.refresh}
          testId="readiness-refresh-error"
        />
      )}
      <ModeTabs mode={mode} onChange={setMode} idPrefix={headingId} />
      {finding && (
        <div className="readiness__finding" role="status" data-testid="readiness-group-loading">
          {finding.error ? (
            <ErrorNotice title={t("readiness.loadFailed")} error={finding.error} onRetry={() => { showDevices(finding.group); }} />
          ) : (
            <>
              <span className="spinner" aria-hidden="true" /> {t("readiness.groupLoading")}
            </>
          )}
        </div>
      )}
      {body}
      {fixing && board !== null && (
        <FixDialog mode={mode} group={fixing} offlineDays={board.offline_days} onClose={() => { setFixing(null); }} onDone={state.refresh} />
      )}
    </main>
  );
}

/** Attended | Unattended as tabs: Left/Right move and select. */
function ModeTabs({ mode, onChange, idPrefix }: { mode: Mode; onChange: (mode: Mode) => void; idPrefix: string }) {
  const { t } = useI18n();
  const refs = useRef<Partial<Record<Mode, HTMLButtonElement | null>>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const index = MODES.indexOf(mode);
    const next =
      event.key === "Home" ? 0 : event.key === "End" ? MODES.length - 1 : (index + (event.key === "ArrowRight" ? 1 : MODES.length - 1)) % MODES.length;
    const target = MODES[next] ?? "attended";
    onChange(target);
    refs.current[target]?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={t("readiness.modes")}>
      {MODES.map((m) => (
        <button
          key={m}
          ref={(node) => {
            refs.current[m] = node;
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-${m}`}
          aria-selected={m === mode}
          tabIndex={m === mode ? 0 : -1}
          className={`tabs__tab${m === mode ? " tabs__tab--current" : ""}`}
          data-testid={`readiness-mode-${m}`}
          onClick={() => {
            onChange(m);
          }}
          onKeyDown={onKeyDown}
        >
          {t(`readiness.mode.${m}`)}
        </button>
      ))}
    </div>
  );
}

interface PanelProps {
  readiness: ModeReadiness;
  labelledBy: string;
  onShowDevices: (group: BoardGroup) => void;
  onFix: (group: BoardGroup) => void;
}

function ModePanel({ readiness, labelledBy, onShowDevices, onFix }: PanelProps) {
  const { t, formatNumber } = useI18n();
  const { board, series } = readiness;
  const percent = (share: number) => `${formatNumber(Math.round(share * 1000) / 10)} %`;
  return (
    <section className="readiness__panel" role="tabpanel" aria-labelledby={labelledBy} data-testid={`readiness-panel-${board.mode}`}>
      <p className="readiness__now" data-testid="readiness-helpable">
        {t("readiness.helpableNow", { count: formatNumber(board.helpable_now), total: formatNumber(board.total) })}
      </p>
      {board.fleet_blocks.length > 0 && (
        <div className="notice notice--error" data-testid="readiness-fleet-blocks">
          <p className="notice__title">{t("readiness.fleetBlocks")}</p>
          <ul className="checklist">
            {board.fleet_blocks.map((check) => (
              <CheckItem key={check.rule + check.message} check={check} />
            ))}
          </ul>
        </div>
      )}
      <h2 className="readiness__groups-title">{t("readiness.groups")}</h2>
      {board.groups.length === 0 ? (
        <p className="muted" data-testid="readiness-no-groups">
          {t("readiness.noGroups")}
        </p>
      ) : (
        <ul className="readiness__groups">
          {board.groups.map((group) => {
            const first = series[0]?.groups[group.blocker] ?? 0;
            const last = series.at(-1)?.groups[group.blocker] ?? group.count;
            return (
              <li key={group.blocker} className="readiness-group" data-testid={`readiness-group-${group.blocker}`}>
                <div className="readiness-group__head">
                  <span className={`readiness-group__kind readiness-group__kind--${group.blocks ? "blocks" : "degrades"}`}>
                    {t(group.blocks ? "readiness.blocks" : "readiness.degrades")}
                  </span>
                  <span className="readiness-group__label">{group.label}</span>
                </div>
                <div className="readiness-group__figures">
                  <span className="readiness-group__count" data-testid="group-count">
                    {formatNumber(group.count)}
                  </span>
                  <span className="muted">{t("readiness.share", { share: percent(group.share) })}</span>
                  <Sparkline
                    series={series}
                    group={group.blocker}
                    label={t("readiness.trend", {
                      group: group.label,
                      days: series.length,
                      first: formatNumber(first),
                      last: formatNumber(last),
                    })}
                  />
                </div>
                <p className="muted readiness-group__fix">{group.fix}</p>
                <div className="readiness-group__actions">
                  <button
                    type="button"
                    className="button"
                    data-testid="group-devices"
                    onClick={() => {
                      onShowDevices(group);
                    }}
                  >
                    {t("readiness.showDevices")}
                  </button>
                  <button
                    type="button"
                    className="button button--primary"
                    data-testid="group-fix"
                    onClick={() => {
                      onFix(group);
                    }}
                  >
                    {t("readiness.fix")}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
