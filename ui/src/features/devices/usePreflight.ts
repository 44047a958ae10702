import { useEffect, useState } from "react";
import type { Mode } from "../../bindings/Mode";
import type { Preflight } from "../../bindings/Preflight";
import { ipc, toIpcError, type IpcError } from "../../ipc";

export type PreflightResult = { ok: true; preflight: Preflight } | { ok: false; error: IpcError };

interface Loaded {
  key: string;
  version: string;
  result: PreflightResult;
}

/**
 * `preflight` for the device in `mode`, run again whenever the mode changes or `version` is
 * bumped (after a sign-in, or Check again). A re-check keeps the previous answer for the same
 * device and mode on screen; another mode starts from nothing, so its checks never mix.
 */
export function usePreflight(
  deviceId: string,
  mode: Mode,
  version: string,
): { result: PreflightResult | null; loading: boolean } {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const key = `${deviceId}\n${mode}`;

  useEffect(() => {
    let live = true;
    const asked = `${deviceId}\n${mode}`;
    ipc.preflight(deviceId, mode).then(
      (preflight) => {
        if (live) setLoaded({ key: asked, version, result: { ok: true, preflight } });
      },
      (raw: unknown) => {
        if (live) setLoaded({ key: asked, version, result: { ok: false, error: toIpcError("preflight", raw) } });
      },
    );
    return () => {
      live = false;
    };
  }, [deviceId, mode, version]);

  const same = loaded !== null && loaded.key === key;
  return { result: same ? loaded.result : null, loading: !same || loaded.version !== version };
}
