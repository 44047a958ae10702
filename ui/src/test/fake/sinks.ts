/**
 * The fake's SIEM sinks, like crates/app/src/siem: validated as the back end does (the id, TLS
 * off only to loopback, https or loopback http), listed with their backlog, delivered by
 * `send_audit`.
 */
import type { AuditSendReport } from "../../bindings/AuditSendReport";
import type { AuditSinkInput } from "../../bindings/AuditSinkInput";
import type { AuditSinkStatus } from "../../bindings/AuditSinkStatus";
import { apiError, type FakeState } from "./state";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/i;

export function putSink(state: FakeState, input: AuditSinkInput): AuditSinkStatus {
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(input.id)) {
    throw apiError(
      "invalid_input",
      `The sink id "${input.id}" is not valid.`,
      "Use 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter or digit (e.g. splunk-1).",
    );
  }
  const config = input.config;
  if (config.kind === "syslog" && !config.tls && !LOOPBACK.test(config.host)) {
    throw apiError(
      "invalid_input",
      `Syslog without TLS to ${config.host} would send the audit trail in clear text.`,
      "Turn TLS on (plain TCP is allowed only to 127.0.0.1/localhost, e.g. a local relay).",
    );
  }
  if (config.kind === "webhook") {
    const url = URL.canParse(config.url) ? new URL(config.url) : null;
    if (url === null || !(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname)))) {
      throw apiError(
        "invalid_input",
        `The webhook URL "${config.url}" must be an https:// URL (http:// only for 127.0.0.1/localhost).`,
        "Give the receiver's https:// URL (http:// only for 127.0.0.1/localhost), without user:password@.",
      );
    }
  }
  const before = state.sinks.find((s) => s.id === input.id);
  const sink: AuditSinkStatus = {
    id: input.id,
    config:
      config.kind === "syslog"
        ? { ...config, app_name: config.app_name || "helpatwork", hostname: config.hostname || "desk-01" }
        : { ...config, uses_bearer: input.bearer !== null || (before?.config.kind === "webhook" && before.config.uses_bearer) },
    bearer_set: config.kind === "webhook" && (input.bearer !== null || (before?.bearer_set ?? false)),
    pending: before?.pending ?? 1,
    oldest_at: before?.oldest_at ?? "2026-11-20T10:00:00.000Z",
    oldest_age_seconds: before?.oldest_age_seconds ?? 1,
    attempts: 0,
    last_error: null,
    last_error_at: null,
    next_attempt_at: null,
    delivered: before?.delivered ?? 0,
    last_delivered_at: before?.last_delivered_at ?? null,
  };
  state.sinks = [...state.sinks.filter((s) => s.id !== input.id), sink].sort((a, b) => a.id.localeCompare(b.id));
  return sink;
}

export function removeSink(state: FakeState, id: string): null {
  if (!state.sinks.some((s) => s.id === id)) {
    throw apiError("not_found", `No audit sink is named ${id}`, "See the sinks with `helpatwork audit sinks list`.");
  }
  state.sinks = state.sinks.filter((s) => s.id !== id);
  return null;
}

/** Every sink is up in the fake: its backlog is delivered. */
export function sendAudit(state: FakeState): AuditSendReport {
  const sinks = state.sinks.map((s) => ({
    id: s.id,
    outcome: "delivered" as const,
    sent: s.pending,
    pending: 0,
    error: null,
    next_attempt_at: null,
  }));
  state.sinks = state.sinks.map((s) => ({
    ...s,
    delivered: s.delivered + s.pending,
    pending: 0,
    oldest_at: null,
    oldest_age_seconds: null,
    attempts: 0,
    last_error: null,
  }));
  return { sinks };
}
