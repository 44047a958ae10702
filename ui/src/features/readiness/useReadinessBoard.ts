import { useCallback, useEffect, useState } from "react";
import type { ReadinessBoard } from "../../bindings/ReadinessBoard";
import { ipc, toIpcError, type IpcError } from "../../ipc";

/** The offline days the window's board is drawn with (the CLI's default). */
export const OFFLINE_DAYS = 7;

export interface BoardState {
  /** The board shown: the stored one at once, then the fresh one. */
  board: ReadinessBoard | null;
  /** A fresh board is being computed over the fleet. */
  refreshing: boolean;
  /** Reading the stored board failed and there is nothing to show. */
  error: IpcError | null;
  /** Computing the fresh board failed (the stored one stays on screen). */
  refreshError: IpcError | null;
  refresh: () => void;
}

/**
 * The readiness board: the stored one painted at once (a read of two rows), a fresh one computed
 * behind it over the whole fleet, which replaces it when it comes.
 */
export function useReadinessBoard(epoch: number): BoardState {
  const [board, setBoard] = useState<ReadinessBoard | null>(null);
  const [storedError, setStoredError] = useState<IpcError | null>(null);
  const [round, setRound] = useState(0);
  // The computation that last came back (its epoch and round) and how.
  const [settled, setSettled] = useState<{ key: string; error: IpcError | null } | null>(null);
  const key = `${String(epoch)}/${String(round)}`;

  useEffect(() => {
    let live = true;
    if (round === 0) {
      ipc.readinessBoard().then(
        (stored) => {
          if (live && stored !== null) setBoard((shown) => shown ?? stored);
        },
        (raw: unknown) => {
          if (live) setStoredError(toIpcError("readiness_board", raw));
        },
      );
    }
    ipc.refreshReadiness(OFFLINE_DAYS).then(
      (fresh) => {
        if (!live) return;
        setBoard(fresh);
        setSettled({ key: `${String(epoch)}/${String(round)}`, error: null });
      },
      (raw: unknown) => {
        if (live) setSettled({ key: `${String(epoch)}/${String(round)}`, error: toIpcError("refresh_readiness", raw) });
      },
    );
    return () => {
      live = false;
    };
  }, [epoch, round]);

  const refresh = useCallback(() => {
    setRound((n) => n + 1);
  }, []);

  const refreshing = settled?.key !== key;
  const refreshError = settled?.key === key ? settled.error : null;
  return {
    board,
    refreshing,
    error: board === null ? (refreshError ?? (refreshing ? null : storedError)) : null,
    refreshError,
    refresh,
  };
}
