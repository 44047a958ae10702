import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DeviceRow } from "../../bindings/DeviceRow";
import { ErrorBanner } from "../../components/ErrorBanner";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useDebouncedValue } from "../../hooks/useDebouncedValue";
import { useT } from "../../i18n/context";
import { DeviceDetailPanel } from "./DeviceDetailPanel";
import { DeviceTable, type DeviceTableHandle } from "./DeviceTable";
import { DeviceToolbar } from "./DeviceToolbar";
import { SyncBar } from "./SyncBar";
import { NO_FILTERS, queryKey, type DeviceFilters, type GroupFilter } from "./pageCache";
import { useDevicePages } from "./useDevicePages";
import type { ArmedState } from "../sessions/useArmed";

export const SEARCH_DEBOUNCE_MS = 150;

interface Props {
  /** Bumped when cached back-end data is stale as a whole (the language changed). */
  epoch: number;
  /** Table size before layout; tests pass one because jsdom lays nothing out. */
  tableInitialRect?: { width: number; height: number };
  /** The MDM to sync from, or null for the embedded fleet (filled by import). */
  syncFrom?: string | null;
  /** A sync wrote devices. */
  onSynced?: () => void;
  /** Only a readiness group's devices (from the Readiness view), until cleared. */
  group?: GroupFilter | null;
  onClearGroup?: () => void;
  /** The window's armed sessions (the detail panel names the one holding its device). */
  armed?: ArmedState;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** S1 "Devices → device list → a device": search, filters, the fleet table and the detail panel. */
export function DevicesView({ epoch, tableInitialRect, syncFrom = null, onSynced, group = null, onClearGroup, armed }: Props) {
  const t = useT();
  const [filters, setFilters] = useState<DeviceFilters>(NO_FILTERS);
  const search = useDebouncedValue(filters.search, SEARCH_DEBOUNCE_MS);
  const query = useMemo<DeviceFilters>(
    () => ({ search, platform: filters.platform, readiness: filters.readiness, group }),
    [search, filters.platform, filters.readiness, group],
  );
  const key = queryKey(query);
  const cache = useDevicePages(query, epoch);
  const total = cache.total;

  // The active row belongs to a query: a new search starts at the top.
  const [active, setActive] = useState({ key, index: 0 });
  const activeIndex = active.key === key ? Math.min(active.index, Math.max(0, (total ?? 1) - 1)) : 0;
  const setActiveIndex = useCallback(
    (index: number) => {
      setActive({ key, index });
    },
    [key],
  );

  const [openId, setOpenId] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<DeviceTableHandle>(null);

  // "/" or Ctrl+F (Cmd+F) focuses the search box, unless a dialog is open.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.target instanceof Element && event.target.closest('[role="dialog"]')) return;
      const find = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "f";
      const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isEditable(event.target);
      if (!find && !slash) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
    };
  }, []);

  const open = useCallback(
    (row: DeviceRow, index: number) => {
      setActiveIndex(index);
      setOpenId(row.id);
    },
    [setActiveIndex],
  );

  const closeDetail = useCallback(() => {
    setOpenId(null);
    tableRef.current?.focusActiveRow();
  }, []);

  const filtered = filters.search.trim() !== "" || filters.platform !== null || filters.readiness !== null;
  const error = cache.error;

  let body;
  if (total === null && error) {
    body = (
      <ErrorNotice
        title={t("devices.loadFailed")}
        error={error}
        onRetry={() => {
          cache.retry();
        }}
        testId="devices-error"
      />
    );
  } else if (total === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="devices-loading">
        <span className="spinner" aria-hidden="true" /> {t("devices.loading")}
      </p>
    );
  } else if (total === 0) {
    body = (
      <div className="empty" data-testid="devices-empty">
        <p className="empty__title">{t("devices.empty")}</p>
        <p className="muted">{t("devices.emptyHint")}</p>
        {filtered && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setFilters(NO_FILTERS);
            }}
          >
            {t("devices.clearFilters")}
          </button>
        )}
      </div>
    );
  } else {
    body = (
      <DeviceTable
        handle={tableRef}
        cache={cache}
        total={total}
        activeIndex={activeIndex}
        onActiveIndexChange={setActiveIndex}
        openId={openId}
        onOpen={open}
        labelledBy="devices-heading"
        initialRect={tableInitialRect}
      />
    );
  }

  return (
    <main className="devices">
      <div className="devices__main">
        <div className="view-header">
          <h1 id="devices-heading" className="view-title">
            {t("devices.title")}
          </h1>
          {syncFrom !== null && <SyncBar mdm={syncFrom} onSynced={() => onSynced?.()} />}
        </div>
        {group ? (
          <div className="group-filter" role="status" data-testid="group-filter">
            <span>{t("devices.groupFilter", { group: group.title, count: group.ids.length })}</span>
            <button type="button" className="button" onClick={() => onClearGroup?.()} data-testid="group-filter-clear">
              {t("devices.clearFilters")}
            </button>
          </div>
        ) : (
          <DeviceToolbar
            filters={filters}
            onChange={setFilters}
            total={total}
            filtered={query.search.trim() !== "" || query.platform !== null || query.readiness !== null}
            searchRef={searchRef}
          />
        )}
        {error && total !== null && (
          <ErrorBanner
            text={`${t("devices.pageFailed")} ${error.message}`}
            error={error}
            onRetry={() => {
              cache.retry();
            }}
            testId="devices-page-error"
          />
        )}
        <div className="devices__table">{body}</div>
      </div>
      {openId !== null && <DeviceDetailPanel key={openId} deviceId={openId} epoch={epoch} onClose={closeDetail} armed={armed} />}
    </main>
  );
}
