import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from "react";
import { ipc } from "../../ipc";
import { DevicePageCache, queryKey, type DeviceFilters } from "./pageCache";

/**
 * The paged device list for `filters`. `epoch` changes when cached data goes stale as a whole
 * (the language changed: the back end localizes its messages), which drops every cached page.
 */
export function useDevicePages(filters: DeviceFilters, epoch: number): DevicePageCache {
  const [cache] = useState(() => new DevicePageCache((query) => ipc.listDevices(query), filters));
  useSyncExternalStore(cache.subscribe, cache.getVersion);

  const key = queryKey(filters);
  const seenEpoch = useRef(epoch);

  // Before the browser paints: the page's question is on its way while the frame is drawn, not
  // after it (the first frame of a start takes tens of milliseconds).
  useLayoutEffect(() => {
    cache.select(filters);
    // `key` captures everything in `filters` that selects rows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cache, key]);

  useEffect(() => {
    if (epoch === seenEpoch.current) return;
    seenEpoch.current = epoch;
    cache.reset();
  }, [cache, epoch]);

  return cache;
}
