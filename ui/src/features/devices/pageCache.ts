/**
 * Lazy, paged device list for the virtualized table (100,000 rows and more).
 *
 * Pages of `pageSize` rows are fetched with `list_devices` (offset/limit) only when the table
 * shows them, cached per query (search + filters) and per offset, and de-duplicated while in
 * flight. The total from the first answer sizes the scroll area. A few recent queries stay cached
 * (least recently used first out) so going back to a previous search is instant; `reset()` drops
 * everything (the language changed, so the back end's localized data did too).
 *
 * The rows held are bounded: at most `maxPages` pages in all, the least recently shown dropped
 * first, so scrolling through a fleet of a million devices does not keep it all in the web
 * process (a dropped page is fetched again when it is shown again).
 *
 * Plain TypeScript, no React: the component owns one instance and subscribes to it.
 */
import type { DevicePage } from "../../bindings/DevicePage";
import type { DeviceQuery } from "../../bindings/DeviceQuery";
import type { DeviceRow } from "../../bindings/DeviceRow";
import type { Platform } from "../../bindings/Platform";
import type { Readiness } from "../../bindings/Readiness";
import { toIpcError, type IpcError } from "../../ipc";

export const PAGE_SIZE = 200;

/** A readiness group's devices (the Readiness view's "Show devices"): only these, in id order. */
export interface GroupFilter {
  /** Names the group in the cache's key (mode, group, when computed). */
  key: string;
  /** Shown above the table: the group and its mode. */
  title: string;
  ids: readonly string[];
}

export interface DeviceFilters {
  search: string;
  platform: Platform | null;
  readiness: Readiness | null;
  /** When set, the other filters do not apply. */
  group?: GroupFilter | null;
}

export const NO_FILTERS: DeviceFilters = { search: "", platform: null, readiness: null };

export type PageFetcher = (query: DeviceQuery) => Promise<DevicePage>;

/** The part of a query that selects rows (not the window into them). */
export function queryKey(filters: DeviceFilters): string {
  return JSON.stringify([filters.search.trim(), filters.platform, filters.readiness, filters.group?.key ?? null]);
}

export function toQuery(filters: DeviceFilters, offset: number, limit: number): DeviceQuery {
  if (filters.group) {
    return { search: null, platform: null, readiness: null, offset, limit, ids: [...filters.group.ids] };
  }
  const search = filters.search.trim();
  return {
    search: search === "" ? null : search,
    platform: filters.platform,
    readiness: filters.readiness,
    offset,
    limit,
  };
}

/** Offsets of the pages that hold rows `start..=end` (clamped to `total` when known). */
export function pageOffsetsForRange(
  start: number,
  end: number,
  pageSize: number,
  total: number | null = null,
): number[] {
  const last = total === null ? end : Math.min(end, total - 1);
  if (last < 0 || start > last) return [];
  const offsets: number[] = [];
  for (let page = Math.floor(Math.max(0, start) / pageSize); page * pageSize <= last; page++) {
    offsets.push(page * pageSize);
  }
  return offsets;
}

interface Entry {
  readonly filters: DeviceFilters;
  total: number | null;
  readonly pages: Map<number, readonly DeviceRow[]>;
  readonly pending: Set<number>;
  readonly errors: Map<number, IpcError>;
}

export interface PageCacheOptions {
  pageSize?: number;
  /** How many distinct queries stay cached. */
  maxQueries?: number;
  /** How many pages stay cached over all queries (at least 8). */
  maxPages?: number;
}

/** Pages kept by default: 10,000 rows, many screens around the one shown. */
export const MAX_PAGES = 50;

export class DevicePageCache {
  readonly pageSize: number;
  private readonly maxQueries: number;
  private readonly maxPages: number;
  /** Every cached page, least recently shown first: `[entry, offset]` by `key + offset`. */
  private readonly lru = new Map<string, readonly [Entry, number]>();
  private readonly fetcher: PageFetcher;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<() => void>();
  private currentKey: string;
  private version = 0;
  private lastRange: readonly [number, number] = [0, 0];

  constructor(fetcher: PageFetcher, filters: DeviceFilters = NO_FILTERS, options: PageCacheOptions = {}) {
    this.fetcher = fetcher;
    this.pageSize = options.pageSize ?? PAGE_SIZE;
    this.maxQueries = options.maxQueries ?? 4;
    this.maxPages = Math.max(8, options.maxPages ?? MAX_PAGES);
    this.currentKey = queryKey(filters);
    this.entry(filters);
  }

  // --- subscription (for useSyncExternalStore) ---

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }

  // --- queries ---

  /** Switches to `filters`; cached pages for it are reused. Fetches its first page if needed. */
  select(filters: DeviceFilters): void {
    const key = queryKey(filters);
    const switched = key !== this.currentKey;
    this.currentKey = key;
    this.entry(filters);
    if (switched) {
      this.lastRange = [0, 0];
      this.changed();
    }
    void this.ensureRange(0, 0);
  }

  /**
   * Drops every cached page (e.g. the language changed) and refetches the rows on screen. The
   * current total is kept until the new answer arrives, so the table keeps its scroll position.
   */
  reset(): void {
    const { filters, total } = this.current();
    this.entries.clear();
    this.lru.clear();
    this.entry(filters).total = total;
    this.changed();
    void this.ensureRange(this.lastRange[0], this.lastRange[1]);
  }

  /** Forgets failed pages of the current query and fetches the last requested rows again. */
  retry(): void {
    const entry = this.current();
    entry.errors.clear();
    this.changed();
    void this.ensureRange(this.lastRange[0], this.lastRange[1]);
  }

  get queryKey(): string {
    return this.currentKey;
  }

  get total(): number | null {
    return this.current().total;
  }

  /** The first failure of the current query, if any page failed. */
  get error(): IpcError | null {
    const first = this.current().errors.values().next();
    return first.done === true ? null : first.value;
  }

  get loading(): boolean {
    return this.current().pending.size > 0;
  }

  /** The row at `index` of the current query, or undefined while its page is not loaded. */
  row(index: number): DeviceRow | undefined {
    const offset = Math.floor(index / this.pageSize) * this.pageSize;
    return this.current().pages.get(offset)?.[index - offset];
  }

  isPageLoaded(offset: number): boolean {
    return this.current().pages.has(offset);
  }

  /** Loads the pages that hold rows `start..=end` of the current query (missing ones only). */
  async ensureRange(start: number, end: number): Promise<void> {
    this.lastRange = [start, end];
    const key = this.currentKey;
    const entry = this.current();
    const offsets = pageOffsetsForRange(start, end, this.pageSize, entry.total);
    for (const offset of offsets) if (entry.pages.has(offset)) this.touch(key, entry, offset);
    const wanted = offsets.filter(
      (offset) => !entry.pages.has(offset) && !entry.pending.has(offset) && !entry.errors.has(offset),
    );
    if (wanted.length === 0) return;
    for (const offset of wanted) entry.pending.add(offset);
    this.changed();
    await Promise.all(wanted.map((offset) => this.load(key, entry, offset)));
  }

  private async load(key: string, entry: Entry, offset: number): Promise<void> {
    try {
      const page = await this.fetcher(toQuery(entry.filters, offset, this.pageSize));
      if (this.entries.get(key) !== entry) return; // reset or evicted meanwhile: stale answer
      entry.total = page.total;
      entry.pages.set(offset, page.items);
      this.touch(key, entry, offset);
      this.trim();
    } catch (raw) {
      if (this.entries.get(key) !== entry) return;
      entry.errors.set(offset, toIpcError("list_devices", raw));
    } finally {
      entry.pending.delete(offset);
    }
    this.changed();
  }

  /** Marks a cached page as the most recently shown. */
  private touch(key: string, entry: Entry, offset: number): void {
    const id = `${String(offset)}:${key}`;
    this.lru.delete(id);
    this.lru.set(id, [entry, offset]);
  }

  /** Drops the least recently shown pages over the budget. */
  private trim(): void {
    for (const [id, [entry, offset]] of this.lru) {
      if (this.lru.size <= this.maxPages) break;
      this.lru.delete(id);
      entry.pages.delete(offset);
    }
  }

  private current(): Entry {
    const entry = this.entries.get(this.currentKey);
    if (entry === undefined) throw new Error("DevicePageCache: no entry for the current query");
    return entry;
  }

  /** The entry for `filters`, created if needed, marked most recently used. */
  private entry(filters: DeviceFilters): Entry {
    const key = queryKey(filters);
    let entry = this.entries.get(key);
    entry ??= { filters, total: null, pages: new Map(), pending: new Set(), errors: new Map() };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxQueries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true || oldest.value === this.currentKey) break;
      const evicted = this.entries.get(oldest.value);
      this.entries.delete(oldest.value);
      for (const [id, [held]] of this.lru) if (held === evicted) this.lru.delete(id);
    }
    return entry;
  }
}
