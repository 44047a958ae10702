import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  type KeyboardEvent,
  type Ref,
} from "react";
import { defaultRangeExtractor, useVirtualizer, type Range } from "@tanstack/react-virtual";
import type { DeviceRow } from "../../bindings/DeviceRow";
import { ReadinessBadge } from "../../components/ReadinessBadge";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { useNow } from "../../hooks/useNow";
import type { DevicePageCache } from "./pageCache";
import { ipc } from "../../ipc";
import { PLATFORM_LABEL } from "./labels";
import { visibleText } from "../../text";

/** The first device rows were reported painted (once per window, for bench/src/window_start.rs). */
let firstPaintReported = false;

export const ROW_HEIGHT = 36;
export const HEADER_HEIGHT = 34;
export const OVERSCAN = 10;
const COLUMNS = [
  "col.name",
  "col.user",
  "col.platform",
  "col.osVersion",
  "col.model",
  "col.lastCheckin",
  "col.readiness",
] as const satisfies readonly MessageKey[];
const COLUMN_COUNT = COLUMNS.length;

export interface DeviceTableHandle {
  /** Moves focus to the active row (e.g. when the detail panel closes). */
  focusActiveRow(): void;
}

interface Props {
  cache: DevicePageCache;
  total: number;
  activeIndex: number;
  onActiveIndexChange: (index: number) => void;
  openId: string | null;
  onOpen: (row: DeviceRow, index: number) => void;
  labelledBy: string;
  handle?: Ref<DeviceTableHandle>;
  /** Size used before the scroll element is measured (and in tests, where nothing is laid out). */
  initialRect?: { width: number; height: number };
}

/**
 * The fleet as an ARIA grid of rows (aria-rowcount / aria-rowindex, header row = 1). Only the
 * visible rows plus overscan are in the DOM, plus the active row so the roving tabindex always has
 * a target. Pages are fetched for whatever the virtualizer shows.
 *
 * Keyboard: Up/Down, PageUp/PageDown, Home/End (and Ctrl+Home/End) move the active row; Enter
 * (on a loaded row) opens its details.
 */
export function DeviceTable({
  cache,
  total,
  activeIndex,
  onActiveIndexChange,
  openId,
  onOpen,
  labelledBy,
  handle,
  initialRect,
}: Props) {
  const { t, formatRelative, formatDateTime } = useI18n();
  const now = useNow(30_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const focusPending = useRef(false);

  const rangeExtractor = useCallback(
    (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (activeIndex >= 0 && activeIndex < range.count && !indexes.includes(activeIndex)) {
        indexes.push(activeIndex);
        indexes.sort((a, b) => a - b);
      }
      return indexes;
    },
    [activeIndex],
  );

  // TanStack Virtual returns a mutable instance; this app does not use the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    rangeExtractor,
    initialRect: initialRect ?? { width: 1200, height: 640 },
    // Render updates in the normal React batch (flushSync from a layout effect warns in React 19).
    useFlushSync: false,
  });

  const items = virtualizer.getVirtualItems();
  const firstItem = items.at(0);
  const firstRowsShown = firstItem !== undefined && cache.row(firstItem.index) !== undefined;
  const visibleStart = virtualizer.range?.startIndex ?? 0;
  const visibleEnd = virtualizer.range?.endIndex ?? 0;

  // Fetch the pages the virtualizer shows (and the active row's, for keyboard jumps).
  useEffect(() => {
    if (total === 0) return;
    const start = Math.max(0, visibleStart - OVERSCAN);
    const end = Math.min(total - 1, visibleEnd + OVERSCAN);
    if (activeIndex < start || activeIndex > end) void cache.ensureRange(activeIndex, activeIndex);
    // Last, so `retry()` and `reset()` refetch what is on screen.
    void cache.ensureRange(start, end);
  }, [cache, cache.queryKey, total, visibleStart, visibleEnd, activeIndex]);

  // Benchmark hook: once the first device rows are on screen, after the frame that paints them.
  useEffect(() => {
    if (!firstRowsShown || firstPaintReported) return;
    firstPaintReported = true;
    requestAnimationFrame(() => {
      requestAnimationFrame(() => void ipc.reportFirstPaint());
    });
  }, [firstRowsShown]);

  const focusRow = useCallback((index: number): boolean => {
    const row = scrollRef.current?.querySelector<HTMLElement>(`[role="row"][data-index="${index}"]`);
    if (!row) return false;
    row.focus({ preventScroll: true });
    return true;
  }, []);

  useLayoutEffect(() => {
    if (focusPending.current && focusRow(activeIndex)) focusPending.current = false;
  });

  useImperativeHandle(
    handle,
    () => ({
      focusActiveRow: () => {
        virtualizer.scrollToIndex(activeIndex, { align: "auto" });
        if (!focusRow(activeIndex)) focusPending.current = true;
      },
    }),
    [virtualizer, activeIndex, focusRow],
  );

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    focusPending.current = true;
    virtualizer.scrollToIndex(next, { align: "auto" });
    if (next === activeIndex) focusRow(next);
    else onActiveIndexChange(next);
  };

  const rowsPerPage = () => {
    const height = scrollRef.current?.clientHeight ?? 0;
    return Math.max(1, Math.floor((height - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    switch (event.key) {
      case "ArrowDown":
        moveTo(activeIndex + 1);
        break;
      case "ArrowUp":
        moveTo(activeIndex - 1);
        break;
      case "PageDown":
        moveTo(activeIndex + rowsPerPage());
        break;
      case "PageUp":
        moveTo(activeIndex - rowsPerPage());
        break;
      case "Home":
        moveTo(0);
        break;
      case "End":
        moveTo(total - 1);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      ref={scrollRef}
      className="grid"
      role="grid"
      tabIndex={-1}
      aria-labelledby={labelledBy}
      aria-rowcount={total + 1}
      aria-colcount={COLUMN_COUNT}
      aria-readonly="true"
      data-testid="device-grid"
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="grid__head">
        <div role="row" aria-rowindex={1} className="grid__row grid__row--head">
          {COLUMNS.map((key) => (
            <div key={key} role="columnheader" className="grid__cell">
              <span className="truncate" title={t(key)}>
                {t(key)}
              </span>
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="grid__body" style={{ height: virtualizer.getTotalSize() - HEADER_HEIGHT }}>
        {items.map((item) => {
          const row = cache.row(item.index);
          const active = item.index === activeIndex;
          const common = {
            "aria-rowindex": item.index + 2,
            "data-index": item.index,
            style: { transform: `translateY(${item.start - HEADER_HEIGHT}px)`, height: ROW_HEIGHT },
            onFocus: () => {
              if (!active) onActiveIndexChange(item.index);
            },
          } as const;
          if (!row) {
            return (
              <div
                key={item.key}
                role="row"
                tabIndex={active ? 0 : -1}
                {...common}
                aria-busy="true"
                className={`grid__row grid__row--loading${active ? " grid__row--active" : ""}`}
                data-testid="device-row-loading"
              >
                <div role="gridcell" className="grid__cell">
                  <span className="sr-only">{t("devices.loadingRow")}</span>
                  <span className="skeleton" aria-hidden="true" />
                </div>
                {Array.from({ length: COLUMN_COUNT - 1 }, (_, i) => (
                  <div key={i} role="gridcell" className="grid__cell">
                    <span className="skeleton" aria-hidden="true" />
                  </div>
                ))}
              </div>
            );
          }
          const opened = row.id === openId;
          return (
            <div
              key={item.key}
              role="row"
              tabIndex={active ? 0 : -1}
              {...common}
              aria-selected={opened}
              className={`grid__row${active ? " grid__row--active" : ""}${opened ? " grid__row--open" : ""}`}
              data-testid="device-row"
              data-device-id={row.id}
              onClick={() => {
                onActiveIndexChange(item.index);
                onOpen(row, item.index);
              }}
              onKeyDown={(event) => {
                if (event.key !== "Enter") return;
                event.preventDefault();
                onOpen(row, item.index);
              }}
            >
              <div role="gridcell" className="grid__cell grid__cell--name">
                <span
                  className={`status-dot ${row.online ? "status-dot--online" : "status-dot--offline"}`}
                  aria-hidden="true"
                />
                <span className="truncate">{visibleText(row.name)}</span>
                <span className="sr-only">, {row.online ? t("devices.online") : t("devices.offline")}</span>
              </div>
              <div role="gridcell" className="grid__cell">
                <span className="truncate">
                  {visibleText(row.user_name)}
                  <span className="muted"> · {row.user_email}</span>
                </span>
              </div>
              <div role="gridcell" className="grid__cell">
                {t(PLATFORM_LABEL[row.platform])}
              </div>
              <div role="gridcell" className="grid__cell tabular">
                {row.os_version}
              </div>
              <div role="gridcell" className="grid__cell">
                <span className="truncate">
                  {row.manufacturer} {row.model}
                </span>
              </div>
              <div role="gridcell" className="grid__cell">
                <time dateTime={row.last_checkin} title={formatDateTime(row.last_checkin)}>
                  {formatRelative(row.last_checkin, now)}
                </time>
              </div>
              <div role="gridcell" className="grid__cell">
                <ReadinessBadge readiness={row.readiness} />
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
