import { useId, useRef } from "react";
import type { AdminStatus } from "../../bindings/AdminStatus";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Modal } from "../../components/Modal";
import { useT } from "../../i18n/context";
import { ipc } from "../../ipc";
import { useCommand } from "./useCommand";

interface Props {
  onClose: () => void;
  onRemoved: (status: AdminStatus) => void;
}

/**
 * A3: **Confirm removal of activation**. Confirming removes the activation: Help@Work disappears
 * from all supported devices, no new sessions start and open ones are ended. Cancel (the
 * initial focus) and Esc change nothing.
 */
export function ConfirmRemovalDialog({ onClose, onRemoved }: Props) {
  const t = useT();
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const command = useCommand<AdminStatus>("remove_activation");

  const close = () => {
    if (!command.pending) onClose();
  };

  return (
    <Modal
      labelledBy={`${id}-title`}
      describedBy={`${id}-body`}
      onClose={close}
      initialFocus={cancelRef}
      testId="confirm-removal"
    >
      <div className="modal__header">
        <h2 id={`${id}-title`} className="modal__title">
          {t("removal.title")}
        </h2>
      </div>
      <div className="modal__body">
        <div id={`${id}-body`} className="prose">
          <p>{t("removal.body")}</p>
          <p>{t("removal.sessions")}</p>
          <p className="muted">{t("removal.again")}</p>
        </div>
        {command.state.status === "failed" && (
          <ErrorNotice title={t("activation.removeFailed")} error={command.state.error} testId="removal-error" />
        )}
      </div>
      <div className="modal__footer">
        <button ref={cancelRef} type="button" className="button" onClick={close}>
          {t("admin.cancel")}
        </button>
        <button
          type="button"
          className="button button--danger"
          aria-disabled={command.pending ? true : undefined}
          data-testid="confirm-removal-yes"
          onClick={() => {
            command.run(() => ipc.removeActivation(), onRemoved);
          }}
        >
          {command.pending ? t("activation.removing") : t("activation.remove")}
        </button>
      </div>
    </Modal>
  );
}
