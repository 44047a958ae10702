import { useCallback, useEffect, useState } from "react";
import type { AuditFacets } from "../../bindings/AuditFacets";
import type { AuditFilter } from "../../bindings/AuditFilter";
import type { AuditPage } from "../../bindings/AuditPage";
import type { AuditVerification } from "../../bindings/AuditVerification";
import { ipc, toIpcError, type IpcError } from "../../ipc";

/** Rows per page. */
export const AUDIT_PAGE_SIZE = 50;

/** What the agent typed in the filter form. Times are `datetime-local` values (local time). */
export interface AuditDraft {
  device: string;
  actor: string;
  action: string;
  since: string;
  until: string;
}

export const EMPTY_DRAFT: AuditDraft = { device: "", actor: "", action: "", since: "", until: "" };

/** A `datetime-local` value as an RFC 3339 instant, or `null` when empty or not a time. */
export function localToIso(value: string): string | null {
  if (value.trim() === "") return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The filter the back end receives for `draft`, page `offset`. */
export function toFilter(draft: AuditDraft, offset: number, limit = AUDIT_PAGE_SIZE): AuditFilter {
  const text = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    device_id: text(draft.device),
    actor: text(draft.actor),
    action: text(draft.action),
    since: localToIso(draft.since),
    until: localToIso(draft.until),
    offset,
    limit,
  };
}

interface Loaded {
  key: string;
  page: AuditPage | null;
  error: IpcError | null;
}

/** `list_audit` for `filter`, read again when it or `epoch` changes, or on `reload`. */
export function useAuditPage(filter: AuditFilter, epoch: number) {
  const key = JSON.stringify(filter);
  const [loaded, setLoaded] = useState<Loaded>({ key, page: null, error: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    const query = JSON.parse(key) as AuditFilter;
    ipc.listAudit(query).then(
      (page) => {
        if (live) setLoaded({ key, page, error: null });
      },
      (raw: unknown) => {
        if (live) setLoaded({ key, page: null, error: toIpcError("list_audit", raw) });
      },
    );
    return () => {
      live = false;
    };
  }, [key, epoch, attempt]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  const same = loaded.key === key;
  return { page: same ? loaded.page : null, error: same ? loaded.error : null, reload };
}

/** The agents and actions for the filter choices; none when they cannot be read (the filters still work). */
export function useAuditFacets(epoch: number): AuditFacets {
  const [facets, setFacets] = useState<AuditFacets>({ actors: [], actions: [] });
  useEffect(() => {
    let live = true;
    ipc.auditFacets().then(
      (answer) => {
        if (live) setFacets(answer);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [epoch]);
  return facets;
}

interface Verified {
  /** The `epoch:attempt` this answer is for. */
  key: string;
  verification: AuditVerification | null;
  error: IpcError | null;
}

/**
 * `verify_audit` when the view opens (and on `reload`): the chain walked by the back end. The
 * last answer stays shown while it verifies again (`checking`).
 */
export function useAuditVerification(epoch: number) {
  const [attempt, setAttempt] = useState(0);
  const key = `${epoch}:${attempt}`;
  const [state, setState] = useState<Verified>({ key: "", verification: null, error: null });

  useEffect(() => {
    let live = true;
    ipc.verifyAudit().then(
      (verification) => {
        if (live) setState({ key, verification, error: null });
      },
      (raw: unknown) => {
        if (live) setState({ key, verification: null, error: toIpcError("verify_audit", raw) });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  const reload = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  return { verification: state.verification, error: state.error, checking: state.key !== key, reload };
}
