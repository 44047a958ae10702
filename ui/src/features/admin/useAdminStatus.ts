import { useCallback, useEffect, useState } from "react";
import type { AdminStatus } from "../../bindings/AdminStatus";
import { ipc, toIpcError, type IpcError } from "../../ipc";

interface Loaded {
  status: AdminStatus | null;
  error: IpcError | null;
}

/**
 * `admin_status`, read when the page opens, when `epoch` changes (the language) and on `reload`.
 * Every admin command answers the new status: `apply` shows it without another round trip.
 */
export function useAdminStatus(epoch: number) {
  const [loaded, setLoaded] = useState<Loaded>({ status: null, error: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    ipc.adminStatus().then(
      (status) => {
        if (live) setLoaded({ status, error: null });
      },
      (raw: unknown) => {
        if (live) setLoaded((prev) => ({ status: prev.status, error: toIpcError("admin_status", raw) }));
      },
    );
    return () => {
      live = false;
    };
  }, [epoch, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  const apply = useCallback((status: AdminStatus) => {
    setLoaded({ status, error: null });
  }, []);

  return { status: loaded.status, error: loaded.error, reload, apply };
}
