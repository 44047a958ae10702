import { useCallback, useEffect, useRef, useState } from "react";
import type { Inbox } from "../../bindings/Inbox";
import { useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";

/** The inbox is read from TeamViewer this often while the window is visible. */
export const INBOX_POLL_MS = 15_000;

export interface InboxState {
  inbox: Inbox | null;
  error: IpcError | null;
  reload: () => void;
}

/**
 * `list_requests` at start, every 15 s while the window is visible, and on `reload`. A request
 * that was not there at the previous read is announced with a desktop notification (not the
 * ones already waiting when the window opened). A failed read keeps the last inbox.
 */
export function useInbox(enabled: boolean): InboxState {
  const t = useT();
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const seen = useRef<Set<string> | null>(null);
  const tRef = useRef(t);
  useEffect(() => {
    tRef.current = t;
  }, [t]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = () => {
      ipc.listRequests().then(
        (next) => {
          if (!live) return;
          const known = seen.current;
          if (known !== null) {
            for (const request of next.requests) {
              if (known.has(request.code)) continue;
              const user = request.end_customer_name ?? request.end_customer_email ?? request.code;
              const device = request.device_name ?? request.device_id ?? tRef.current("inbox.unknownDevice");
              void ipc.notify(tRef.current("notify.request.title"), tRef.current("notify.request.body", { user, device }));
            }
          }
          seen.current = new Set([...(known ?? []), ...next.requests.map((r) => r.code)]);
          setInbox(next);
          setError(null);
        },
        (raw: unknown) => {
          if (live) setError(toIpcError("list_requests", raw));
        },
      );
    };
    load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load();
    }, INBOX_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [enabled, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);
  return { inbox, error, reload };
}
