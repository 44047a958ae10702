import { useRef, useState } from "react";
import type { AdminStatus } from "../../bindings/AdminStatus";
import type { Mode } from "../../bindings/Mode";
import { useT } from "../../i18n/context";
import { ActivationCard } from "./ActivationCard";
import { AdminSection } from "./AdminSection";
import { ConfirmRemovalDialog } from "./ConfirmRemovalDialog";
import { EulaDialog } from "./EulaDialog";
import { ACTIVATION_LABEL } from "./labels";

interface Props {
  status: AdminStatus;
  onStatus: (status: AdminStatus) => void;
}

const MODES: readonly Mode[] = ["attended", "unattended"];

type Done = { kind: "activated"; mode: Mode } | { kind: "removed" } | null;

/**
 * A1: Activate TeamViewer, with Attended TeamViewer and Unattended TeamViewer (Android only).
 * Activate now shows the EULA (A2); once any mode is active, Remove activation asks Confirm
 * removal of activation (A3). After a removal both modes can be activated again (A4).
 */
export function ActivationSection({ status, onStatus }: Props) {
  const t = useT();
  const [eulaFor, setEulaFor] = useState<Mode | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<Done>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const anyActive = status.activations.some((activation) => activation.active);

  return (
    <AdminSection title={t("activation.heading")} hint={t("activation.hint")} testId="activation-section">
      <div className="activation-cards">
        {MODES.map((mode) => (
          <ActivationCard
            key={mode}
            mode={mode}
            activation={status.activations.find((activation) => activation.mode === mode)}
            locked={status.locked}
            onActivate={() => {
              setDone(null);
              setEulaFor(mode);
            }}
          />
        ))}
      </div>
      <div className="admin-section__status" aria-live="polite">
        {done && (
          <p className="notice notice--success" data-testid="activation-done">
            {done.kind === "activated"
              ? t("activation.done", { mode: t(ACTIVATION_LABEL[done.mode]) })
              : t("activation.removed")}
          </p>
        )}
      </div>
      {anyActive && (
        <div className="admin-section__actions">
          <button
            ref={removeRef}
            type="button"
            className="button button--danger"
            data-testid="remove-activation"
            onClick={() => {
              setDone(null);
              setConfirming(true);
            }}
          >
            {t("activation.remove")}
          </button>
          <span className="hint">{t("activation.removeHint")}</span>
        </div>
      )}
      {eulaFor !== null && (
        <EulaDialog
          mode={eulaFor}
          onClose={() => {
            setEulaFor(null);
          }}
          onActivated={(next) => {
            setDone({ kind: "activated", mode: eulaFor });
            setEulaFor(null);
            onStatus(next);
          }}
        />
      )}
      {confirming && (
        <ConfirmRemovalDialog
          onClose={() => {
            setConfirming(false);
          }}
          onRemoved={(next) => {
            setConfirming(false);
            setDone({ kind: "removed" });
            onStatus(next);
          }}
        />
      )}
    </AdminSection>
  );
}
