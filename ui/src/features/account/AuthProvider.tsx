import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { AuthStatus } from "../../bindings/AuthStatus";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { AuthContext, type Auth } from "./context";

interface Props {
  /** Read `auth_status` only once the back end is up (app_info answered). */
  ready: boolean;
  children: ReactNode;
}

export function AuthProvider({ ready, children }: Props) {
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState<Auth["busy"]>(null);
  const [attempt, setAttempt] = useState(0);
  const signingIn = useRef<Promise<AuthStatus> | null>(null);

  useEffect(() => {
    if (!ready) return;
    let live = true;
    ipc.authStatus().then(
      (next) => {
        if (!live) return;
        setStatus(next);
        setLoadError(null);
      },
      (raw: unknown) => {
        if (live) setLoadError(toIpcError("auth_status", raw));
      },
    );
    return () => {
      live = false;
    };
  }, [ready, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  const signIn = useCallback((): Promise<AuthStatus> => {
    if (signingIn.current) return signingIn.current;
    setBusy("signing_in");
    const pending = ipc.signIn().then(
      (next) => {
        setStatus(next);
        setLoadError(null);
        return next;
      },
      (raw: unknown) => {
        throw toIpcError("sign_in", raw);
      },
    );
    signingIn.current = pending;
    const done = () => {
      signingIn.current = null;
      setBusy(null);
    };
    pending.then(done, done);
    return pending;
  }, []);

  const signOut = useCallback((): Promise<AuthStatus> => {
    setBusy("signing_out");
    return ipc.signOut().then(
      (next) => {
        setStatus(next);
        setBusy(null);
        return next;
      },
      (raw: unknown) => {
        setBusy(null);
        throw toIpcError("sign_out", raw);
      },
    );
  }, []);

  const value = useMemo<Auth>(
    () => ({ status, loadError, busy, reload, signIn, signOut }),
    [status, loadError, busy, reload, signIn, signOut],
  );
  return <AuthContext value={value}>{children}</AuthContext>;
}
