//! The command line's shape: every command, flag and argument (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use helpatwork_domain::{Lang, Mode, Platform, Readiness};

#[derive(Parser, Debug)]
#[command(
    name = "helpatwork",
    version,
    about = "Help@Work Desk: TeamViewer remote help for managed Android and iOS devices"
)]
pub struct Cli {
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of messages: en or pt-BR (default: the saved preference, then the system's).
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Use the labelled demo: a generated fleet kept apart from real data.
    #[arg(long, global = true)]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the environment: data directory, store, connector, TeamViewer, desktop client.
    Doctor,
    /// The device fleet.
    #[command(subcommand)]
    Devices(DevicesCommand),
    /// Remote sessions.
    #[command(subcommand)]
    Session(SessionCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The agent's TeamViewer sign-in (S3).
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Admin → Infrastructure → Help@Work: tier, licences, activation, deprovisioning.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Distribute the TeamViewer apps and add-ons (A6).
    #[command(subcommand)]
    Apps(AppsCommand),
    /// Settings: TeamViewer sign-in, MDM connector, store, language, desktop client.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Help requests from device users, waiting in Help@Work's TeamViewer service queue.
    #[command(subcommand)]
    Requests(crate::inbox::RequestsCommand),
    /// The agents who signed in to TeamViewer here (whom a session can be handed over to).
    #[command(subcommand)]
    Agents(crate::inbox::AgentsCommand),
    /// The demo only (--demo): act as the device user or TeamViewer on a device's open session.
    #[command(subcommand)]
    Demo(crate::demo_commands::DemoCommand),
    /// Support policies per device group: reason, ticket, unattended, BYOD view only, hours.
    #[command(subcommand)]
    Policy(crate::policy_commands::PolicyCommand),
    /// Four eyes: unattended starts awaiting another agent's approval.
    #[command(subcommand)]
    Approvals(crate::policy_commands::ApprovalsCommand),
    /// The fleet's readiness: who can be helped now, and what stops the rest.
    #[command(subcommand)]
    Fleet(crate::fleet_commands::FleetCommand),
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Tier, activations, licences, kiosk allowlist gaps, devices with Host.
    Status,
    /// The tenant's licence tier (L1); without --set, show it.
    Tier {
        #[arg(long, value_parser = ["silver", "gold", "platinum"])]
        set: Option<String>,
    },
    /// Purchased unattended (MI add-on) licences (U2, U3); without --unattended, show them.
    Licences {
        #[arg(long)]
        unattended: Option<u32>,
    },
    /// Activate TeamViewer for a mode (A1, A2). Without --accept-eula: print the EULA, change nothing.
    Activate {
        #[arg(long, value_enum)]
        mode: ModeArg,
        /// Agree to the TeamViewer EULA printed without this flag.
        #[arg(long)]
        accept_eula: bool,
    },
    /// Remove the activation (A3): no new sessions; open sessions are ended.
    RemoveActivation {
        /// Confirm the removal of activation.
        #[arg(long)]
        yes: bool,
    },
    /// Undistribute Host from every device and force a check-in (A5).
    Deprovision,
    /// Delete the TeamViewer account binding (A5); refused while any device has Host.
    DeleteAccount {
        #[arg(long)]
        yes: bool,
    },
    /// The TeamViewer assignment ID Host's managed app configuration carries (unattended, U2).
    HostAssignment {
        /// From the TeamViewer Management Console: Design & Deploy → Assignment.
        #[arg(long)]
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AppsCommand {
    /// Distribute an app to devices (Host: Android only, within the purchased licences).
    Distribute(AppsArgs),
    /// Undistribute an app from devices.
    Undistribute(AppsArgs),
}

#[derive(Args, Debug)]
pub struct AppsArgs {
    #[arg(value_parser = ["quicksupport", "host", "addon-universal", "addon-oem"])]
    pub app: String,
    /// A device id; repeat for more.
    #[arg(long = "device")]
    pub devices: Vec<String>,
    /// Every eligible device.
    #[arg(long, conflicts_with = "devices")]
    pub all: bool,
}

#[derive(Subcommand, Debug)]
pub enum AuthCommand {
    /// Sign in to TeamViewer in the browser (OAuth with PKCE on a loopback redirect). When the
    /// browser cannot be opened, the sign-in address is printed to open by hand.
    Login {
        /// Do not open a browser: print the sign-in address and wait for it to be opened.
        #[arg(long)]
        no_browser: bool,
    },
    /// Who is signed in, checked against TeamViewer.
    Status,
    /// Revoke the token at TeamViewer and delete it here.
    Logout,
}

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// Read every device (finds the devices deleted from the MDM), whatever the schedule says.
    #[arg(long, conflicts_with = "status")]
    pub full: bool,
    /// Sync again and again with this interval (e.g. 30s, 15m, 1h) until interrupted (Ctrl-C
    /// stops between runs); each run's outcome is printed (--json: one line each).
    #[arg(long, value_name = "INTERVAL", value_parser = crate::sync_commands::parse_interval, conflicts_with = "status")]
    pub every: Option<std::time::Duration>,
    /// Print when the last sync ran, its outcome, the watermark and whether the next is full.
    #[arg(long)]
    pub status: bool,
}

#[derive(Subcommand, Debug)]
pub enum DevicesCommand {
    /// Import a JSON or CSV fleet file into the embedded store (all rows or none).
    Import { file: PathBuf },
    /// List devices, ordered by name.
    List(ListArgs),
    /// Show a device: facts, installed apps, eligibility per mode.
    Show { device: String },
    /// Pull the fleet from the configured MDM connector (HELPATWORK_MDM=ivanti or intune): only
    /// the devices changed since the last sync where the connector can tell them, or all of them
    /// when a full sync is due (the first of the day by default, sync.full_every) or asked with
    /// --full; resumes an interrupted sync.
    Sync(SyncArgs),
    /// A device-side event for the embedded fleet: checkin, app-closed, rebooted, eula-accepted,
    /// app-installed APP VERSION, app-removed APP.
    Report {
        device: String,
        event: String,
        /// APP for app-installed / app-removed (quicksupport, host, addon-universal, addon-oem), then VERSION.
        args: Vec<String>,
    },
    /// Confirm that a TeamViewer device (r + its TeamViewer ID) is this device's Host: the
    /// fallback when Host carries no Help@Work alias.
    Match {
        device: String,
        remotecontrol_id: String,
    },
    /// Forget the device's Host match.
    Unmatch { device: String },
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Text to find in name, user, e-mail, model or id.
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long, value_enum)]
    pub platform: Option<PlatformArg>,
    #[arg(long, value_enum)]
    pub readiness: Option<ReadinessArg>,
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// Every check that decides whether a session can start on the device.
    Preflight {
        device: String,
        #[arg(long, value_enum, default_value_t = ModeArg::Attended)]
        mode: ModeArg,
        /// The reason the start will give (a support policy may require one).
        #[arg(long)]
        reason: Option<String>,
        /// The ticket reference the start will give (a support policy may require one).
        #[arg(long)]
        ticket: Option<String>,
    },
    /// Start a TeamViewer session for the device.
    Start {
        device: String,
        #[arg(long, value_enum, default_value_t = ModeArg::Attended)]
        mode: ModeArg,
        /// Why the agent connects (shown in the TeamViewer session and the audit trail).
        #[arg(long, default_value = "")]
        reason: String,
        /// The ticket reference (e.g. INC0012345), recorded on the session and in the audit
        /// trail; a support policy may require one matching its pattern.
        #[arg(long)]
        ticket: Option<String>,
        /// Print the supporter link instead of opening the desktop client.
        #[arg(long)]
        no_launch: bool,
        /// When the device is offline, arm the session instead: it starts by itself at the
        /// device's next check-in (exit 11 says it is armed, with its id).
        #[arg(long)]
        when_online: bool,
        /// How long an armed session waits for the device: 30m, 4h, 2d (default 4h, 5m to 3d).
        #[arg(long, requires = "when_online")]
        within: Option<String>,
    },
    /// Arm again a session that ended lost (the app closed or the device restarted: S9),
    /// expired (S5: an iOS code after 30 minutes) or failed: it starts by itself at the
    /// device's next check-in.
    Rearm {
        id: String,
        /// How long it waits for the device: 30m, 4h, 2d (default 4h, 5m to 3d).
        #[arg(long)]
        within: Option<String>,
    },
    /// Cancel an armed session (yours): the device is free again.
    Cancel { id: String },
    /// Armed sessions: list them, or start the ones whose device checked in.
    #[command(subcommand)]
    Armed(crate::armed_commands::ArmedCommand),
    /// Sessions, newest first.
    List {
        /// Only the sessions that hold their device.
        #[arg(long)]
        open: bool,
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// One session.
    Show { id: String },
    /// End the session at TeamViewer and clear the device's app configuration.
    Close { id: String },
    /// Read every open session back from TeamViewer now, retry the closes still owed to it, and
    /// print what changed.
    Sync,
    /// Hand an open session over to another agent (its case is reassigned at TeamViewer).
    HandOver {
        id: String,
        /// The agent: their name here, TeamViewer user id (u…), name or e-mail (helpatwork agents list).
        #[arg(long)]
        to: String,
        /// Why it goes to them (recorded in the audit trail).
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Audit events, newest first.
    List {
        #[command(flatten)]
        filter: AuditFilterArgs,
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Every event matching the filters as CSV (id, at, actor, action, device_id, session_id,
    /// detail, the verified account, then seq, prev_hash, hash) or JSON lines, newest first.
    Export {
        #[command(flatten)]
        filter: AuditFilterArgs,
        /// The file to write: a new file or a regular one (replaced once complete), never one
        /// of Help@Work's own files; `-` for standard output.
        #[arg(long)]
        out: PathBuf,
        /// csv, or jsonl: one event per line with the hash it is chained by (docs/audit.md).
        #[arg(long, value_enum, default_value_t = ExportFormatArg::Csv)]
        format: ExportFormatArg,
    },
    /// Walks the audit trail's hash chain from its first event and reports the first broken
    /// link (an event edited, deleted or reordered); exit 8 when it is broken.
    Verify,
    /// Deliver what every SIEM sink is owed, now (even a sink waiting out a backoff).
    Send,
    /// The SIEM sinks every audit event is streamed to.
    #[command(subcommand)]
    Sinks(crate::siem_commands::SinksCommand),
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum ExportFormatArg {
    Csv,
    Jsonl,
}

impl From<ExportFormatArg> for helpatwork_app::audit::ExportFormat {
    fn from(f: ExportFormatArg) -> Self {
        match f {
            ExportFormatArg::Csv => Self::Csv,
            ExportFormatArg::Jsonl => Self::JsonLines,
        }
    }
}

#[derive(Args, Debug)]
pub struct AuditFilterArgs {
    #[arg(long)]
    pub device: Option<String>,
    /// The agent or admin who acted (the OS user name recorded).
    #[arg(long)]
    pub actor: Option<String>,
    /// The action, e.g. session.start.
    #[arg(long)]
    pub action: Option<String>,
    /// From this time on (RFC 3339, e.g. 2026-11-20T00:00:00Z, or a date 2026-11-20).
    #[arg(long)]
    pub since: Option<String>,
    /// Before this time (RFC 3339 or a date).
    #[arg(long)]
    pub until: Option<String>,
}

impl AuditFilterArgs {
    pub fn filter(self, offset: u32, limit: u32) -> helpatwork_app::dto::AuditFilter {
        helpatwork_app::dto::AuditFilter {
            device_id: self.device,
            actor: self.actor,
            action: self.action,
            since: self.since,
            until: self.until,
            offset,
            limit,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// Every setting: its value, where it comes from (environment, file, keyring, default).
    Show,
    /// Validate and save a setting (an empty VALUE clears it; `-` reads it from stdin, for
    /// secrets). Secrets go to the OS keyring, never to the file.
    Set { key: String, value: String },
    /// Test a connection as the settings describe it: teamviewer, mdm, store or desktop.
    Test {
        #[arg(value_parser = ["teamviewer", "mdm", "store", "desktop"])]
        what: String,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum PlatformArg {
    Android,
    Ios,
    Windows,
    Macos,
    Other,
}

impl From<PlatformArg> for Platform {
    fn from(p: PlatformArg) -> Self {
        match p {
            PlatformArg::Android => Platform::Android,
            PlatformArg::Ios => Platform::Ios,
            PlatformArg::Windows => Platform::Windows,
            PlatformArg::Macos => Platform::Macos,
            PlatformArg::Other => Platform::Other,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ReadinessArg {
    Ready,
    Attention,
    Blocked,
    Unsupported,
}

impl From<ReadinessArg> for Readiness {
    fn from(r: ReadinessArg) -> Self {
        match r {
            ReadinessArg::Ready => Readiness::Ready,
            ReadinessArg::Attention => Readiness::Attention,
            ReadinessArg::Blocked => Readiness::Blocked,
            ReadinessArg::Unsupported => Readiness::Unsupported,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ModeArg {
    Attended,
    Unattended,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Self {
        match m {
            ModeArg::Attended => Mode::Attended,
            ModeArg::Unattended => Mode::Unattended,
        }
    }
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("\"{s}\" is not a supported language: use en or pt-BR"))
}
