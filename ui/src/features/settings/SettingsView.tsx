import { useId, type ReactNode } from "react";
import type { Lang } from "../../bindings/Lang";
import type { SettingsView as Settings } from "../../bindings/SettingsView";
import type { TestTarget } from "../../bindings/TestTarget";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { LANGS } from "../../i18n/i18n";
import { AdminSection } from "../admin/AdminSection";
import { AuditSinksSection } from "./AuditSinksSection";
import { ConnectionTestButton } from "./ConnectionTestButton";
import { PoliciesSection } from "./PoliciesSection";
import { SettingField } from "./SettingField";
import { useSettings } from "./useSettings";
import { WarningList } from "../../components/WarningList";

interface Props {
  /** Bumped when the language changes. */
  epoch: number;
  lang: Lang;
  onLangChange: (lang: Lang) => void;
  /** The labelled demo: its settings are its own, and only the language applies. */
  demo?: boolean;
}

/** The value in effect for `key` (environment or saved), if any. */
function effective(settings: Settings, key: string): string | null {
  return settings.entries.find((e) => e.key === key)?.value ?? null;
}

/**
 * The agent's settings: language, TeamViewer sign-in (OAuth app or script token), MDM connector
 * (embedded or Ivanti), store, desktop client. Each value is validated by the back end before
 * anything is saved; secrets go to the OS keyring. Changes other than the language apply after a
 * restart, and say so. "Test connection" tries the saved settings.
 */
export function SettingsView({ epoch, lang, onLangChange, demo = false }: Props) {
  const t = useT();
  const langId = useId();
  const { settings, error, reload, apply } = useSettings(epoch);

  let body;
  if (settings === null && error) {
    body = <ErrorNotice title={t("settings.loadFailed")} error={error} onRetry={reload} testId="settings-error" />;
  } else if (settings === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="settings-loading">
        <span className="spinner" aria-hidden="true" /> {t("settings.loading")}
      </p>
    );
  } else {
    const fields = (keys: readonly string[]): ReactNode =>
      settings.entries
        .filter((entry) => keys.includes(entry.key))
        .map((entry) => <SettingField key={entry.key} entry={entry} onSaved={apply} />);
    const signIn = effective(settings, "teamviewer.sign_in") ?? "oauth";
    const connector = effective(settings, "mdm.connector") ?? "embedded";
    const section = (title: string, hint: string, testId: string, children: ReactNode, target?: TestTarget) => (
      <AdminSection title={title} hint={hint} testId={testId}>
        {children}
        {target && <ConnectionTestButton target={target} />}
      </AdminSection>
    );
    body = (
      <>
        <p className="muted" data-testid="settings-file">
          {t("settings.hint", { file: settings.file })}
        </p>
        <WarningList title="settings.warnings" warnings={settings.warnings} testId="settings-warnings" />
        {demo && (
          <div className="notice notice--warn" data-testid="settings-demo">
            <p className="notice__message">{t("settings.demo")}</p>
          </div>
        )}
        <AdminSection title={t("settings.section.language")} testId="settings-language">
          <div className="field field--stacked">
            <label htmlFor={langId} className="field__label">
              {t("settings.key.language")}
            </label>
            <select
              id={langId}
              className="select"
              value={lang}
              data-testid="settings-lang"
              onChange={(event) => {
                onLangChange(event.target.value as Lang);
              }}
            >
              {LANGS.map((l) => (
                <option key={l} value={l}>
                  {t(`lang.${l}`)}
                </option>
              ))}
            </select>
          </div>
        </AdminSection>
        {section(
          t("settings.section.teamviewer"),
          t("settings.section.teamviewerHint"),
          "settings-teamviewer",
          <>
            {fields(["teamviewer.sign_in"])}
            {signIn === "script_token"
              ? fields(["teamviewer.token"])
              : fields(["teamviewer.client_id", "teamviewer.client_secret"])}
            {signIn !== "script_token" && (
              <p className="hint" data-testid="settings-redirect">
                {t("settings.redirect", { uri: settings.oauth_redirect })}
              </p>
            )}
          </>,
          "teamviewer",
        )}
        {section(
          t("settings.section.mdm"),
          t("settings.section.mdmHint"),
          "settings-mdm",
          <>
            {fields(["mdm.connector"])}
            {connector === "ivanti" && fields(["ivanti.url", "ivanti.user", "ivanti.password", "ivanti.partition"])}
            {connector === "ivanti" && (
              <p className="hint" data-testid="settings-cps-hint">
                {t("settings.cpsHint")}
              </p>
            )}
            {connector === "ivanti" &&
              fields(["ivanti.cps_user", "ivanti.cps_password", "ivanti.cps_url", "ivanti.cps_rate"])}
            {connector === "intune" && (
              <p className="hint" data-testid="settings-intune-hint">
                {t("settings.intuneHint")}
              </p>
            )}
            {connector === "intune" && fields(["intune.tenant_id", "intune.client_id", "intune.client_secret"])}
          </>,
          "mdm",
        )}
        {section(t("settings.section.store"), t("settings.section.storeHint"), "settings-store", fields(["store.url"]), "store")}
        {section(
          t("settings.section.desktop"),
          t("settings.section.desktopHint"),
          "settings-desktop",
          fields(["desktop.teamviewer_home"]),
          "desktop",
        )}
        <AuditSinksSection epoch={epoch} />
        <PoliciesSection />
      </>
    );
  }

  return (
    <main className="admin settings" aria-labelledby="settings-heading" data-testid="settings-view">
      <div className="admin__content">
        <h1 id="settings-heading" className="view-title">
          {t("settings.title")}
        </h1>
        {body}
      </div>
    </main>
  );
}
