import type { ConnectionTest } from "../../bindings/ConnectionTest";
import type { TestTarget } from "../../bindings/TestTarget";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ipc } from "../../ipc";
import { useCommand } from "../admin/useCommand";

/** "Test connection": the saved settings tried for real; the answer, or the error with its fix. */
export function ConnectionTestButton({ target }: { target: TestTarget }) {
  const t = useT();
  const command = useCommand<ConnectionTest>("test_setting");
  return (
    <div className="settings__test" data-testid={`test-${target}`}>
      <button
        type="button"
        className="button"
        aria-disabled={command.pending ? true : undefined}
        data-testid={`test-button-${target}`}
        onClick={() => {
          command.run(() => ipc.testSetting(target));
        }}
      >
        {command.pending ? t("settings.testing") : t("settings.test")}
      </button>
      <div aria-live="polite">
        {command.state.status === "done" && (
          <div className="notice notice--success" data-testid={`test-ok-${target}`}>
            <p className="notice__title">{t("settings.testOk")}</p>
            <p className="notice__message">{command.state.value.message}</p>
            {command.state.value.notes.length > 0 && (
              <ul>
                {command.state.value.notes.map((note) => (
                  <li key={note}>{note}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
      {command.state.status === "failed" && (
        <ErrorNotice title={t("settings.testFailed")} error={command.state.error} testId={`test-error-${target}`} />
      )}
    </div>
  );
}
