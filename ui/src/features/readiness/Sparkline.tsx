import type { Blocker } from "../../bindings/Blocker";
import type { ReadinessPoint } from "../../bindings/ReadinessPoint";

interface Props {
  series: readonly ReadinessPoint[];
  group: Blocker;
  /** The accessible name: what the line shows, from the first day's count to the last's. */
  label: string;
  width?: number;
  height?: number;
}

/** The group's devices on each day of the series (`null` where the line has fewer than two days). */
export function points(series: readonly ReadinessPoint[], group: Blocker, width: number, height: number): string | null {
  if (series.length < 2) return null;
  const values = series.map((p) => p.groups[group] ?? 0);
  const max = Math.max(1, ...values);
  const step = width / (series.length - 1);
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`)
    .join(" ");
}

/** A small line of a group's daily count (the board's daily snapshots), as an image with a name. */
export function Sparkline({ series, group, label, width = 96, height = 24 }: Props) {
  const line = points(series, group, width, height);
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${String(width)} ${String(height)}`}
      role="img"
      aria-label={label}
      data-testid={`sparkline-${group}`}
    >
      {line === null ? (
        <line x1={0} y1={height - 1} x2={width} y2={height - 1} className="sparkline__base" />
      ) : (
        <polyline points={line} className="sparkline__line" fill="none" />
      )}
    </svg>
  );
}
