//! Support policies and four-eyes approvals (crate::policy).

use helpatwork_domain::Mode;
use serde::Serialize;
use ts_rs::TS;

use super::rfc3339;

/// What the support policies that hold a device ask of a start, the strictest of each
/// (`helpatwork_domain::policy::Verdict`): the start dialog's ticket field and its pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PolicyDemands {
    /// The policies whose group holds the device.
    pub policies: Vec<String>,
    pub reason_required: bool,
    /// Patterns the whole ticket reference must match (each one); empty: no ticket needed.
    pub ticket_patterns: Vec<String>,
    /// Attended on a personal device: the session is view only.
    pub view_only: bool,
    /// Unattended: another agent's approval is needed, valid this many minutes.
    pub approval_minutes: Option<u32>,
    pub unattended_forbidden: bool,
}

impl PolicyDemands {
    pub fn of(v: &helpatwork_domain::policy::Verdict) -> Option<Self> {
        (!v.policies.is_empty()).then(|| PolicyDemands {
            policies: v.policies.clone(),
            reason_required: v.reason_required,
            ticket_patterns: v.ticket_patterns.clone(),
            view_only: v.view_only,
            approval_minutes: v.approval_minutes,
            unattended_forbidden: v.unattended_forbidden,
        })
    }
}

/// A support policy as kept (`policy list|show --json`, the Settings editor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PolicyEntry {
    pub policy: helpatwork_domain::policy::Policy,
    pub updated_at: String,
    pub updated_by: String,
}

/// A four-eyes request: an unattended start held until another agent approves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Approval {
    pub id: String,
    pub device_id: String,
    pub mode: Mode,
    pub requester: String,
    pub reason: String,
    pub ticket: Option<String>,
    /// The policies that asked for the approval.
    pub policies: Vec<String>,
    pub approval_minutes: u32,
    pub state: helpatwork_domain::policy::ApprovalState,
    pub requested_at: String,
    /// The request's end while pending; the approval's once approved.
    pub expires_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
    /// The session the approval let start.
    pub session_id: Option<String>,
    /// The agent asking made this request (so cannot decide it).
    pub mine: bool,
}

impl Approval {
    pub fn from_record(r: helpatwork_store::ApprovalRecord, me: &str) -> Self {
        Approval {
            mine: r.requester == me,
            id: r.id,
            device_id: r.device_id,
            mode: r.mode,
            requester: r.requester,
            reason: r.reason,
            ticket: r.ticket,
            policies: r.policies,
            approval_minutes: r.approval_minutes,
            state: r.state,
            requested_at: rfc3339(r.requested_at),
            expires_at: rfc3339(r.expires_at),
            decided_by: r.decided_by,
            decided_at: r.decided_at.map(rfc3339),
            decision_reason: r.decision_reason,
            session_id: r.session_id,
        }
    }
}
