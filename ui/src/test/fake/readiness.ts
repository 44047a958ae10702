/**
 * The readiness board and its bulk fixes, as the Rust side answers them (crates/app/src/readiness*.rs):
 * the stored board at once, a fresh one computed, a group's devices, a fix's dry run (refused
 * where the embedded fleet cannot: it distributes but does not force a check-in), its run with
 * progress and Cancel, and the group's CSV written to Downloads.
 */
import type { Blocker } from "../../bindings/Blocker";
import type { BoardGroup } from "../../bindings/BoardGroup";
import type { FixAction } from "../../bindings/FixAction";
import type { FixPlan } from "../../bindings/FixPlan";
import type { FixProgress } from "../../bindings/FixProgress";
import type { FixRun } from "../../bindings/FixRun";
import type { Mode } from "../../bindings/Mode";
import type { ModeReadiness } from "../../bindings/ModeReadiness";
import type { ReadinessBoard } from "../../bindings/ReadinessBoard";
import type { ReadinessPoint } from "../../bindings/ReadinessPoint";
import { apiError, type FakeState } from "./state";

const WORDS: Readonly<Record<Blocker, [label: string, fix: string, blocks: boolean]>> = {
  unsupported: ["Not supported", "Nothing: the device cannot be helped (L2).", true],
  quicksupport: ["QuickSupport missing or unmanaged", "Distribute QuickSupport as a managed app (S10).", true],
  host_not_distributed: ["Host not distributed", "Distribute Host; each device takes one unattended licence (U3).", true],
  host_not_activated: ["Host not activated", "Force a check-in after the device user activates Host (U2).", true],
  allowlist: ["Not allowlisted", "Allowlist the app and its add-on in the MDM console (S2, U4).", true],
  versions_apart: ["Desktop client too old", "Update the TeamViewer desktop client (S11).", true],
  view_only: ["View only (no add-on)", "Distribute the manufacturer's add-on (A6).", false],
  offline: ["Offline", "Force a check-in.", false],
  facts_unknown: ["Facts unknown", "Force a check-in so the MDM reports them.", false],
};

/** The counts a fake fleet of `total` devices has in each group, per mode. */
const COUNTS: Readonly<Record<Mode, Partial<Record<Blocker, number>>>> = {
  attended: { quicksupport: 12, view_only: 30, offline: 9, unsupported: 4 },
  unattended: { host_not_distributed: 18, host_not_activated: 7, offline: 9, unsupported: 6 },
};

function series(mode: Mode, total: number, days: number, endDay: string): ReadinessPoint[] {
  const end = Date.parse(`${endDay}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const groups: Record<string, number> = {};
    for (const [group, count] of Object.entries(COUNTS[mode])) {
      // More devices in each group the further back: the fleet was fixed day by day.
      groups[group] = count + (days - 1 - i) * 2;
    }
    return { day, total, helpable_now: total - 40 - (days - 1 - i), groups };
  });
}

/** A board of a fleet of `total` devices, computed at `takenAt`, with `days` daily snapshots. */
export function makeBoard(total: number, takenAt: string, days = 14): ReadinessBoard {
  const modes: ModeReadiness[] = (["attended", "unattended"] as const).map((mode) => {
    const groups: BoardGroup[] = Object.entries(COUNTS[mode]).map(([blocker, count]) => {
      const b = blocker as Blocker;
      const [label, fix, blocks] = WORDS[b];
      return { blocker: b, blocks, count, share: count / Math.max(1, total), label, fix };
    });
    const blocked = groups.filter((g) => g.blocks).reduce((n, g) => n + g.count, 0);
    return {
      mode,
      board: { mode, total, helpable_now: Math.max(0, total - blocked), fleet_blocks: [], groups },
      series: series(mode, total, days, takenAt.slice(0, 10)),
    };
  });
  return { taken_at: takenAt, offline_days: 7, modes };
}

/** The ids of a group's devices: the first `count` rows of the fleet, in id order. */
export function groupIds(state: FakeState, mode: Mode, group: Blocker): string[] {
  const board = state.readiness.fresh;
  const count = board.modes.find((m) => m.mode === mode)?.board.groups.find((g) => g.blocker === group)?.count ?? 0;
  return state.rows
    .slice(0, count)
    .map((r) => r.id)
    .sort();
}

function action(group: Blocker): FixAction | null | "checkin" {
  switch (group) {
    case "quicksupport":
      return { kind: "distribute", app: "quicksupport", package: null };
    case "host_not_distributed":
      return { kind: "distribute", app: "host", package: null };
    case "view_only":
      return { kind: "distribute", app: "addon-oem", package: "com.teamviewer.quicksupport.addon.samsung" };
    case "host_not_activated":
    case "offline":
    case "facts_unknown":
      return "checkin";
    default:
      return null;
  }
}

export function planFix(state: FakeState, mode: Mode, group: Blocker): FixPlan {
  const ids = groupIds(state, mode, group);
  const change = action(group);
  const host = group === "host_not_distributed";
  const free = state.admin.purchased - (state.admin.distributions.host ?? []).length;
  let refused: string | null = null;
  if (change === "checkin") refused = "The embedded fleet cannot force a check-in.";
  else if (change === null) refused = "No connector can fix this group: use the MDM console.";
  else if (host && ids.length > free) refused = `${String(ids.length)} unattended licences are needed and ${String(free)} are free (U3).`;
  return {
    mode,
    group,
    devices: ids.map((id) =>
      change === null || change === "checkin"
        ? { device_id: id, action: null, skipped: refused }
        : { device_id: id, action: change, skipped: null },
    ),
    licences_needed: host ? ids.length : 0,
    licences_free: host ? free : null,
    refused,
  };
}

export function runFix(state: FakeState, mode: Mode, group: Blocker, onProgress: { onmessage: (p: FixProgress) => void }): FixRun {
  const plan = planFix(state, mode, group);
  if (plan.refused !== null) throw apiError("blocked", plan.refused, "Export the group's devices as CSV for the MDM console.");
  const todo = plan.devices.filter((d) => d.action !== null);
  const outcomes: FixRun["outcomes"] = [];
  // A Cancel asked while the run was held stops it after its first device.
  const cancelled = state.fixCancelled;
  state.fixCancelled = false;
  for (const [i, d] of todo.entries()) {
    if (cancelled && i > 0) break;
    if (d.action === null) continue;
    outcomes.push({ device_id: d.device_id, action: d.action, ok: true, error: null });
    onProgress.onmessage({ done: i + 1, total: todo.length });
  }
  return { plan, outcomes, cancelled: cancelled && outcomes.length < todo.length };
}

export function exportGroup(state: FakeState, mode: Mode, group: Blocker) {
  return {
    path: `${state.home}/Downloads/helpatwork-${group}-${mode}-20261206-100000.csv`,
    rows: groupIds(state, mode, group).length,
  };
}
