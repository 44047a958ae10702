//! Armed sessions (crate::session::armed): started at the device's next check-in.

use helpatwork_domain::armed::ArmState;
use helpatwork_domain::Mode;
use helpatwork_store::ArmedRecord;
use serde::Serialize;
use ts_rs::TS;

use super::{rfc3339, Session};

/// An armed session as the agent sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ArmedSession {
    pub id: String,
    pub device_id: String,
    pub mode: Mode,
    /// The agent it holds the device for.
    pub agent: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub state: ArmState,
    pub armed_at: String,
    /// It waits for the device's check-in until then.
    pub expires_at: String,
    /// The device's check-in when it was armed: a newer one starts the session.
    pub armed_checkin: String,
    /// The ended session it starts again (`session rearm`), if any.
    pub rearm_of: Option<String>,
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    /// Fired: the session it started.
    pub session_id: Option<String>,
    /// Failed: why the start was refused.
    pub error: Option<String>,
}

impl From<ArmedRecord> for ArmedSession {
    fn from(r: ArmedRecord) -> Self {
        Self {
            id: r.id,
            device_id: r.device_id,
            mode: r.mode,
            agent: r.agent,
            reason: r.reason,
            ticket: r.ticket,
            state: r.state,
            armed_at: rfc3339(r.armed_at),
            expires_at: rfc3339(r.expires_at),
            armed_checkin: rfc3339(r.armed_checkin),
            rearm_of: r.rearm_of,
            ended_at: r.ended_at.map(rfc3339),
            ended_by: r.ended_by,
            session_id: r.session_id,
            error: r.error,
        }
    }
}

/// What a check-in did to an armed session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ArmOutcome {
    pub armed: ArmedSession,
    /// The session it started (also when a later step of that start failed: see its state).
    pub session: Option<Session>,
    /// Why the start failed, when it did.
    pub error: Option<String>,
}
