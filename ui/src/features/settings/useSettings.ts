import { useCallback, useEffect, useState } from "react";
import type { SettingsView } from "../../bindings/SettingsView";
import { ipc, toIpcError, type IpcError } from "../../ipc";

/** `get_settings`, read when the view opens, when `epoch` changes and on `reload`; `apply` takes a newer answer. */
export function useSettings(epoch: number) {
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    ipc.getSettings().then(
      (answer) => {
        if (!live) return;
        setSettings(answer);
        setError(null);
      },
      (raw: unknown) => {
        if (live) setError(toIpcError("get_settings", raw));
      },
    );
    return () => {
      live = false;
    };
  }, [epoch, attempt]);

  const reload = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);

  return { settings, error, reload, apply: setSettings };
}
