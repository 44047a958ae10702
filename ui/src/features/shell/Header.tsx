import type { AppInfo } from "../../bindings/AppInfo";
import type { Lang } from "../../bindings/Lang";
import { useI18n } from "../../i18n/context";
import { isLang, LANGS } from "../../i18n/i18n";
import { AccountArea } from "../account/AccountArea";
import { NavBar, type View } from "./NavBar";

interface Props {
  info: AppInfo | null;
  lang: Lang;
  onLangChange: (lang: Lang) => void;
  view: View;
  onViewChange: (view: View) => void;
  /** Help requests waiting, for the navigation's badge. */
  waiting?: number | null;
}

export function Header({ info, lang, onLangChange, view, onViewChange, waiting = null }: Props) {
  const { t, tn } = useI18n();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand__mark" aria-hidden="true">
          H@W
        </span>
        <span className="brand__name">{info?.product ?? t("app.product")}</span>
        {info?.demo === true && (
          <span className="demo-badge" data-testid="demo-badge" title={t("app.demoHint")}>
            {t("app.demo")}
          </span>
        )}
        {info && <NavBar view={view} onChange={onViewChange} waiting={waiting} />}
      </div>
      <div className="app-header__end">
        {info && (
          <span className="app-header__count" data-testid="device-count">
            {tn("app.deviceCount", info.device_count)}
          </span>
        )}
        {info && <AccountArea />}
        <label className="lang-switch">
          <span className="sr-only">{t("app.language")}</span>
          <span className="lang-switch__icon" aria-hidden="true">
            文
          </span>
          <select
            className="select select--quiet"
            value={lang}
            data-testid="lang-switch"
            onChange={(event) => {
              const next = event.target.value;
              if (isLang(next)) onLangChange(next);
            }}
          >
            {LANGS.map((option) => (
              <option key={option} value={option} lang={option}>
                {t(`lang.${option}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </header>
  );
}
