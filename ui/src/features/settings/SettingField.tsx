import { useId, useState, type SyntheticEvent } from "react";
import type { SettingChange } from "../../bindings/SettingChange";
import type { SettingEntry } from "../../bindings/SettingEntry";
import type { SettingsView } from "../../bindings/SettingsView";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { ipc } from "../../ipc";
import { useCommand } from "../admin/useCommand";

interface Props {
  entry: SettingEntry;
  onSaved: (settings: SettingsView) => void;
}

/** The label of a setting's key. */
export function keyLabel(key: string): MessageKey {
  return `settings.key.${key}` as MessageKey;
}

function choiceLabel(choice: string): MessageKey {
  return `settings.choice.${choice}` as MessageKey;
}

/**
 * One setting: its input (a select for a choice, a password field for a secret, which never
 * shows the saved value), where its value comes from, and Save (Enter). A refused value shows
 * the back end's message and fix, and nothing was changed.
 */
export function SettingField({ entry, onSaved }: Props) {
  const t = useT();
  const id = useId();
  const initial = entry.secret ? "" : (entry.saved ?? "");
  const [draft, setDraft] = useState<string | null>(null);
  const command = useCommand<SettingChange>("set_setting");
  const value = draft ?? initial;

  const save = (next: string) => {
    command.run(
      () => ipc.setSetting(entry.key, next),
      (change) => {
        setDraft(null);
        onSaved(change.settings);
      },
    );
  };

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (command.pending) return;
    save(value);
  };

  const source =
    entry.source === "env"
      ? t("settings.source.env", { env: entry.env ?? "" })
      : t(`settings.source.${entry.source}` as MessageKey);

  return (
    <form className="inline-form settings__field" noValidate onSubmit={submit} data-testid={`setting-${entry.key}`}>
      <div className="field field--stacked field--grow">
        <label htmlFor={`${id}-input`} className="field__label">
          {t(keyLabel(entry.key))}
        </label>
        {entry.choices.length > 0 ? (
          <select
            id={`${id}-input`}
            className="select"
            value={value}
            aria-describedby={`${id}-source`}
            data-testid={`setting-input-${entry.key}`}
            onChange={(event) => {
              setDraft(event.target.value);
              command.reset();
            }}
          >
            <option value="">
              {entry.choices[0] === undefined
                ? t("settings.default")
                : t("settings.defaultIs", { value: t(choiceLabel(entry.choices[0])) })}
            </option>
            {entry.choices.map((choice) => (
              <option key={choice} value={choice}>
                {t(choiceLabel(choice))}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={`${id}-input`}
            className="input"
            type={entry.secret ? "password" : "text"}
            autoComplete="off"
            spellCheck={false}
            value={value}
            placeholder={entry.secret ? (entry.is_set ? t("settings.secretSet") : t("settings.secretUnset")) : ""}
            aria-describedby={`${id}-source`}
            aria-invalid={command.state.status === "failed" ? true : undefined}
            data-testid={`setting-input-${entry.key}`}
            onChange={(event) => {
              setDraft(event.target.value);
              command.reset();
            }}
          />
        )}
        <p id={`${id}-source`} className="hint" data-testid={`setting-source-${entry.key}`}>
          {source}
        </p>
      </div>
      <button
        type="submit"
        className="button"
        aria-disabled={command.pending ? true : undefined}
        data-testid={`setting-save-${entry.key}`}
      >
        {command.pending ? t("settings.saving") : t("settings.save")}
      </button>
      {entry.secret && entry.is_set && entry.source === "keyring" && (
        <button
          type="button"
          className="button"
          data-testid={`setting-forget-${entry.key}`}
          onClick={() => {
            if (!command.pending) save("");
          }}
        >
          {t("settings.forget")}
        </button>
      )}
      <div aria-live="polite" className="settings__status">
        {command.state.status === "done" && (
          <p className="hint" data-testid={`setting-saved-${entry.key}`}>
            {command.state.value.set ? t("settings.saved") : t("settings.cleared")}{" "}
            {command.state.value.restart ? t("settings.restart") : ""}
          </p>
        )}
      </div>
      {command.state.status === "failed" && (
        <ErrorNotice
          title={t("settings.saveFailed")}
          error={command.state.error}
          testId={`setting-error-${entry.key}`}
        />
      )}
    </form>
  );
}
