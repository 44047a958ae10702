import { useCallback, useEffect, useRef, useState } from "react";
import { toIpcError, type IpcError } from "../../ipc";

export type CommandState<T> =
  | { status: "idle" }
  | { status: "pending" }
  | { status: "done"; value: T }
  | { status: "failed"; error: IpcError };

/**
 * One admin command at a time: `run` ignores a second call while the first is pending, keeps
 * the answer (`done`) or the `IpcError` (`failed`) for the view, and drops answers that arrive
 * after the view is gone.
 */
export function useCommand<T>(command: string) {
  const [state, setState] = useState<CommandState<T>>({ status: "idle" });
  const pending = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    (call: () => Promise<T>, onDone?: (value: T) => void) => {
      if (pending.current) return;
      pending.current = true;
      setState({ status: "pending" });
      call().then(
        (value) => {
          pending.current = false;
          if (!mounted.current) return;
          setState({ status: "done", value });
          onDone?.(value);
        },
        (raw: unknown) => {
          pending.current = false;
          if (mounted.current) setState({ status: "failed", error: toIpcError(command, raw) });
        },
      );
    },
    [command],
  );

  const reset = useCallback(() => {
    setState({ status: "idle" });
  }, []);

  return { state, run, reset, pending: state.status === "pending" };
}
