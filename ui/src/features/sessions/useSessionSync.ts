import { useCallback, useEffect, useRef, useState } from "react";
import type { LastSessionSync } from "../../bindings/LastSessionSync";
import { ipc, toIpcError, type IpcError } from "../../ipc";

/** The window's own reconciliation runs every 15 s; its outcome is read this often. */
export const SESSION_SYNC_POLL_MS = 10_000;

/**
 * What the window last learnt from TeamViewer about its sessions (`last_session_sync`), read while
 * the view is on screen, and `checkNow` (`sync_sessions`): read every open session back at once and
 * retry the closes TeamViewer is still owed. `onChecked` runs after a check that answered.
 */
export function useSessionSync(epoch: number, onChecked: () => void) {
  const [last, setLast] = useState<LastSessionSync | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const live = useRef(true);
  const onCheckedRef = useRef(onChecked);
  useEffect(() => {
    onCheckedRef.current = onChecked;
  }, [onChecked]);

  useEffect(() => {
    live.current = true;
    const load = () => {
      ipc.lastSessionSync().then(
        (answer) => {
          if (live.current && answer !== null) setLast(answer);
        },
        () => undefined,
      );
    };
    load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load();
    }, SESSION_SYNC_POLL_MS);
    return () => {
      live.current = false;
      clearInterval(timer);
    };
  }, [epoch]);

  const checkNow = useCallback(() => {
    if (checking) return;
    setChecking(true);
    setError(null);
    ipc.syncSessions().then(
      (sync) => {
        if (!live.current) return;
        setChecking(false);
        setLast({ at: new Date().toISOString(), sync });
        onCheckedRef.current();
      },
      (raw: unknown) => {
        if (!live.current) return;
        setChecking(false);
        setError(toIpcError("sync_sessions", raw));
      },
    );
  }, [checking]);

  return { last, checking, error, checkNow };
}
