import { useCallback, useEffect, useRef, useState } from "react";
import type { ArmedSession } from "../../bindings/ArmedSession";
import type { ArmState } from "../../bindings/ArmState";
import { useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";

/** Armed sessions are read this often while the window is visible (the back end fires them every 15 s). */
export const ARMED_POLL_MS = 10_000;

/** The armed sessions that left `armed` since `previous` (by id and state); none on the first read. */
export function armedTransitions(previous: ReadonlyMap<string, ArmState> | null, next: readonly ArmedSession[]): ArmedSession[] {
  if (previous === null) return [];
  return next.filter((a) => previous.get(a.id) === "armed" && a.state !== "armed");
}

export interface ArmedState {
  /** Every armed session, newest first (the waiting ones and what became of the others). */
  armed: ArmedSession[] | null;
  error: IpcError | null;
  /** Counts the reads that saw an armed session fire, fail or expire. */
  changes: number;
  reload: () => void;
}

/**
 * `list_armed(all)` at start, every 10 s while the window is visible, and on `reload`. When an
 * armed session the previous read saw waiting has fired, failed or expired, `changes` counts up
 * and, with `notify`, a desktop notification says so (the window fires them on its own, so this
 * is how the agent hears of it).
 */
export function useArmed(enabled: boolean, notify: boolean): ArmedState {
  const t = useT();
  const [armed, setArmed] = useState<ArmedSession[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [changes, setChanges] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const seen = useRef<Map<string, ArmState> | null>(null);
  const tRef = useRef(t);
  useEffect(() => {
    tRef.current = t;
  }, [t]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const load = () => {
      ipc.listArmed(true).then(
        (next) => {
          if (!live) return;
          const moved = armedTransitions(seen.current, next);
          seen.current = new Map(next.map((a) => [a.id, a.state]));
          if (notify) {
            const tr = tRef.current;
            for (const a of moved) {
              const device = a.device_id;
              if (a.state === "fired") void ipc.notify(tr("armed.firedTitle"), tr("armed.firedBody", { device }));
              else if (a.state === "failed") void ipc.notify(tr("armed.failedTitle"), tr("armed.failedBody", { device, error: a.error ?? "" }));
              else if (a.state === "expired") void ipc.notify(tr("armed.expiredTitle"), tr("armed.expiredBody", { device }));
            }
          }
          if (moved.length > 0) setChanges((n) => n + 1);
          setArmed(next);
          setError(null);
        },
        (raw: unknown) => {
          if (live) setError(toIpcError("list_armed", raw));
        },
      );
    };
    load();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") load();
    }, ARMED_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [enabled, notify, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);
  return { armed, error, changes, reload };
}
