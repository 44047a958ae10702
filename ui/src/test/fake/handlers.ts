/**
 * The fake's answer to every command of the generated command map (`bindings/commands.ts`):
 * `Handlers` has a member per command, so a command added on the Rust side and missing here
 * fails the type check.
 */
import type { AuditEntry } from "../../bindings/AuditEntry";
import type { AuditVerification } from "../../bindings/AuditVerification";
import type { CommandName, Commands } from "../../bindings/commands";
import type { Lang } from "../../bindings/Lang";
import type { SyncReport } from "../../bindings/SyncReport";
import { armSession, cancelArmed, listArmed, rearmSession } from "./armed";
import { coachingCard } from "./coaching";
import { APP_INFO, SIGNED_IN, SIGNED_OUT } from "./fixtures";
import { confirmHostMatch, handOver, hostStatus, inbox, takeRequest } from "./helpFlows";
import { decide, listApprovals, removePolicy, setPolicy } from "./policies";
import {
  adminStatus,
  auditPage,
  deleteAccount,
  distribute,
  listPage,
  preflight,
  saveSetting,
  setLicences,
  startSession,
} from "./rules";
import { exportGroup, groupIds, planFix, runFix } from "./readiness";
import { putSink, removeSink, sendAudit } from "./sinks";
import { apiError, isOpen, type FakeState } from "./state";

export type CommandArgs<K extends CommandName> = Commands[K]["args"];
export type CommandAnswer<K extends CommandName> = Commands[K]["answer"];

/** One command's answer, at once or later; a rejection throws an `ApiError`. */
export type Handler<K extends CommandName> = (args: CommandArgs<K>) => CommandAnswer<K> | Promise<CommandAnswer<K>>;

export type Handlers = { [K in CommandName]: Handler<K> };

/** What the handlers need beyond the state: the stored language (a page keeps it across reloads). */
export interface HandlerEnv {
  lang: () => Lang;
  setLang: (lang: Lang) => void;
}

export function commandHandlers(state: FakeState, env: HandlerEnv): Handlers {
  const storedSession = (id: string) => {
    const found = state.sessions.get(id);
    if (!found) throw apiError("not_found", `No session ${id}.`, "Start a new session.");
    return found;
  };
  return {
    app_info: () => ({ ...APP_INFO, device_count: state.rows.length, ...state.info, lang: env.lang() }),
    list_devices: ({ query }) => listPage(state.rows, query),
    get_device: ({ id }) => {
      const found = state.details.get(id);
      if (!found) throw apiError("not_found", `No device ${id}.`, "Check the device ID.");
      return found;
    },
    set_language: ({ lang }) => {
      env.setLang(lang);
      return null;
    },
    sync_devices: ({ onProgress }) => {
      state.syncCancelled = false;
      onProgress.onmessage({ read: 500, total: 1000 });
      onProgress.onmessage({ read: 1000, total: 1000 });
      const report: SyncReport = {
        connector: "Ivanti Neurons for MDM",
        mode: "full",
        since: null,
        resumed: false,
        pages: 2,
        devices: 1000,
        inserted: 990,
        updated: 10,
        unchanged: 0,
        removed: 3,
        skipped: 0,
        sessions_ended: 0,
        cancelled: false,
        warnings: [],
        warnings_total: 0,
      };
      state.syncStatus = {
        ...state.syncStatus,
        last_run_at: "2026-12-07T09:15:00Z",
        last_mode: "full",
        last_outcome: "ok",
        last_error: null,
        last_devices: 1000,
      };
      return report;
    },
    cancel_sync: () => {
      state.syncCancelled = true;
      return null;
    },
    sync_status: () => ({
      ...state.syncStatus,
      syncable: state.info.can_sync ?? false,
      connector: state.info.mdm ?? "embedded",
    }),

    readiness_board: () => state.readiness.stored,
    refresh_readiness: ({ offlineDays }) => {
      const fresh = { ...state.readiness.fresh, offline_days: offlineDays };
      state.readiness.stored = fresh;
      return fresh;
    },
    readiness_group: ({ mode, group }) => groupIds(state, mode, group),
    plan_fix: ({ mode, group }) => planFix(state, mode, group),
    run_fix: ({ mode, group, onProgress }) => runFix(state, mode, group, onProgress),
    cancel_fix: () => {
      state.fixCancelled = true;
      return null;
    },
    export_group: ({ mode, group }) => exportGroup(state, mode, group),

    preflight: ({ deviceId, mode, ticket }) => preflight(state, deviceId, mode, ticket),
    start_session: ({ deviceId, mode, reason, ticket }) => startSession(state, deviceId, mode, reason, ticket),
    get_session: ({ id }) => storedSession(id),
    coaching_card: ({ id }) => coachingCard(state, id, env.lang()),
    close_session: ({ id }) => ({ ...storedSession(id), state: "closed" }),
    open_session: ({ id }) => {
      state.sessions.set(id, { ...storedSession(id), launched: true });
      return null;
    },
    list_sessions: ({ openOnly }) =>
      [...state.sessions.values()].filter((s) => !openOnly || isOpen(s)).sort((a, b) => b.created_at.localeCompare(a.created_at)),
    sync_sessions: () => ({ teamviewer: "checked", message: null, changes: [], closes: [], pending_closes: state.pendingCloses }),
    last_session_sync: () => state.lastSessionSync,

    auth_status: () => state.auth,
    sign_in: () => {
      if (!state.auth.configured) {
        throw apiError("invalid_input", "TeamViewer sign-in is not configured.", "Set HELPATWORK_TEAMVIEWER_CLIENT_ID.");
      }
      return SIGNED_IN;
    },
    sign_out: () => ({ ...SIGNED_OUT, configured: state.auth.configured }),

    list_requests: () => inbox(state),
    take_request: ({ code }) => takeRequest(state, code),
    list_agents: () => state.agents,
    hand_over_session: ({ id, to, reason }) => handOver(state, id, to, reason),
    host_status: ({ deviceId }) => hostStatus(state, deviceId),
    confirm_host_match: ({ deviceId, remotecontrolId }) => confirmHostMatch(state, deviceId, remotecontrolId),

    list_approvals: ({ all }) => listApprovals(state, all),
    list_armed: ({ all }) => listArmed(state, all),
    arm_session: ({ deviceId, mode, reason, ticket, withinMinutes }) => armSession(state, deviceId, mode, reason, ticket, withinMinutes),
    rearm_session: ({ id, withinMinutes }) => rearmSession(state, id, withinMinutes),
    cancel_armed: ({ id }) => cancelArmed(state, id),
    approve_start: ({ id }) => decide(state, id, true, null),
    refuse_start: ({ id, reason }) => decide(state, id, false, reason),
    list_policies: () => state.policies,
    set_policy: ({ policy }) => setPolicy(state, policy),
    remove_policy: ({ name }) => removePolicy(state, name),

    admin_status: () => adminStatus(state),
    set_tier: ({ tier }) => {
      state.admin.tier = tier;
      return adminStatus(state);
    },
    set_licences: ({ unattended }) => setLicences(state, unattended),
    get_eula: () => state.eula,
    activate: ({ mode, eulaSha256 }) => {
      if (eulaSha256 !== state.eula.sha256) {
        throw apiError("conflict", "The EULA text changed since it was shown.", "Read the EULA again and agree to the current text.");
      }
      const { auth, admin } = state;
      if (!auth.signed_in) {
        throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
      }
      admin.activations = [
        ...admin.activations.filter((a) => a.mode !== mode),
        {
          mode,
          active: true,
          account_id: auth.account?.userid ?? null,
          account_name: auth.account?.name ?? null,
          eula_version: state.eula.version,
          agreed_by: "maria.admin",
          agreed_at: new Date().toISOString(),
        },
      ];
      return adminStatus(state);
    },
    remove_activation: () => {
      // A3: open sessions are ended; both modes are no longer active.
      for (const session of state.sessions.values()) {
        if (isOpen(session)) state.sessions.set(session.id, { ...session, state: "closed" });
      }
      state.admin.activations = state.admin.activations.map((a) => ({ ...a, active: false }));
      return adminStatus(state);
    },
    distribute_app: ({ app, devices, all, distribute: add }) => distribute(state, app, devices, all, add),
    deprovision: () => {
      // A5: Host is undistributed everywhere; devices report it gone only after a check-in.
      state.admin.distributions = { ...state.admin.distributions, host: [] };
      return adminStatus(state);
    },
    delete_account: () => deleteAccount(state),

    list_audit: ({ filter }) => {
      const { total, offset, items } = auditPage(state.audit, filter);
      return { total, offset, items };
    },
    audit_facets: () => ({
      actors: [...new Set(state.audit.map((e) => e.actor))].sort(),
      actions: [...new Set(state.audit.map((e) => e.action))].sort(),
    }),
    export_audit: ({ filter }) => ({
      path: `${state.home}/Downloads/helpatwork-audit-20261120-100000.csv`,
      rows: auditPage(state.audit, filter).hits.length,
    }),
    verify_audit: () => state.auditChain ?? intactChain(state.audit),
    get_settings: () => state.settings,
    set_setting: ({ key, value }) => saveSetting(state, key, value),
    test_setting: ({ target }) => ({ target, message: `The ${target} connection works.`, notes: [] }),

    list_audit_sinks: () => state.sinks,
    put_audit_sink: ({ sink }) => putSink(state, sink),
    remove_audit_sink: ({ id }) => removeSink(state, id),
    send_audit: () => sendAudit(state),

    report_first_paint: () => null,
  };
}

/** The trail as an intact chain: every event verified, up to the newest (`audit` is newest first). */
function intactChain(audit: readonly AuditEntry[]): AuditVerification {
  const newest = audit[0];
  return {
    intact: true,
    verified: audit.length,
    verified_up_to:
      newest === undefined
        ? null
        : { seq: audit.length, id: newest.id, at: newest.at, action: newest.action, hash: "9f".repeat(32) },
    head_seq: audit.length,
    broken: null,
    message:
      newest === undefined
        ? "The audit trail is empty: nothing to verify."
        : `The audit trail is intact. Verified up to event ${newest.id} (#${audit.length}, ${newest.action}, ${newest.at}) (${audit.length} events).`,
    fix: null,
  };
}
