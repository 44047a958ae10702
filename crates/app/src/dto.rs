//! The shapes that cross the IPC boundary and the CLI's `--json` output: one shape for both.
//!
//! Field names are snake_case on purpose: the CLI JSON contract (`docs/architecture.md`, "The CLI") fixes them, and the
//! window reads the very same documents. TypeScript types are generated from here with ts-rs
//! into `ui/src/bindings/` (`cargo test` writes them; CI fails when they drift).

use helpatwork_domain::{
    eligibility, Check, CheckStatus, Device, DeviceUser, InstalledApp, Lang, ManagementFacts, Mode,
    ModeEligibility, Platform, Readiness, RemoteAction, Reporter, SessionDelivery, SessionState,
};
use helpatwork_store::SessionRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod armed;
mod policy;
pub mod readiness;
mod siem;

pub use armed::{ArmOutcome, ArmedSession};
pub use policy::{Approval, PolicyDemands, PolicyEntry};
pub use siem::{
    AuditSendReport, AuditSinkConfig, AuditSinkInput, AuditSinkStatus, SinkDrain, SinkOutcome,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceRow {
    pub id: String,
    pub name: String,
    pub user_name: String,
    pub user_email: String,
    pub platform: Platform,
    pub os_version: String,
    pub manufacturer: String,
    pub model: String,
    /// Online now: reported reachable and checked in within 24 hours of the product's clock.
    /// Computed when the list is read, never stored.
    pub online: bool,
    /// RFC 3339.
    pub last_checkin: String,
    /// From the device's facts alone (it does not change with the time).
    pub readiness: Readiness,
}

impl DeviceRow {
    /// The list row as the agent sees it at `now`.
    pub fn at(r: helpatwork_store::DeviceListRow, now: chrono::DateTime<chrono::Utc>) -> Self {
        Self {
            online: r.is_online(now),
            id: r.id,
            name: r.name,
            user_name: r.user_name,
            user_email: r.user_email,
            platform: r.platform,
            os_version: r.os_version,
            manufacturer: r.manufacturer,
            model: r.model,
            last_checkin: rfc3339(r.last_checkin),
            readiness: r.readiness,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceQuery {
    pub search: Option<String>,
    pub platform: Option<Platform>,
    pub readiness: Option<Readiness>,
    pub offset: u32,
    pub limit: u32,
    /// Only these devices, in this order (a readiness group's, from `readiness_group`); the
    /// other filters then do not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ids: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DevicePage {
    /// All devices matching the query.
    pub total: u32,
    pub offset: u32,
    pub items: Vec<DeviceRow>,
}

/// `devices show`: the fleet fields, plus readiness, the Actions item and eligibility per mode.
/// A fact the source could not report is `null` (unknown), never `false` or empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceDetail {
    pub id: String,
    pub name: String,
    pub user: DeviceUser,
    pub platform: Platform,
    pub os_version: String,
    pub manufacturer: String,
    pub model: String,
    pub kiosk: bool,
    pub mam_only: bool,
    /// Online now (computed with the product's clock, like the list's).
    pub online: bool,
    pub last_checkin: String,
    /// U2; `null`: unknown (the source does not report it).
    pub host_activated: Option<bool>,
    /// The TeamViewer apps; `null`: the source cannot see the installed apps.
    pub apps: Option<Vec<InstalledApp>>,
    /// Compliance, quarantine, jailbreak, supervision, lost mode, ownership, client version;
    /// each `null` when not reported.
    pub management: ManagementFacts,
    /// The MDM labels (device groups) the device is in; `null`: the source does not report
    /// labels (a support policy's label rule is then not applied), `[]`: in none.
    pub labels: Option<Vec<String>>,
    /// The device's locale as its source reports it (`pt-BR`); `null`: not reported (the
    /// coaching card then speaks the product's language).
    pub locale: Option<String>,
    /// The MDM that reported the device (named where a fact is unknown); `null`: a fleet file.
    pub reported_by: Option<String>,
    pub readiness: Readiness,
    pub remote_action: RemoteAction,
    pub eligibility: Vec<ModeEligibility>,
    /// Android: the device's TeamViewer Host as TeamViewer last reported it (unattended).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostStatus>,
}

impl DeviceDetail {
    /// The device as `reporter` reported it, seen at `now`.
    pub fn new(
        d: Device,
        reporter: Reporter<'_>,
        now: chrono::DateTime<chrono::Utc>,
        lang: Lang,
    ) -> Self {
        Self {
            readiness: eligibility::readiness(&d),
            remote_action: eligibility::remote_action(&d, lang),
            eligibility: eligibility::eligibility(&d, reporter, lang),
            online: d.is_online(now),
            reported_by: reported_by(reporter),
            last_checkin: rfc3339(d.last_checkin),
            id: d.id,
            name: d.name,
            user: d.user,
            platform: d.platform,
            os_version: d.os_version,
            manufacturer: d.manufacturer,
            model: d.model,
            kiosk: d.kiosk,
            mam_only: d.mam_only,
            host_activated: d.host_activated,
            apps: d.apps,
            management: d.management,
            labels: d.labels,
            locale: d.locale,
            host: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub product: String,
    pub version: String,
    pub demo: bool,
    pub lang: Lang,
    pub data_dir: String,
    pub device_count: u32,
    /// The MDM connector's name (e.g. "Ivanti Neurons for MDM", "Embedded fleet").
    pub mdm: String,
    /// Whether `sync_devices` can pull the fleet (an MDM other than the embedded fleet).
    pub can_sync: bool,
    /// What the agent must know before trusting this window: TeamViewer configured on a host
    /// outside TeamViewer's domain, a store open read-only… (empty: nothing).
    pub warnings: Vec<String>,
}

/// What `devices import` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub file: String,
    pub format: String,
    pub devices: u32,
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
}

pub fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Which audit events: every filter optional, combined with AND. Times are RFC 3339 (or a
/// `YYYY-MM-DD` date, midnight UTC); `since` is inclusive, `until` exclusive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFilter {
    pub device_id: Option<String>,
    /// The agent or admin who acted.
    pub actor: Option<String>,
    /// The action, e.g. `session.start`.
    pub action: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub offset: u32,
    /// 1–1000; 0 means 50.
    pub limit: u32,
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: String,
    /// RFC 3339 UTC with milliseconds.
    pub at: String,
    /// The OS account the command ran as.
    pub actor: String,
    /// TeamViewer confirmed who the agent was signed in as (`actor_account_*`); `false`: the
    /// OS account alone, which anyone running the app can set.
    pub actor_verified: bool,
    /// The signed-in TeamViewer account's user id, as TeamViewer answered `GET /account`.
    pub actor_account_id: Option<String>,
    /// Its name.
    pub actor_account_name: Option<String>,
    pub action: String,
    pub device_id: Option<String>,
    pub session_id: Option<String>,
    /// What changed: before and after, counts, the session step…
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
}

impl From<helpatwork_store::AuditEvent> for AuditEntry {
    fn from(e: helpatwork_store::AuditEvent) -> Self {
        Self {
            id: e.id,
            at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            actor: e.actor,
            actor_verified: e.account.is_some(),
            actor_account_id: e.account.as_ref().map(|a| a.userid.clone()),
            actor_account_name: e.account.map(|a| a.name),
            action: e.action,
            device_id: e.device_id,
            session_id: e.session_id,
            detail: e.detail,
        }
    }
}

/// A page of audit events, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditPage {
    /// All events matching the filter.
    pub total: u32,
    pub offset: u32,
    pub items: Vec<AuditEntry>,
}

/// The agents and actions the audit trail holds: the choices of its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFacets {
    pub actors: Vec<String>,
    pub actions: Vec<String>,
}

/// Where an audit export went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditExport {
    /// The CSV file written (`-`: standard output).
    pub path: String,
    pub rows: u32,
}

/// An audit event as the chain's verification names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditChainEvent {
    /// Its position in the chain (`null`: written outside it).
    pub seq: Option<u32>,
    pub id: String,
    /// As stored: RFC 3339 UTC with milliseconds.
    pub at: String,
    pub action: String,
    /// Its stored hash (lowercase hex SHA-256): note it to check later that the trail up to it
    /// is unchanged.
    pub hash: Option<String>,
}

/// How the audit chain is broken (docs/audit.md, "Tamper-evident trail").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditBreakKind {
    /// The event's stored fields no longer give its hash: edited.
    Edited,
    /// Positions missing before the event: events deleted.
    Deleted,
    /// The event does not follow the one before it: reordered, or the one before replaced.
    Reordered,
    /// The trail ends before the chain's head: its last events deleted.
    TailCut,
    /// An event past the chain's head: added to the database directly.
    BeyondHead,
    /// An event without a position: added to the database directly.
    Unchained,
}

/// The first broken link of the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditChainBreak {
    pub kind: AuditBreakKind,
    /// The position where the chain breaks.
    pub seq: Option<u32>,
    /// The event found there (`null`: the trail ends before it).
    pub event: Option<AuditChainEvent>,
    /// What the chain expects there, and what was found (hashes, positions).
    pub expected: String,
    pub found: String,
    /// Which event, and what it means, in one sentence in the context's language.
    pub description: String,
}

/// What `audit verify` found: the chain walked from its first event to its head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditVerification {
    pub intact: bool,
    /// Events whose link held, from the first on.
    pub verified: u32,
    /// The last of them.
    pub verified_up_to: Option<AuditChainEvent>,
    /// How many events the chain's head says were written.
    pub head_seq: u32,
    pub broken: Option<AuditChainBreak>,
    /// What was found, in the context's language.
    pub message: String,
    /// What to do when the chain is broken.
    pub fix: Option<String>,
}

/// A device of the TeamViewer account that may be this MDM device (its alias names the device
/// or its user): the admin confirms one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HostCandidate {
    pub remotecontrol_id: String,
    pub alias: String,
    pub online_state: String,
}

/// The device's TeamViewer Host as TeamViewer reports it, and how it was matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HostStatus {
    pub device_id: String,
    /// The alias Help@Work writes into Host's assignment configuration.
    pub expected_alias: String,
    /// A TeamViewer device is matched to this device.
    pub matched: bool,
    /// `r<TeamViewer ID>` and the TeamViewer ID people read.
    pub remotecontrol_id: Option<String>,
    pub teamviewer_id: Option<String>,
    pub alias: Option<String>,
    /// `alias` or `confirmed`.
    pub matched_by: Option<String>,
    pub confirmed_by: Option<String>,
    /// Assigned to the TeamViewer account (unattended access).
    pub assigned: bool,
    /// `online`, `busy`, `away`, `offline` or `unknown`.
    pub online_state: Option<String>,
    pub last_seen: Option<String>,
    /// When TeamViewer was last asked.
    pub checked_at: Option<String>,
    pub candidates: Vec<HostCandidate>,
    /// Why TeamViewer was not asked now (not signed in, unreachable): the state is the last read.
    pub note: Option<String>,
}

/// A session as the agent sees it (the shape of `session show --json`, plus the links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Session {
    pub id: String,
    pub device_id: String,
    pub mode: Mode,
    pub state: SessionState,
    pub code: Option<String>,
    pub agent: String,
    pub reason: String,
    pub created_at: String,
    /// When the session stops holding its device: 30 minutes after creation on iOS (S5), else
    /// TeamViewer's `valid_until` (24 hours after creation by default).
    pub expires_at: Option<String>,
    /// TeamViewer's end of validity of the session code.
    pub valid_until: Option<String>,
    /// When the session ended, and who ended it: an agent, or `teamviewer` when its case was
    /// closed there.
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    pub supporter_link: Option<String>,
    pub end_customer_link: Option<String>,
    /// The desktop client was handed the supporter link.
    pub launched: bool,
    /// How the session reached the device: `managed_app_config` (S4); `end_customer_link` when
    /// the MDM connector cannot push a managed app configuration (the agent gives the device user
    /// `end_customer_link` instead); `teamviewer_device` (unattended) or `help_request`.
    pub delivery: Option<SessionDelivery>,
    /// The TeamViewer user the session's case is assigned to: its creator, or the agent it was
    /// handed over to (`None` for an unattended session, which has no case).
    pub teamviewer_userid: Option<String>,
    /// The ticket reference the start brought (a support policy may require one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ticket: Option<String>,
    /// A support policy made the session view only (a personal device): the agent watches and
    /// guides. TeamViewer's Web API has no view-only field for a service case, so TeamViewer
    /// does not enforce it (docs/sessions.md).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub view_only: bool,
}

impl From<SessionRecord> for Session {
    fn from(r: SessionRecord) -> Self {
        Session {
            mode: r.mode,
            state: r.state,
            created_at: rfc3339(r.created_at),
            expires_at: r.expires_at.map(rfc3339),
            valid_until: r.valid_until.map(rfc3339),
            ended_at: r.ended_at.map(rfc3339),
            ended_by: r.ended_by,
            id: r.id,
            device_id: r.device_id,
            code: r.code,
            agent: r.agent,
            reason: r.reason,
            supporter_link: r.supporter_link,
            end_customer_link: r.end_customer_link,
            launched: r.launched,
            delivery: r.delivery,
            teamviewer_userid: r.teamviewer_userid,
            ticket: r.ticket,
            view_only: r.view_only,
        }
    }
}

/// `{"device_id","mode","ok","checks":[…]}` (`session preflight --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Preflight {
    pub device_id: String,
    pub mode: Mode,
    pub ok: bool,
    pub checks: Vec<Check>,
    /// What the support policies that hold the device ask of the start; absent when none do.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub policy: Option<PolicyDemands>,
}

/// `doctor`'s answer: every part of this machine checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DoctorReport {
    pub ok: bool,
    pub checks: Vec<DoctorCheck>,
}

/// One part of this machine checked: `rule` names the part (`data_dir`, `store`, `teamviewer`,
/// `D3`, …), with its status, message and fix. Not a preflight check: no device is involved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DoctorCheck {
    pub rule: String,
    pub status: CheckStatus,
    pub message: String,
    pub fix: Option<String>,
}

/// The MDM's name a device panel shows next to facts it could not report; `None` for a file.
fn reported_by(reporter: Reporter<'_>) -> Option<String> {
    match reporter {
        Reporter::Mdm(name) => Some(name.to_string()),
        Reporter::FleetFile => None,
    }
}
