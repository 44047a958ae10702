import { useEffect, useId, useState } from "react";
import type { BoardGroup } from "../../bindings/BoardGroup";
import type { FixAction } from "../../bindings/FixAction";
import type { FixPlan } from "../../bindings/FixPlan";
import type { FixProgress } from "../../bindings/FixProgress";
import type { FixRun } from "../../bindings/FixRun";
import type { GroupExport } from "../../bindings/GroupExport";
import type { Mode } from "../../bindings/Mode";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Modal } from "../../components/Modal";
import { useI18n } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";

/** Devices listed in the dialog; the rest are counted. */
const LISTED = 50;

interface Props {
  mode: Mode;
  group: BoardGroup;
  offlineDays: number;
  onClose: () => void;
  /** A run changed devices: the board is recomputed. */
  onDone: () => void;
}

type Step =
  | { kind: "planning" }
  | { kind: "plan"; plan: FixPlan }
  | { kind: "running"; plan: FixPlan; progress: FixProgress | null; cancelling: boolean }
  | { kind: "ran"; run: FixRun }
  | { kind: "failed"; error: IpcError; plan: FixPlan | null };

/**
 * A group's bulk fix: the dry run first (each device's change or why it gets none, the unattended
 * licences it takes, U3), then Run with progress and Cancel, then each device's outcome. A fix the
 * connector cannot do is refused in the plan, and the group's devices can be exported as CSV for
 * the MDM console.
 */
export function FixDialog({ mode, group, offlineDays, onClose, onDone }: Props) {
  const { t } = useI18n();
  const titleId = useId();
  const [step, setStep] = useState<Step>({ kind: "planning" });
  const [exported, setExported] = useState<GroupExport | IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.planFix(mode, group.blocker, offlineDays).then(
      (plan) => {
        if (live) setStep({ kind: "plan", plan });
      },
      (raw: unknown) => {
        if (live) setStep({ kind: "failed", error: toIpcError("plan_fix", raw), plan: null });
      },
    );
    return () => {
      live = false;
    };
  }, [mode, group.blocker, offlineDays]);

  const run = (plan: FixPlan) => {
    setStep({ kind: "running", plan, progress: null, cancelling: false });
    ipc
      .runFix(mode, group.blocker, offlineDays, (progress) => {
        setStep((s) => (s.kind === "running" ? { ...s, progress } : s));
      })
      .then(
        (done) => {
          setStep({ kind: "ran", run: done });
          onDone();
        },
        (raw: unknown) => {
          setStep({ kind: "failed", error: toIpcError("run_fix", raw), plan });
        },
      );
  };

  const cancel = () => {
    setStep((s) => (s.kind === "running" ? { ...s, cancelling: true } : s));
    void ipc.cancelFix();
  };

  const exportCsv = () => {
    ipc.exportGroup(mode, group.blocker, offlineDays).then(setExported, (raw: unknown) => {
      setExported(toIpcError("export_group", raw));
    });
  };

  const running = step.kind === "running";
  const plan = step.kind === "plan" || step.kind === "running" ? step.plan : step.kind === "ran" ? step.run.plan : step.kind === "failed" ? step.plan : null;

  return (
    <Modal labelledBy={titleId} onClose={running ? cancel : onClose} testId="fix-dialog" className="fix-dialog">
      <div className="modal__header">
        <h2 id={titleId} className="modal__title">
          {t("fix.title", { group: group.label })}
        </h2>
      </div>
      {/* The plan's table can scroll: the body takes focus so the keyboard scrolls it too. */}
      <div
        className="modal__body"
        role="region"
        aria-labelledby={titleId}
        // A scrolling region must be reachable by keyboard to be read to the end (WCAG 2.1.1).
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
      >
      {step.kind === "planning" && (
        <p className="status-line" role="status" data-testid="fix-planning">
          <span className="spinner" aria-hidden="true" /> {t("fix.planning")}
        </p>
      )}
      {step.kind === "failed" && (
        <ErrorNotice title={t(step.plan === null ? "fix.planFailed" : "fix.runFailed")} error={step.error} testId="fix-error" />
      )}
      {plan !== null && step.kind !== "ran" && <PlanSummary plan={plan} />}
      {step.kind === "running" && (
        <div role="status" data-testid="fix-progress">
          <progress max={step.progress?.total ?? 1} value={step.progress?.done ?? 0} />{" "}
          {t("fix.running", { done: step.progress?.done ?? 0, total: step.progress?.total ?? plan?.devices.length ?? 0 })}
        </div>
      )}
      {step.kind === "ran" && <Outcomes run={step.run} />}
      {plan?.refused != null && (
        <div className="fix-dialog__export">
          <button type="button" className="button" onClick={exportCsv} data-testid="fix-export">
            {t("fix.exportCsv")}
          </button>
          {exported !== null &&
            ("path" in exported ? (
              <p role="status" data-testid="fix-exported">
                {t("fix.exported", { file: exported.path, count: exported.rows })}
              </p>
            ) : (
              <ErrorNotice title={t("fix.exportFailed")} error={exported} />
            ))}
        </div>
      )}
      </div>
      <div className="modal__footer">
        {step.kind === "plan" && plan?.refused == null && plan !== null && plan.devices.some((d) => d.action !== null) && (
          <button
            type="button"
            className="button button--primary"
            data-testid="fix-run"
            onClick={() => {
              run(plan);
            }}
          >
            {t("fix.run")}
          </button>
        )}
        {running ? (
          <button type="button" className="button" data-testid="fix-cancel" disabled={step.cancelling} onClick={cancel}>
            {t("fix.cancel")}
          </button>
        ) : (
          <button type="button" className="button" data-testid="fix-close" onClick={onClose}>
            {t("fix.close")}
          </button>
        )}
      </div>
    </Modal>
  );
}

function useActionText(): (action: FixAction) => string {
  const { t } = useI18n();
  return (action) =>
    action.kind === "force_checkin"
      ? t("fix.forceCheckin")
      : action.package !== null
        ? t("fix.distributePackage", { package: action.package })
        : t("fix.distribute", { app: action.app });
}

function PlanSummary({ plan }: { plan: FixPlan }) {
  const { t, formatNumber } = useI18n();
  const actionText = useActionText();
  const changes = plan.devices.filter((d) => d.action !== null);
  const skipped = plan.devices.length - changes.length;
  return (
    <div className="fix-plan" data-testid="fix-plan">
      <p className="muted">{t("fix.dryRun")}</p>
      <p data-testid="fix-changes">{t("fix.changes", { count: formatNumber(changes.length) })}</p>
      {skipped > 0 && <p data-testid="fix-skipped">{t("fix.skipped", { count: formatNumber(skipped) })}</p>}
      <p data-testid="fix-licences">
        {plan.licences_free === null
          ? t("fix.licencesNone")
          : t("fix.licences", { needed: formatNumber(plan.licences_needed), free: formatNumber(plan.licences_free) })}
      </p>
      {plan.refused !== null && (
        <p className="notice notice--error" role="alert" data-testid="fix-refused">
          {t("fix.refused", { why: plan.refused })}
        </p>
      )}
      <table className="fix-table">
        <thead>
          <tr>
            <th scope="col">{t("fix.device")}</th>
            <th scope="col">{t("fix.change")}</th>
          </tr>
        </thead>
        <tbody>
          {plan.devices.slice(0, LISTED).map((d) => (
            <tr key={d.device_id}>
              <td>{d.device_id}</td>
              <td>{d.action !== null ? actionText(d.action) : <span className="muted">{d.skipped ?? plan.refused ?? ""}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.devices.length > LISTED && <p className="muted">{t("fix.more", { count: formatNumber(plan.devices.length - LISTED) })}</p>}
    </div>
  );
}

function Outcomes({ run }: { run: FixRun }) {
  const { t, formatNumber } = useI18n();
  const actionText = useActionText();
  const ok = run.outcomes.filter((o) => o.ok).length;
  const total = run.plan.devices.filter((d) => d.action !== null).length;
  return (
    <div data-testid="fix-outcomes">
      <p role="status">
        {run.cancelled
          ? t("fix.cancelled", { done: formatNumber(run.outcomes.length), total: formatNumber(total) })
          : t("fix.done", { ok: formatNumber(ok), failed: formatNumber(run.outcomes.length - ok) })}
      </p>
      <table className="fix-table">
        <thead>
          <tr>
            <th scope="col">{t("fix.device")}</th>
            <th scope="col">{t("fix.change")}</th>
            <th scope="col">{t("fix.outcome")}</th>
          </tr>
        </thead>
        <tbody>
          {run.outcomes.slice(0, LISTED).map((o) => (
            <tr key={o.device_id} data-testid="fix-outcome">
              <td>{o.device_id}</td>
              <td>{actionText(o.action)}</td>
              <td>{o.ok ? t("fix.ok") : t("fix.failed", { error: o.error ?? "" })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {run.outcomes.length > LISTED && <p className="muted">{t("fix.more", { count: formatNumber(run.outcomes.length - LISTED) })}</p>}
    </div>
  );
}
