import { useEffect, useState } from "react";
import type { DeviceDetail } from "../../bindings/DeviceDetail";
import { ipc, toIpcError, type IpcError } from "../../ipc";

export type DetailResult = { ok: true; detail: DeviceDetail } | { ok: false; error: IpcError };

interface Loaded {
  id: string;
  version: string;
  result: DetailResult;
}

/**
 * `get_device` for `id`. Bumping `version` refetches while the previous answer for the same device
 * stays on screen; another device starts from nothing.
 */
export function useDeviceDetail(id: string, version: string): { result: DetailResult | null; loading: boolean } {
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let live = true;
    ipc.getDevice(id).then(
      (detail) => {
        if (live) setLoaded({ id, version, result: { ok: true, detail } });
      },
      (raw: unknown) => {
        if (live) setLoaded({ id, version, result: { ok: false, error: toIpcError("get_device", raw) } });
      },
    );
    return () => {
      live = false;
    };
  }, [id, version]);

  const sameDevice = loaded !== null && loaded.id === id;
  return {
    result: sameDevice ? loaded.result : null,
    loading: !sameDevice || loaded.version !== version,
  };
}
