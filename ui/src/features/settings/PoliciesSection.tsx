import { useCallback, useEffect, useId, useState } from "react";
import type { Platform } from "../../bindings/Platform";
import type { Policy } from "../../bindings/Policy";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import type { UnattendedRule } from "../../bindings/UnattendedRule";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { AdminSection } from "../admin/AdminSection";
import { PolicyHoursField, windowProblem } from "./PolicyHoursField";

/** The editor's fields, as text; `""` is "not set". */
interface Draft {
  name: string;
  platform: "" | Platform;
  ownership: "" | "corporate" | "personal";
  kiosk: "" | "yes" | "no";
  label: string;
  namePattern: string;
  reasonRequired: boolean;
  ticketPattern: string;
  unattended: UnattendedRule;
  approvalMinutes: string;
  viewOnly: boolean;
  /** Off (any time), or a time zone and ranges (PolicyHoursField). */
  hours: Policy["hours"];
}

const EMPTY: Draft = {
  name: "",
  platform: "",
  ownership: "",
  kiosk: "",
  label: "",
  namePattern: "",
  reasonRequired: false,
  ticketPattern: "",
  unattended: "allowed",
  approvalMinutes: "30",
  viewOnly: false,
  hours: undefined,
};

function draftOf(p: Policy): Draft {
  return {
    name: p.name,
    platform: p.group.platform ?? "",
    ownership: p.group.ownership ?? "",
    kiosk: p.group.kiosk === undefined ? "" : p.group.kiosk ? "yes" : "no",
    label: p.group.label ?? "",
    namePattern: p.group.name ?? "",
    reasonRequired: p.reason_required,
    ticketPattern: p.ticket_pattern ?? "",
    unattended: p.unattended,
    approvalMinutes: String(p.approval_minutes ?? 30),
    viewOnly: p.personal_view_only,
    hours: p.hours,
  };
}

function policyOf(d: Draft): Policy {
  const text = (value: string) => (value.trim() === "" ? undefined : value.trim());
  const policy: Policy = {
    name: d.name.trim(),
    group: {},
    reason_required: d.reasonRequired,
    unattended: d.unattended,
    personal_view_only: d.viewOnly,
  };
  if (d.platform !== "") policy.group.platform = d.platform;
  if (d.ownership !== "") policy.group.ownership = d.ownership;
  if (d.kiosk !== "") policy.group.kiosk = d.kiosk === "yes";
  const label = text(d.label);
  if (label !== undefined) policy.group.label = label;
  const namePattern = text(d.namePattern);
  if (namePattern !== undefined) policy.group.name = namePattern;
  const ticket = text(d.ticketPattern);
  if (ticket !== undefined) policy.ticket_pattern = ticket;
  if (d.unattended === "approval") policy.approval_minutes = Number.parseInt(d.approvalMinutes, 10);
  if (d.hours !== undefined) policy.hours = d.hours;
  return policy;
}

const PLATFORMS: readonly Platform[] = ["android", "ios", "windows", "macos", "other"];

/**
 * Settings → Support policies: the policies per device group, listed, added, edited and
 * removed. The back end validates each one (the ticket pattern as a Rust regular expression,
 * the approval time) and audits every change with the policy before and after; its error shows
 * in place. The ticket pattern is also checked here as it is typed.
 */
export function PoliciesSection() {
  const t = useT();
  const id = useId();
  const [entries, setEntries] = useState<PolicyEntry[] | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [failure, setFailure] = useState<{ title: "policies.saveFailed" | "policies.removeFailed"; error: IpcError } | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(() => {
    ipc.listPolicies().then(
      (list) => {
        setEntries(list);
        setLoadError(null);
      },
      (raw: unknown) => {
        setLoadError(toIpcError("list_policies", raw));
      },
    );
  }, []);
  useEffect(reload, [reload]);

  const patternInvalid = draft !== null && draft.ticketPattern.trim() !== "" && !validPattern(draft.ticketPattern.trim());
  const hoursInvalid = draft?.hours?.windows.some((w) => windowProblem(w) !== null) ?? false;
  const invalid = patternInvalid || hoursInvalid;

  const save = () => {
    if (draft === null || busy || invalid) return;
    setBusy(true);
    setFailure(null);
    ipc.setPolicy(policyOf(draft)).then(
      () => {
        setBusy(false);
        setDraft(null);
        reload();
      },
      (raw: unknown) => {
        setBusy(false);
        setFailure({ title: "policies.saveFailed", error: toIpcError("set_policy", raw) });
      },
    );
  };

  const remove = (name: string) => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    ipc.removePolicy(name).then(
      () => {
        setBusy(false);
        reload();
      },
      (raw: unknown) => {
        setBusy(false);
        setFailure({ title: "policies.removeFailed", error: toIpcError("remove_policy", raw) });
      },
    );
  };

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => (d === null ? d : { ...d, ...patch }));
  };

  return (
    <AdminSection title={t("policies.title")} hint={t("policies.hint")} testId="settings-policies">
      {loadError && <ErrorNotice title={t("policies.loadFailed")} error={loadError} onRetry={reload} testId="policies-error" />}
      {entries !== null && entries.length === 0 && (
        <p className="muted" data-testid="policies-empty">
          {t("policies.empty")}
        </p>
      )}
      {entries !== null && entries.length > 0 && (
        <ul className="policies__list" data-testid="policies-list">
          {entries.map((e) => (
            <li key={e.policy.name} className="policies__item" data-testid="policy-item" data-name={e.policy.name}>
              <span className="policies__name">{e.policy.name}</span>
              <span className="muted">
                {[
                  e.policy.reason_required ? t("policies.reasonRequired") : null,
                  e.policy.ticket_pattern !== undefined ? `${t("policies.ticketPattern")}: ${e.policy.ticket_pattern}` : null,
                  `${t("policies.unattended")}: ${t(`policies.unattended.${e.policy.unattended}`)}`,
                  e.policy.personal_view_only ? t("policies.viewOnly") : null,
                  e.policy.hours !== undefined ? t("policies.hours", { hours: hoursText(e.policy.hours, t) }) : null,
                ]
                  .filter((x) => x !== null)
                  .join(" · ")}
              </span>
              <button
                type="button"
                className="button button--small"
                data-testid="policy-edit"
                onClick={() => {
                  setFailure(null);
                  setDraft(draftOf(e.policy));
                }}
              >
                {t("policies.edit")}
              </button>
              <button
                type="button"
                className="button button--small"
                aria-disabled={busy ? true : undefined}
                data-testid="policy-remove"
                onClick={() => {
                  remove(e.policy.name);
                }}
              >
                {t("policies.remove")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {draft === null ? (
        <button
          type="button"
          className="button"
          data-testid="policy-add"
          onClick={() => {
            setFailure(null);
            setDraft(EMPTY);
          }}
        >
          {t("policies.add")}
        </button>
      ) : (
        <form
          className="policies__form"
          data-testid="policy-form"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <TextField id={`${id}-name`} label={t("policies.name")} value={draft.name} testId="policy-name" onChange={(name) => { set({ name }); }} />
          <div className="field field--stacked">
            <label htmlFor={`${id}-platform`} className="field__label">
              {t("policies.platform")}
            </label>
            <select id={`${id}-platform`} className="select" value={draft.platform} data-testid="policy-platform" onChange={(e) => { set({ platform: e.target.value as Draft["platform"] }); }}>
              <option value="">{t("policies.any")}</option>
              {PLATFORMS.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <div className="field field--stacked">
            <label htmlFor={`${id}-ownership`} className="field__label">
              {t("policies.ownership")}
            </label>
            <select id={`${id}-ownership`} className="select" value={draft.ownership} data-testid="policy-ownership" onChange={(e) => { set({ ownership: e.target.value as Draft["ownership"] }); }}>
              <option value="">{t("policies.any")}</option>
              <option value="corporate">{t("policies.corporate")}</option>
              <option value="personal">{t("policies.personal")}</option>
            </select>
          </div>
          <div className="field field--stacked">
            <label htmlFor={`${id}-kiosk`} className="field__label">
              {t("policies.kiosk")}
            </label>
            <select id={`${id}-kiosk`} className="select" value={draft.kiosk} data-testid="policy-kiosk" onChange={(e) => { set({ kiosk: e.target.value as Draft["kiosk"] }); }}>
              <option value="">{t("policies.any")}</option>
              <option value="yes">{t("policies.yes")}</option>
              <option value="no">{t("policies.no")}</option>
            </select>
          </div>
          <TextField id={`${id}-label`} label={t("policies.label")} value={draft.label} testId="policy-label" onChange={(label) => { set({ label }); }} />
          <TextField id={`${id}-glob`} label={t("policies.namePattern")} value={draft.namePattern} testId="policy-name-pattern" onChange={(namePattern) => { set({ namePattern }); }} />
          <TextField
            id={`${id}-ticket`}
            label={t("policies.ticketPattern")}
            value={draft.ticketPattern}
            testId="policy-ticket-pattern"
            error={patternInvalid ? t("policies.ticketPatternInvalid") : null}
            onChange={(ticketPattern) => { set({ ticketPattern }); }}
          />
          <div className="field field--stacked">
            <label htmlFor={`${id}-unattended`} className="field__label">
              {t("policies.unattended")}
            </label>
            <select id={`${id}-unattended`} className="select" value={draft.unattended} data-testid="policy-unattended" onChange={(e) => { set({ unattended: e.target.value as UnattendedRule }); }}>
              <option value="allowed">{t("policies.unattended.allowed")}</option>
              <option value="forbidden">{t("policies.unattended.forbidden")}</option>
              <option value="approval">{t("policies.unattended.approval")}</option>
            </select>
          </div>
          {draft.unattended === "approval" && (
            <TextField
              id={`${id}-minutes`}
              label={t("policies.approvalMinutes")}
              value={draft.approvalMinutes}
              testId="policy-approval-minutes"
              inputMode="numeric"
              onChange={(approvalMinutes) => { set({ approvalMinutes }); }}
            />
          )}
          <label className="checkbox">
            <input type="checkbox" checked={draft.reasonRequired} data-testid="policy-reason" onChange={(e) => { set({ reasonRequired: e.target.checked }); }} />{" "}
            {t("policies.reasonRequired")}
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={draft.viewOnly} data-testid="policy-view-only" onChange={(e) => { set({ viewOnly: e.target.checked }); }} />{" "}
            {t("policies.viewOnly")}
          </label>
          <PolicyHoursField
            id={`${id}-hours`}
            hours={draft.hours}
            onChange={(hours) => {
              set({ hours });
            }}
          />
          <div className="policies__actions">
            <button type="submit" className="button button--primary" aria-disabled={busy || invalid ? true : undefined} data-testid="policy-save">
              {t("policies.save")}
            </button>
            <button
              type="button"
              className="button"
              data-testid="policy-cancel"
              onClick={() => {
                setDraft(null);
                setFailure(null);
              }}
            >
              {t("policies.cancel")}
            </button>
          </div>
        </form>
      )}
      {failure && <ErrorNotice title={t(failure.title)} error={failure.error} testId="policy-error" />}
    </AdminSection>
  );
}

/** `Mon, Tue 08:00–18:00; Sat 09:00–13:00 (America/Sao_Paulo)`: the list's summary of hours. */
function hoursText(hours: NonNullable<Policy["hours"]>, t: ReturnType<typeof useT>): string {
  const ranges = hours.windows.map((w) => `${w.days.map((d) => t(`policies.day.${d}`)).join(", ")} ${w.from}–${w.to}`);
  return `${ranges.join("; ")} (${hours.time_zone})`;
}

function validPattern(pattern: string): boolean {
  try {
    new RegExp(`^(?:${pattern})$`, "u");
    return true;
  } catch {
    return false;
  }
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  testId: string;
  error?: string | null;
  inputMode?: "numeric";
  onChange: (value: string) => void;
}

function TextField({ id, label, value, testId, error = null, inputMode, onChange }: TextFieldProps) {
  return (
    <div className="field field--stacked">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <input
        id={id}
        type="text"
        className="input"
        value={value}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-testid={testId}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      {error && (
        <span id={`${id}-error`} className="field__error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
