import { createContext, useContext } from "react";
import type { AuthStatus } from "../../bindings/AuthStatus";
import type { IpcError } from "../../ipc";

/**
 * The agent's TeamViewer sign-in (S3), shared by the header's account area and the mode dialog,
 * so a sign-in started in one place shows in the other.
 */
export interface Auth {
  /** `null` until `auth_status` has answered (or when it failed: see `loadError`). */
  readonly status: AuthStatus | null;
  readonly loadError: IpcError | null;
  /** A sign-in (the browser round trip) or a sign-out is in progress. */
  readonly busy: "signing_in" | "signing_out" | null;
  /** Reads `auth_status` again (e.g. after a start answered `sign_in_needed`). */
  reload: () => void;
  /** Runs `sign_in`; a second call while one is running joins it. Rejects with an `IpcError`. */
  signIn: () => Promise<AuthStatus>;
  /** Runs `sign_out`. Rejects with an `IpcError`. */
  signOut: () => Promise<AuthStatus>;
}

export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth() needs an <AuthProvider> above it.");
  return auth;
}

/** The sign-in when an `<AuthProvider>` is above, else `null` (components also rendered alone). */
export function useAuthIfAny(): Auth | null {
  return useContext(AuthContext);
}
