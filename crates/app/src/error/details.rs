//! What an error carries beside its message and fix: one kind per situation, tagged by `kind`
//! so the window and scripts read it typed (`ErrorDetails.ts`), never by guessing at fields.

use helpatwork_domain::fleet::FleetErrors;
use helpatwork_domain::Check;
use serde::Serialize;
use ts_rs::TS;

use crate::dto::{Approval, AuditVerification, DoctorReport, Preflight, Session};

/// The structured part of an [`AppError`](super::AppError), `{"kind": …, …}`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorDetails {
    /// The preflight blocks the start: every check, the blocking ones among them.
    Preflight(Box<Preflight>),
    /// Checks that refuse an action outside a device's preflight (L1 on activation).
    Checks { checks: Vec<Check> },
    /// The bad rows of a fleet file; nothing was imported.
    FleetFile(Box<FleetErrors>),
    /// An open session holds the device.
    SessionHeld { session: Box<Session> },
    /// A start failed at a step (`create`, `deliver`, …); `cause` is that step's own details.
    FailedStep {
        failed_step: String,
        cause: Option<Box<ErrorDetails>>,
    },
    /// The store or a file cannot be written or read as it is.
    Storage { cause: StorageCause },
    /// A file the command reads or writes.
    File {
        path: String,
        cause: Option<StorageCause>,
    },
    /// An audit filter's field.
    Field { field: String },
    /// A setting's key.
    Setting { key: String },
    /// TeamViewer's error code (`helpatwork_teamviewer::ErrorCode`).
    Teamviewer { teamviewer_error: String },
    /// The MDM connector's error code (`helpatwork_mdm::ErrorCode`).
    Mdm { mdm_error: String },
    /// Another device sync is running.
    SyncRunning { sync_running: RunningSync },
    /// TeamViewer answered a link the product does not offer (`supporter link`, …).
    RefusedLink { refused_link: String },
    /// Another agent took the help request first.
    RequestTaken { code: String, taken_by: String },
    /// U3: distributing Host needs more unattended licences than are purchased.
    Licences {
        purchased: u32,
        consumed: u32,
        needed: u32,
    },
    /// A5: the devices that still have (or are distributed) Host.
    HostDevices { devices: Vec<String> },
    /// `audit verify` found the audit chain broken.
    AuditChain(Box<AuditVerification>),
    /// `doctor` found a part of this machine not ready.
    Doctor(Box<DoctorReport>),
    /// The command line was not understood: the parser's kind of problem and the usage text.
    Usage { problem: String, usage: String },
    /// A support policy holds the start until another agent approves this request.
    AwaitingApproval { approval: Box<Approval> },
    /// An armed session: the one a start armed instead (exit 11), or the one that holds the
    /// device for another agent (a conflict).
    Armed {
        armed: Box<crate::dto::ArmedSession>,
    },
}

/// The device sync that is running: who started it and when (RFC 3339), when still known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RunningSync {
    pub actor: Option<String>,
    pub since: Option<String>,
}

/// Why the store or a file cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StorageCause {
    /// Not a Help@Work database, or damaged.
    Corrupt,
    DiskFull,
    ReadOnly,
}

impl ErrorDetails {
    /// The checks it carries (a blocked preflight, or checks refusing an action).
    pub fn checks(&self) -> &[Check] {
        match self {
            ErrorDetails::Preflight(p) => &p.checks,
            ErrorDetails::Checks { checks } => checks,
            ErrorDetails::FailedStep {
                cause: Some(cause), ..
            } => cause.checks(),
            _ => &[],
        }
    }
}
