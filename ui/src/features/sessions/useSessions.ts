import { useCallback, useEffect, useState } from "react";
import type { Session } from "../../bindings/Session";
import { ipc, isOpenSession, toIpcError, type IpcError } from "../../ipc";

/** While the list is on screen (and the window visible), it is read again this often. */
export const SESSIONS_POLL_MS = 10_000;

interface Loaded {
  openOnly: boolean;
  sessions: Session[] | null;
  error: IpcError | null;
}

/** Open sessions first, then the newest first. */
export function sortSessions(sessions: readonly Session[]): Session[] {
  return [...sessions].sort((a, b) => {
    const open = Number(isOpenSession(b)) - Number(isOpenSession(a));
    if (open !== 0) return open;
    return b.created_at.localeCompare(a.created_at);
  });
}

/**
 * `list_sessions`, read when the view opens, when `openOnly` or `epoch` changes, on `reload`,
 * and every 10 s while the window is visible (and at once when it becomes visible again).
 * A failed refresh keeps the last list on screen, with the error beside it.
 */
export function useSessions(openOnly: boolean, epoch: number) {
  const [loaded, setLoaded] = useState<Loaded>({ openOnly, sessions: null, error: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    const load = () => {
      ipc.listSessions(openOnly).then(
        (sessions) => {
          if (live) setLoaded({ openOnly, sessions: sortSessions(sessions), error: null });
        },
        (raw: unknown) => {
          if (!live) return;
          const error = toIpcError("list_sessions", raw);
          setLoaded((prev) => ({ openOnly, sessions: prev.openOnly === openOnly ? prev.sessions : null, error }));
        },
      );
    };
    load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load();
    }, SESSIONS_POLL_MS);
    const onVisibility = () => {
      if (document.visibilityState === "visible") load();
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [openOnly, epoch, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  const same = loaded.openOnly === openOnly;
  return { sessions: same ? loaded.sessions : null, error: same ? loaded.error : null, reload };
}
