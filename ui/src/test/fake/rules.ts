/**
 * The back end's rules as the fake imitates them (English texts): the device list's search and
 * filters, preflight (L1, A1, L2, S3, one open session per device), the start (S3, S5, a
 * blocked preflight), the admin's status, licences and distribution (U3, A5, A6), the audit
 * filter, and a saved setting. One copy, for the vitest and the Playwright suites.
 */
import { gate, policyChecks, spendApproval } from "./policies";
import type { AdminStatus } from "../../bindings/AdminStatus";
import type { AppKind } from "../../bindings/AppKind";
import type { AuditEntry } from "../../bindings/AuditEntry";
import type { AuditFilter } from "../../bindings/AuditFilter";
import type { AuditPage } from "../../bindings/AuditPage";
import type { Check } from "../../bindings/Check";
import type { DevicePage } from "../../bindings/DevicePage";
import type { DeviceQuery } from "../../bindings/DeviceQuery";
import type { DeviceRow } from "../../bindings/DeviceRow";
import type { DistributionResult } from "../../bindings/DistributionResult";
import type { Mode } from "../../bindings/Mode";
import type { Preflight } from "../../bindings/Preflight";
import type { Session } from "../../bindings/Session";
import type { SettingChange } from "../../bindings/SettingChange";
import { IOS_EXPIRY_MS, makeActivation, makeSession, VALIDITY_MS } from "./fixtures";
import { apiError, openSessionOn, type FakeState } from "./state";

function matches(row: DeviceRow, query: DeviceQuery): boolean {
  if (query.platform !== null) {
    const other = row.platform !== "android" && row.platform !== "ios";
    if (query.platform === "other" ? !other : row.platform !== query.platform) return false;
  }
  if (query.readiness !== null && row.readiness !== query.readiness) return false;
  if (query.search !== null) {
    const needle = query.search.toLowerCase();
    const hay = `${row.name}\n${row.user_name}\n${row.user_email}\n${row.model}\n${row.id}`.toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

/** One page of the list: text search over name, user, e-mail, model and id; platform; readiness. */
export function listPage(rows: readonly DeviceRow[], query: DeviceQuery): DevicePage {
  if (query.ids) {
    // A readiness group's devices, in the order given.
    const byId = new Map(rows.map((r) => [r.id, r]));
    const page = query.ids.slice(query.offset, query.offset + query.limit);
    return { total: query.ids.length, offset: query.offset, items: page.flatMap((id) => byId.get(id) ?? []) };
  }
  const plain = query.search === null && query.platform === null && query.readiness === null;
  const hits = plain ? rows : rows.filter((row) => matches(row, query));
  return { total: hits.length, offset: query.offset, items: hits.slice(query.offset, query.offset + query.limit) };
}

/** Like audit.rs: exact device, actor and action; since inclusive, until exclusive; 50 a page by default. */
export function auditPage(entries: readonly AuditEntry[], filter: AuditFilter): AuditPage & { hits: AuditEntry[] } {
  const hits = entries.filter(
    (e) =>
      (filter.device_id === null || e.device_id === filter.device_id) &&
      (filter.actor === null || e.actor === filter.actor) &&
      (filter.action === null || e.action === filter.action) &&
      (filter.since === null || Date.parse(e.at) >= Date.parse(filter.since)) &&
      (filter.until === null || Date.parse(e.at) < Date.parse(filter.until)),
  );
  const limit = filter.limit === 0 ? 50 : filter.limit;
  return { total: hits.length, offset: filter.offset, items: hits.slice(filter.offset, filter.offset + limit), hits };
}

export function distributed(state: FakeState, app: AppKind): string[] {
  return state.admin.distributions[app] ?? [];
}

export function adminStatus(state: FakeState): AdminStatus {
  const { admin } = state;
  return {
    tier: admin.tier,
    locked: admin.tier !== "platinum",
    activations: (["attended", "unattended"] as const).map(
      (mode) => admin.activations.find((a) => a.mode === mode) ?? makeActivation(mode, false),
    ),
    unattended_licences: { purchased: admin.purchased, consumed: distributed(state, "host").length },
    kiosk_devices_missing_allowlist: [...admin.kioskMissing],
    devices_with_host: [...admin.devicesWithHost],
  };
}

/** Like `session::preflight`: L1, A1, the device's eligibility (L2), S3 and an open session. */
export function preflight(state: FakeState, deviceId: string, mode: Mode, ticket: string | null = null, starting = false): Preflight {
  const device = state.details.get(deviceId);
  if (!device) throw apiError("not_found", `No device ${deviceId}.`, "Check the device ID.");
  const { admin, auth } = state;
  const checks: Check[] = [];
  checks.push(
    admin.tier === "platinum"
      ? { rule: "L1", status: "pass", message: "The tenant has the Platinum tier.", fix: null }
      : { rule: "L1", status: "block", message: "Help@Work needs the Platinum tier.", fix: "Upgrade the tenant's licence to Platinum." },
  );
  const active = admin.activations.some((a) => a.mode === mode && a.active);
  checks.push(
    active
      ? { rule: "A1", status: "pass", message: `The ${mode} mode is activated.`, fix: null }
      : {
          rule: "A1",
          status: "block",
          message: `The ${mode} mode is not activated.`,
          fix: "An admin activates it (Admin → Infrastructure → Help@Work).",
        },
  );
  const eligibility = device.eligibility.find((entry) => entry.mode === mode);
  if (eligibility) {
    const status = eligibility.status === "ready" ? "pass" : eligibility.status === "attention" ? "warn" : "block";
    const reasons = eligibility.reasons.length > 0 ? eligibility.reasons : ["The device is eligible."];
    for (const reason of reasons) {
      checks.push({ rule: "L2", status, message: reason, fix: status === "block" ? "Enrol the device fully in the MDM." : null });
    }
  }
  checks.push(
    !auth.configured
      ? { rule: "S3", status: "block", message: "TeamViewer is not configured.", fix: "Set the TeamViewer app credentials or a script token." }
      : auth.signed_in
        ? { rule: "S3", status: "pass", message: "A TeamViewer token is held.", fix: null }
        : { rule: "S3", status: "warn", message: "Sign-in to TeamViewer is needed.", fix: "Sign in to TeamViewer: the start continues afterwards." },
  );
  const holder = openSessionOn(state, deviceId);
  if (holder) {
    checks.push({
      rule: "open_session",
      status: "block",
      message: `${holder.agent} already has session ${holder.code ?? holder.id} open (${holder.state}).`,
      fix: "Ask the holder to close it.",
    });
  }
  const policy = policyChecks(state, device, mode, ticket, starting);
  checks.push(...policy.checks);
  const answer: Preflight = { device_id: deviceId, mode, ok: checks.every((check) => check.status !== "block"), checks };
  if (policy.demands) answer.policy = policy.demands;
  return answer;
}

/** Like `session::start`: the sign-in first (S3), then a blocked preflight refuses; S5 on iOS. */
export function startSession(state: FakeState, deviceId: string, mode: Mode, reason: string, ticket: string | null = null): Session {
  if (!state.auth.signed_in) {
    throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
  }
  const pre = preflight(state, deviceId, mode, ticket, true);
  const blocks = pre.checks.filter((c) => c.status === "block");
  if (blocks.length > 0) {
    throw apiError("blocked", "The session cannot start on this device.", blocks[0]?.fix ?? null, { kind: "preflight", ...pre });
  }
  const approval = gate(state, deviceId, reason, ticket, pre.policy);
  state.starts += 1;
  const n = 100 + state.starts;
  let id = state.sessions.size + 1;
  while (state.sessions.has(`sess-${id}`)) id += 1;
  const now = Date.now();
  const ios = state.details.get(deviceId)?.platform === "ios";
  const session = makeSession({
    id: `sess-${id}`,
    device_id: deviceId,
    mode,
    state: "delivered",
    code: `s${n}-456-789`,
    agent: state.auth.account?.name ?? "",
    reason,
    created_at: new Date(now).toISOString(),
    // S5: iOS session IDs expire after 30 minutes.
    expires_at: new Date(now + (ios ? IOS_EXPIRY_MS : VALIDITY_MS)).toISOString(),
    valid_until: new Date(now + VALIDITY_MS).toISOString(),
    supporter_link: `https://start.teamviewer.com/s${n}456789`,
    end_customer_link: `https://get.teamviewer.com/s${n}456789`,
    teamviewer_userid: state.auth.account?.userid ?? null,
    ...(ticket === null || ticket.trim() === "" ? {} : { ticket: ticket.trim() }),
    ...(pre.policy?.view_only === true ? { view_only: true } : {}),
    ...state.startOverrides,
  });
  if (approval) spendApproval(state, approval, session.id);
  state.sessions.set(session.id, session);
  return session;
}

/** U3: fewer licences than Host uses are refused. */
export function setLicences(state: FakeState, purchased: number): AdminStatus {
  const consumed = distributed(state, "host").length;
  if (purchased < consumed) {
    throw apiError(
      "conflict",
      `Host is distributed to ${consumed} devices, more than ${purchased} licences (U3).`,
      "Undistribute Host from some devices first.",
    );
  }
  state.admin.purchased = purchased;
  return adminStatus(state);
}

/** Like `admin::distribute`: the devices named (each must exist) or all eligible; U3 for Host. */
export function distribute(state: FakeState, app: AppKind, devices: string[], all: boolean, add: boolean): DistributionResult {
  const { admin, details } = state;
  const androidOnly = app !== "quicksupport";
  let ids: string[];
  if (all) {
    ids = [...details.values()].filter((d) => d.platform === "android" || (!androidOnly && d.platform === "ios")).map((d) => d.id);
  } else {
    if (devices.length === 0) throw apiError("invalid_input", "Name the devices or use all.", null);
    for (const id of devices) {
      const found = details.get(id);
      if (!found) throw apiError("not_found", `No device ${id}.`, "Check the device ID.");
      if (androidOnly && found.platform !== "android") {
        throw apiError("invalid_input", `${app} is for Android only; ${id} is ${found.platform}.`, null);
      }
    }
    ids = devices;
  }
  const before = distributed(state, app);
  const wouldBe = add ? new Set([...before, ...ids]).size : 0;
  if (add && app === "host" && wouldBe > admin.purchased) {
    // U3: refused with the numbers, nothing changes.
    throw apiError(
      "conflict",
      `Distributing Host to these devices needs ${wouldBe} unattended licences; ${admin.purchased} are purchased and ${before.length} are in use (U3). Nothing changed.`,
      "Buy more MI add-on licences or distribute to fewer devices.",
      { kind: "licences", purchased: admin.purchased, consumed: before.length, needed: wouldBe },
    );
  }
  // An MDM other than the embedded fleet may refuse devices: they are reported, not recorded.
  const refuses = admin.mdmRefuses ?? {};
  const failed = ids.filter((id) => id in refuses).map((device) => ({ device, message: refuses[device] ?? "" }));
  const accepted = ids.filter((id) => !(id in refuses));
  const after = add ? [...new Set([...before, ...accepted])] : before.filter((id) => !accepted.includes(id));
  admin.distributions = { ...admin.distributions, [app]: after };
  return { app, devices: accepted.length, distributed_to: after.length, failed };
}

/** A5: the account binding stays while any device has (or is given) Host. */
export function deleteAccount(state: FakeState): AdminStatus {
  const still = [...new Set([...state.admin.devicesWithHost, ...distributed(state, "host")])].sort();
  if (still.length > 0) {
    throw apiError(
      "conflict",
      `TeamViewer Host is still on (or distributed to) ${still.length} device(s): ${still.join(", ")}. The account binding stays.`,
      "Deprovision first, wait for every device to report Host removed, then delete again.",
      { kind: "host_devices", devices: still },
    );
  }
  state.admin.activations = [];
  return adminStatus(state);
}

/** Like `settings::save`: a known key, one of its choices; a secret shows only as set. */
export function saveSetting(state: FakeState, key: string, raw: string): SettingChange {
  const value = raw.trim();
  const found = state.settings.entries.find((e) => e.key === key);
  if (!found) throw apiError("invalid_input", `There is no setting ${key}.`, "Check the setting's name.");
  if (found.choices.length > 0 && value !== "" && !found.choices.includes(value)) {
    throw apiError("invalid_input", `${key} is one of ${found.choices.join(", ")}.`, `Choose ${found.choices.join(" or ")}.`);
  }
  state.settings = {
    ...state.settings,
    entries: state.settings.entries.map((e) => {
      if (e.key !== key) return e;
      if (e.secret) return { ...e, is_set: value !== "", source: value === "" ? "default" : "keyring" };
      const saved = value === "" ? null : value;
      return { ...e, saved, value: e.overridden ? e.value : saved, source: e.overridden ? "env" : saved === null ? "default" : "file" };
    }),
  };
  return {
    key,
    set: value !== "",
    restart: found.restart,
    overridden_by: found.overridden ? found.env : null,
    settings: state.settings,
  };
}
