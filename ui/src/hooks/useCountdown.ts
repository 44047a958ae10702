import { useEffect, useState } from "react";

/**
 * Milliseconds left until `targetIso` (never below 0), refreshed every `intervalMs` while time is
 * left; `null` when there is no (valid) target. The timer stops once the target is reached.
 */
export function useCountdown(targetIso: string | null, intervalMs = 1000): number | null {
  const target = targetIso === null ? Number.NaN : Date.parse(targetIso);
  const [now, setNow] = useState(() => Date.now());
  const running = !Number.isNaN(target) && now < target;

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      setNow(Date.now());
    }, intervalMs);
    return () => {
      clearInterval(timer);
    };
  }, [running, intervalMs]);

  return Number.isNaN(target) ? null : Math.max(0, target - now);
}

/** `mm:ss` (or `h:mm:ss` from an hour up), rounding up so the last second reads 00:01, not 00:00. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}
