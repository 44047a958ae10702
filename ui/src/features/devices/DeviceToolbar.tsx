import { useId, type Ref } from "react";
import type { Platform } from "../../bindings/Platform";
import type { Readiness } from "../../bindings/Readiness";
import { useI18n } from "../../i18n/context";
import { PLATFORM_FILTERS, PLATFORM_LABEL, READINESS_FILTERS, READINESS_LABEL } from "./labels";
import type { DeviceFilters } from "./pageCache";

interface Props {
  filters: DeviceFilters;
  onChange: (filters: DeviceFilters) => void;
  /** Rows matching the current query, once known. */
  total: number | null;
  /** Whether a search or filter narrows the list (the count is shown only then). */
  filtered: boolean;
  searchRef?: Ref<HTMLInputElement>;
}

function parsePlatform(value: string): Platform | null {
  return PLATFORM_FILTERS.find((p) => p === value) ?? null;
}

function parseReadiness(value: string): Readiness | null {
  return READINESS_FILTERS.find((r) => r === value) ?? null;
}

export function DeviceToolbar({ filters, onChange, total, filtered, searchRef }: Props) {
  const { t, tn } = useI18n();
  const id = useId();
  return (
    <div className="toolbar">
      <div className="search">
        <span className="search__icon" aria-hidden="true">
          ⌕
        </span>
        <input
          ref={searchRef}
          type="search"
          className="input search__input"
          aria-label={t("devices.search")}
          aria-describedby={`${id}-shortcut`}
          placeholder={t("devices.searchPlaceholder")}
          value={filters.search}
          autoComplete="off"
          spellCheck={false}
          data-testid="device-search"
          onChange={(event) => {
            onChange({ ...filters, search: event.target.value });
          }}
        />
        <kbd className="search__kbd" aria-hidden="true">
          /
        </kbd>
        <span id={`${id}-shortcut`} className="sr-only">
          {t("devices.searchShortcut")}
        </span>
      </div>
      <label className="field">
        <span className="field__label">{t("devices.filterPlatform")}</span>
        <select
          className="select"
          value={filters.platform ?? ""}
          data-testid="platform-filter"
          onChange={(event) => {
            onChange({ ...filters, platform: parsePlatform(event.target.value) });
          }}
        >
          <option value="">{t("devices.filterAll")}</option>
          {PLATFORM_FILTERS.map((platform) => (
            <option key={platform} value={platform}>
              {t(PLATFORM_LABEL[platform])}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field__label">{t("devices.filterReadiness")}</span>
        <select
          className="select"
          value={filters.readiness ?? ""}
          data-testid="readiness-filter"
          onChange={(event) => {
            onChange({ ...filters, readiness: parseReadiness(event.target.value) });
          }}
        >
          <option value="">{t("devices.filterAll")}</option>
          {READINESS_FILTERS.map((readiness) => (
            <option key={readiness} value={readiness}>
              {t(READINESS_LABEL[readiness])}
            </option>
          ))}
        </select>
      </label>
      <p className="toolbar__count" aria-live="polite" data-testid="result-count">
        {total === null || !filtered ? "" : tn("devices.resultCount", total)}
      </p>
    </div>
  );
}
