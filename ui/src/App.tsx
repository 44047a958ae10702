import { useCallback, useLayoutEffect, useState } from "react";
import type { AppInfo } from "./bindings/AppInfo";
import type { Lang } from "./bindings/Lang";
import { ErrorNotice } from "./components/ErrorNotice";
import { AuthProvider } from "./features/account/AuthProvider";
import { AdminView } from "./features/admin/AdminView";
import { ApprovalsView } from "./features/approvals/ApprovalsView";
import { AuditView } from "./features/audit/AuditView";
import { DevicesView } from "./features/devices/DevicesView";
import type { GroupFilter } from "./features/devices/pageCache";
import { InboxView } from "./features/inbox/InboxView";
import { ReadinessView } from "./features/readiness/ReadinessView";
import { useInbox } from "./features/inbox/useInbox";
import { useArmed } from "./features/sessions/useArmed";
import { SessionsView } from "./features/sessions/SessionsView";
import { SettingsView } from "./features/settings/SettingsView";
import { Header } from "./features/shell/Header";
import { WarningList } from "./components/WarningList";
import type { View } from "./features/shell/NavBar";
import { I18nProvider } from "./i18n/I18nProvider";
import { useT } from "./i18n/context";
import { ipc, toIpcError, type IpcError } from "./ipc";

type Boot = { status: "loading" } | { status: "ready"; info: AppInfo } | { status: "failed"; error: IpcError };

interface Props {
  /** Passed to the devices table; tests use it because jsdom has no layout. */
  tableInitialRect?: { width: number; height: number };
}

/** Before the back end answers, follow the system language. */
function systemLang(): Lang {
  return typeof navigator !== "undefined" && navigator.language.toLowerCase().startsWith("pt") ? "pt-BR" : "en";
}

export function App({ tableInitialRect }: Props) {
  const [boot, setBoot] = useState<Boot>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [lang, setLang] = useState<Lang>(systemLang);
  // Bumped when the language changes: cached back-end texts are stale.
  const [epoch, setEpoch] = useState(0);
  const [langError, setLangError] = useState<IpcError | null>(null);
  // The current view: in memory only, every start opens Devices.
  const [view, setView] = useState<View>("devices");

  // Asked before the first frame is painted, so the answer comes while it is drawn.
  useLayoutEffect(() => {
    let live = true;
    ipc.appInfo().then(
      (info) => {
        if (!live) return;
        setBoot({ status: "ready", info });
        setLang(info.lang);
      },
      (raw: unknown) => {
        if (live) setBoot({ status: "failed", error: toIpcError("app_info", raw) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const changeLanguage = useCallback((next: Lang) => {
    setLang(next);
    setLangError(null);
    ipc.setLanguage(next).then(
      () => {
        setEpoch((n) => n + 1);
        // The device count and product facts may be re-worded too.
        ipc.appInfo().then(
          (info) => {
            setBoot({ status: "ready", info });
          },
          () => undefined,
        );
      },
      (raw: unknown) => {
        setLangError(toIpcError("set_language", raw));
      },
    );
  }, []);

  // A sync changed the fleet: cached pages and the device count are stale.
  const refreshAfterSync = useCallback(() => {
    setEpoch((n) => n + 1);
    ipc.appInfo().then(
      (info) => {
        setBoot({ status: "ready", info });
      },
      () => undefined,
    );
  }, []);

  const retry = () => {
    setBoot({ status: "loading" });
    setAttempt((n) => n + 1);
  };

  return (
    <I18nProvider lang={lang}>
      <AuthProvider ready={boot.status === "ready"}>
        <Window
          boot={boot}
          lang={lang}
          epoch={epoch}
          view={view}
          langError={langError}
          tableInitialRect={tableInitialRect}
          onLangChange={changeLanguage}
          onViewChange={setView}
          onRetry={retry}
          onSynced={refreshAfterSync}
        />
      </AuthProvider>
    </I18nProvider>
  );
}

interface WindowProps {
  boot: Boot;
  lang: Lang;
  epoch: number;
  view: View;
  langError: IpcError | null;
  tableInitialRect?: { width: number; height: number };
  onLangChange: (lang: Lang) => void;
  onViewChange: (view: View) => void;
  onRetry: () => void;
  onSynced: () => void;
}

/**
 * The window inside the language and sign-in providers. The help requests are read from the
 * start (for the navigation's badge and the arrival notifications), whatever the view, and so
 * are the armed sessions (a notification when one starts, fails or expires).
 */
function Window({ boot, lang, epoch, view, langError, tableInitialRect, onLangChange, onViewChange, onRetry, onSynced }: WindowProps) {
  const inbox = useInbox(boot.status === "ready");
  // Armed sessions fire in the back end; the window hears of it here, whatever the view.
  const armed = useArmed(boot.status === "ready", true);
  // A readiness group opened in the devices table; the Devices tab in the header clears it.
  const [group, setGroup] = useState<GroupFilter | null>(null);
  const changeView = (next: View) => {
    if (next === "devices") setGroup(null);
    onViewChange(next);
  };
  return (
    <div className="app">
      <Header
        info={boot.status === "ready" ? boot.info : null}
        lang={lang}
        onLangChange={onLangChange}
        view={view}
        onViewChange={changeView}
        waiting={inbox.inbox?.requests.length ?? null}
      />
      {boot.status === "ready" && (
        <WarningList title="app.warnings" warnings={boot.info.warnings} testId="standing-warnings" />
      )}
      {langError && <LangSaveError error={langError} />}
      {boot.status === "loading" && <Starting />}
      {boot.status === "failed" && <StartFailed error={boot.error} onRetry={onRetry} />}
      {boot.status === "ready" && view === "devices" && (
        <DevicesView
          epoch={epoch}
          tableInitialRect={tableInitialRect}
          syncFrom={boot.info.can_sync ? boot.info.mdm : null}
          onSynced={onSynced}
          group={group}
          onClearGroup={() => {
            setGroup(null);
          }}
          armed={armed}
        />
      )}
      {boot.status === "ready" && view === "readiness" && (
        <ReadinessView
          epoch={epoch}
          onShowDevices={(next) => {
            setGroup(next);
            onViewChange("devices");
          }}
        />
      )}
      {boot.status === "ready" && view === "inbox" && <InboxView state={inbox} />}
      {boot.status === "ready" && view === "sessions" && <SessionsView epoch={epoch} armed={armed} />}
      {boot.status === "ready" && view === "approvals" && <ApprovalsView epoch={epoch} />}
      {boot.status === "ready" && view === "admin" && <AdminView epoch={epoch} />}
      {boot.status === "ready" && view === "audit" && <AuditView epoch={epoch} />}
      {boot.status === "ready" && view === "settings" && (
        <SettingsView epoch={epoch} lang={lang} onLangChange={onLangChange} demo={boot.info.demo} />
      )}
    </div>
  );
}

function Starting() {
  const t = useT();
  return (
    <main className="centered">
      <p className="status-line status-line--delayed" role="status">
        <span className="spinner" aria-hidden="true" /> {t("app.loading")}
      </p>
    </main>
  );
}

function StartFailed({ error, onRetry }: { error: IpcError; onRetry: () => void }) {
  const t = useT();
  return (
    <main className="centered">
      <div className="centered__card">
        <ErrorNotice title={t("app.startFailed")} error={error} onRetry={onRetry} testId="app-error" />
      </div>
    </main>
  );
}

function LangSaveError({ error }: { error: IpcError }) {
  const t = useT();
  return (
    <div className="banner banner--error" role="alert">
      {t("app.langSaveFailed", { message: error.message })}
    </div>
  );
}
