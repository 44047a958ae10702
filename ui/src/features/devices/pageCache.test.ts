import { describe, expect, test, vi } from "vitest";
import type { DeviceQuery } from "../../bindings/DeviceQuery";
import { listPage, makeRows } from "../../test/fakeBackend";
import { DevicePageCache, NO_FILTERS, pageOffsetsForRange, queryKey, toQuery } from "./pageCache";

const rows = makeRows(100_000);

function deferredFetcher() {
  const pending: { query: DeviceQuery; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const fetcher = vi.fn(
    (query: DeviceQuery) =>
      new Promise<ReturnType<typeof listPage>>((resolve, reject) => {
        pending.push({ query, resolve: () => { resolve(listPage(rows, query)); }, reject });
      }),
  );
  return { fetcher, pending };
}

describe("page arithmetic", () => {
  test("pages covering a range, clamped to the total", () => {
    expect(pageOffsetsForRange(0, 0, 200)).toEqual([0]);
    expect(pageOffsetsForRange(150, 450, 200)).toEqual([0, 200, 400]);
    expect(pageOffsetsForRange(199, 200, 200)).toEqual([0, 200]);
    expect(pageOffsetsForRange(99_990, 100_020, 200, 100_000)).toEqual([99_800]);
    expect(pageOffsetsForRange(0, 10, 200, 0)).toEqual([]);
  });

  test("queries: blank search is null, key ignores surrounding spaces", () => {
    expect(toQuery({ search: "  ", platform: "ios", readiness: null }, 400, 200)).toEqual({
      search: null,
      platform: "ios",
      readiness: null,
      offset: 400,
      limit: 200,
    });
    expect(queryKey({ ...NO_FILTERS, search: " ana " })).toBe(queryKey({ ...NO_FILTERS, search: "ana" }));
  });
});

describe("DevicePageCache", () => {
  test("the first page gives the total; rows appear when their page arrives", async () => {
    const cache = new DevicePageCache(async (q) => Promise.resolve(listPage(rows, q)));
    expect(cache.total).toBeNull();
    await cache.ensureRange(0, 30);
    expect(cache.total).toBe(100_000);
    expect(cache.row(0)?.id).toBe("dev-000000");
    expect(cache.row(199)?.id).toBe("dev-000199");
    expect(cache.row(200)).toBeUndefined();
  });

  test("only missing pages are fetched, once, even while in flight", async () => {
    const { fetcher, pending } = deferredFetcher();
    const cache = new DevicePageCache(fetcher);
    const first = cache.ensureRange(0, 250);
    const again = cache.ensureRange(100, 399);
    expect(fetcher.mock.calls.map(([q]) => q.offset)).toEqual([0, 200]);
    expect(cache.loading).toBe(true);
    for (const p of pending) p.resolve();
    await Promise.all([first, again]);
    await cache.ensureRange(0, 399);
    expect(fetcher).toHaveBeenCalledTimes(2);
    void cache.ensureRange(99_900, 99_999);
    expect(fetcher.mock.calls.at(-1)?.[0]).toMatchObject({ offset: 99_800, limit: 200 });
  });

  test("pages are cached per query; an answer for an old query does not leak into the new one", async () => {
    const { fetcher, pending } = deferredFetcher();
    const cache = new DevicePageCache(fetcher);
    void cache.ensureRange(0, 10);
    cache.select({ ...NO_FILTERS, platform: "ios" });
    expect(fetcher.mock.calls.at(-1)?.[0]).toMatchObject({ platform: "ios", offset: 0 });
    const [oldQuery, newQuery] = pending;
    oldQuery?.resolve();
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.total).toBeNull(); // still the iOS query, not answered yet
    newQuery?.resolve();
    await vi.waitFor(() => {
      expect(cache.row(0)?.platform).toBe("ios");
    });
    // Back to all devices: served from the cache, no new request.
    const before = fetcher.mock.calls.length;
    cache.select(NO_FILTERS);
    expect(cache.row(0)?.id).toBe("dev-000000");
    expect(fetcher.mock.calls.length).toBe(before);
  });

  test("a failed page is reported, not retried in a loop, and retried on demand", async () => {
    let fail = true;
    const fetcher = vi.fn(async (q: DeviceQuery) => {
      await Promise.resolve();
      if (fail) throw { code: "service_failed", message: "MDM down", fix: "Try later", details: null };
      return listPage(rows, q);
    });
    const cache = new DevicePageCache(fetcher);
    await cache.ensureRange(0, 10);
    expect(cache.error?.code).toBe("service_failed");
    expect(cache.error?.fix).toBe("Try later");
    await cache.ensureRange(0, 10);
    expect(fetcher).toHaveBeenCalledTimes(1);
    fail = false;
    cache.retry();
    await vi.waitFor(() => {
      expect(cache.total).toBe(100_000);
    });
    expect(cache.error).toBeNull();
  });

  test("reset drops every page but keeps the total until the new answer", async () => {
    const fetcher = vi.fn(async (q: DeviceQuery) => Promise.resolve(listPage(rows, q)));
    const cache = new DevicePageCache(fetcher);
    await cache.ensureRange(1000, 1020);
    cache.reset();
    expect(cache.total).toBe(100_000);
    expect(cache.row(1000)).toBeUndefined();
    expect(fetcher.mock.calls.at(-1)?.[0]).toMatchObject({ offset: 1000 });
    await vi.waitFor(() => {
      expect(cache.row(1000)?.id).toBe("dev-001000");
    });
  });

  test("subscribers hear about every change", async () => {
    const cache = new DevicePageCache(async (q) => Promise.resolve(listPage(rows, q)));
    const listener = vi.fn();
    const unsubscribe = cache.subscribe(listener);
    const v0 = cache.getVersion();
    await cache.ensureRange(0, 0);
    expect(listener).toHaveBeenCalled();
    expect(cache.getVersion()).toBeGreaterThan(v0);
    unsubscribe();
  });

  test("scrolling the whole list keeps at most maxPages pages, the least recently shown dropped first", async () => {
    const fetcher = vi.fn(async (q: DeviceQuery) => Promise.resolve(listPage(rows, q)));
    const cache = new DevicePageCache(fetcher, NO_FILTERS, { maxPages: 10 });
    for (let start = 0; start < 100_000; start += 200) await cache.ensureRange(start, start + 30);
    const held = pageOffsetsForRange(0, 99_999, 200).filter((offset) => cache.isPageLoaded(offset));
    expect(held).toEqual(pageOffsetsForRange(98_000, 99_999, 200));
    expect(cache.row(99_999)?.id).toBe("dev-099999");
    expect(cache.row(0)).toBeUndefined();
    // A dropped page is fetched again when it is shown again; a page still held is not.
    fetcher.mockClear();
    await cache.ensureRange(0, 30);
    await cache.ensureRange(99_000, 99_010);
    expect(fetcher.mock.calls.map(([q]) => q.offset)).toEqual([0]);
    expect(cache.row(0)?.id).toBe("dev-000000");
  });

  test("a page shown again moves to the back of the line and outlives pages shown once", async () => {
    const cache = new DevicePageCache(async (q) => Promise.resolve(listPage(rows, q)), NO_FILTERS, {
      maxPages: 8,
    });
    for (let page = 0; page < 8; page++) await cache.ensureRange(page * 200, page * 200);
    await cache.ensureRange(0, 0); // page 0 shown again
    await cache.ensureRange(8 * 200, 8 * 200); // a ninth page: page 200 (not 0) makes room
    expect(cache.isPageLoaded(0)).toBe(true);
    expect(cache.isPageLoaded(200)).toBe(false);
    expect(cache.isPageLoaded(1600)).toBe(true);
  });

  test("the budget counts the pages of every cached query", async () => {
    const cache = new DevicePageCache(async (q) => Promise.resolve(listPage(rows, q)), NO_FILTERS, {
      maxPages: 8,
    });
    for (let page = 0; page < 6; page++) await cache.ensureRange(page * 200, page * 200);
    cache.select({ ...NO_FILTERS, platform: "ios" });
    for (let page = 0; page < 6; page++) await cache.ensureRange(page * 200, page * 200);
    cache.select(NO_FILTERS);
    // Of the first query's six pages, the four shown first made room for the second query's.
    expect(pageOffsetsForRange(0, 1199, 200).filter((offset) => cache.isPageLoaded(offset))).toEqual([800, 1000]);
  });
});
