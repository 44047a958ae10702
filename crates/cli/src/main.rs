//! `helpatwork`: every Help@Work feature from the command line.
//!
//! Human output goes to stdout (tables) and stderr (notes, errors); `--json` prints exactly one
//! JSON document on stdout, errors included (`{"error":{code,message,fix,details}}`). Exit codes
//! follow the contract in design.md: 1 internal, 2 usage, 3 blocked, 4 sign-in needed,
//! 5 service failed, 6 not found, 7 conflict.

mod demo_commands;
mod inbox;
mod output;
mod output_inbox;
mod output_lifecycle;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use helpatwork_app::dto::DeviceQuery;
use helpatwork_app::paths::Paths;
use helpatwork_app::session::ReportEvent;
use helpatwork_app::settings::{self, Settings, TestTarget};
use helpatwork_app::{
    admin, audit, auth, devices, doctor, lifecycle, session, AppContext, AppError, ContextOptions,
};
use helpatwork_domain::admin::Tier;
use helpatwork_domain::session::DeviceEvent;
use helpatwork_domain::AppKind;
use helpatwork_domain::{Lang, Mode, Platform, Readiness};

use output::Output;

#[derive(Parser, Debug)]
#[command(
    name = "helpatwork",
    version,
    about = "Help@Work Desk: TeamViewer remote help for managed Android and iOS devices"
)]
struct Cli {
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Language of messages: en or pt-BR (default: the saved preference, then the system's).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Use the labelled demo: a generated fleet kept apart from real data.
    #[arg(long, global = true)]
    demo: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
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
    Requests(inbox::RequestsCommand),
    /// The agents who signed in to TeamViewer here (whom a session can be handed over to).
    #[command(subcommand)]
    Agents(inbox::AgentsCommand),
    /// The demo only (--demo): act as the device user or TeamViewer on a device's open session.
    #[command(subcommand)]
    Demo(demo_commands::DemoCommand),
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
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
enum AppsCommand {
    /// Distribute an app to devices (Host: Android only, within the purchased licences).
    Distribute(AppsArgs),
    /// Undistribute an app from devices.
    Undistribute(AppsArgs),
}

#[derive(Args, Debug)]
struct AppsArgs {
    #[arg(value_parser = ["quicksupport", "host", "addon-universal", "addon-oem"])]
    app: String,
    /// A device id; repeat for more.
    #[arg(long = "device")]
    devices: Vec<String>,
    /// Every eligible device.
    #[arg(long, conflicts_with = "devices")]
    all: bool,
}

#[derive(Subcommand, Debug)]
enum AuthCommand {
    /// Sign in to TeamViewer in the browser (OAuth with PKCE on a loopback redirect).
    Login,
    /// Who is signed in, checked against TeamViewer.
    Status,
    /// Revoke the token at TeamViewer and delete it here.
    Logout,
}

#[derive(Subcommand, Debug)]
enum DevicesCommand {
    /// Import a JSON or CSV fleet file into the embedded store (all rows or none).
    Import { file: PathBuf },
    /// List devices, ordered by name.
    List(ListArgs),
    /// Show a device: facts, installed apps, eligibility per mode.
    Show { device: String },
    /// Pull the fleet from the configured MDM connector (HELPATWORK_MDM=ivanti); resumes an
    /// interrupted sync.
    Sync,
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
struct ListArgs {
    /// Text to find in name, user, e-mail, model or id.
    #[arg(long)]
    search: Option<String>,
    #[arg(long, value_enum)]
    platform: Option<PlatformArg>,
    #[arg(long, value_enum)]
    readiness: Option<ReadinessArg>,
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    limit: u32,
    #[arg(long, default_value_t = 0)]
    offset: u32,
}

#[derive(Subcommand, Debug)]
enum SessionCommand {
    /// Every check that decides whether a session can start on the device.
    Preflight {
        device: String,
        #[arg(long, value_enum, default_value_t = ModeArg::Attended)]
        mode: ModeArg,
    },
    /// Start a TeamViewer session for the device.
    Start {
        device: String,
        #[arg(long, value_enum, default_value_t = ModeArg::Attended)]
        mode: ModeArg,
        /// Why the agent connects (shown in the TeamViewer session and the audit trail).
        #[arg(long, default_value = "")]
        reason: String,
        /// Print the supporter link instead of opening the desktop client.
        #[arg(long)]
        no_launch: bool,
    },
    /// Sessions, newest first.
    List {
        /// Only the sessions that hold their device.
        #[arg(long)]
        open: bool,
        #[arg(long, default_value_t = 100)]
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
enum AuditCommand {
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
    /// detail), newest first.
    Export {
        #[command(flatten)]
        filter: AuditFilterArgs,
        /// The CSV file to write (replaced once complete); `-` for standard output.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Args, Debug)]
struct AuditFilterArgs {
    #[arg(long)]
    device: Option<String>,
    /// The agent or admin who acted (the OS user name recorded).
    #[arg(long)]
    actor: Option<String>,
    /// The action, e.g. session.start.
    #[arg(long)]
    action: Option<String>,
    /// From this time on (RFC 3339, e.g. 2026-11-20T00:00:00Z, or a date 2026-11-20).
    #[arg(long)]
    since: Option<String>,
    /// Before this time (RFC 3339 or a date).
    #[arg(long)]
    until: Option<String>,
}

impl AuditFilterArgs {
    fn filter(self, offset: u32, limit: u32) -> helpatwork_app::dto::AuditFilter {
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
enum SettingsCommand {
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
enum PlatformArg {
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
enum ReadinessArg {
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
enum ModeArg {
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

async fn run_admin(ctx: &AppContext, out: &Output, command: AdminCommand) -> Result<(), AppError> {
    let lang = ctx.lang;
    let confirm = |yes: bool, what: &str| {
        if yes {
            Ok(())
        } else {
            Err(AppError::invalid(format!("{what} needs confirmation."))
                .with_fix("Run it again with --yes."))
        }
    };
    let status = match command {
        AdminCommand::Status => admin::status(ctx).await?,
        AdminCommand::Tier { set: Some(t) } => {
            admin::set_tier(
                ctx,
                Tier::parse(&t).ok_or_else(|| AppError::invalid("unknown tier"))?,
            )
            .await?
        }
        AdminCommand::Tier { set: None } | AdminCommand::Licences { unattended: None } => {
            admin::status(ctx).await?
        }
        AdminCommand::Licences {
            unattended: Some(n),
        } => admin::set_licences(ctx, n).await?,
        AdminCommand::Activate { mode, accept_eula } => {
            let eula = admin::eula().await?;
            if !accept_eula {
                out.eula(&eula, lang);
                return Ok(());
            }
            admin::activate(ctx, mode.into(), &eula.sha256).await?
        }
        AdminCommand::RemoveActivation { yes } => {
            confirm(
                yes,
                lang.pick(
                    "Confirm removal of activation",
                    "Confirmar remoção de ativação",
                ),
            )?;
            admin::remove_activation(ctx).await?
        }
        AdminCommand::Deprovision => {
            let bar = (!out.json).then(|| {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar.set_message(lang.pick("Deprovisioning Host", "Desprovisionando o Host"));
                bar
            });
            let report = |done: usize, total: usize, _device: &str| {
                if let Some(bar) = &bar {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }
            };
            let status = admin::deprovision(ctx, &report).await?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            if !out.json && !status.devices_with_host.is_empty() {
                eprintln!(
                    "{} {}",
                    lang.pick(
                        "Waiting for these devices to report Host removed:",
                        "Aguardando estes dispositivos informarem a remoção do Host:"
                    ),
                    status.devices_with_host.join(", ")
                );
            }
            status
        }
        AdminCommand::DeleteAccount { yes } => {
            confirm(
                yes,
                lang.pick(
                    "Deleting the TeamViewer account binding",
                    "Excluir o vínculo da conta do TeamViewer",
                ),
            )?;
            admin::delete_account(ctx).await?
        }
        AdminCommand::HostAssignment { id } => return inbox::host_assignment(ctx, out, &id).await,
    };
    out.admin(&status, lang);
    Ok(())
}

fn report_event(event: &str, args: &[String]) -> Result<ReportEvent, AppError> {
    let usage = || {
        AppError::invalid(format!("\"{event} {}\" is not a device event.", args.join(" ")))
            .with_fix("Use checkin, app-closed, rebooted, eula-accepted, app-installed APP VERSION or app-removed APP.")
    };
    let app = |name: Option<&String>| {
        name.and_then(|n| AppKind::parse(n)).ok_or_else(|| {
            AppError::invalid(format!(
                "\"{}\" is not an app.",
                name.map(String::as_str).unwrap_or("")
            ))
            .with_fix("Use quicksupport, host, addon-universal or addon-oem.")
        })
    };
    Ok(match (event, args.len()) {
        ("checkin", 0) => ReportEvent::Lifecycle(DeviceEvent::Checkin),
        ("app-closed", 0) => ReportEvent::Lifecycle(DeviceEvent::AppClosed),
        ("rebooted", 0) => ReportEvent::Lifecycle(DeviceEvent::Rebooted),
        ("eula-accepted", 0) => ReportEvent::Lifecycle(DeviceEvent::EulaAccepted),
        ("app-installed", 2) => ReportEvent::AppInstalled {
            app: app(args.first())?,
            version: args[1].clone(),
        },
        ("app-removed", 1) => ReportEvent::AppRemoved {
            app: app(args.first())?,
        },
        _ => return Err(usage()),
    })
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("\"{s}\" is not a supported language: use en or pt-BR"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let out = Output { json: cli.json };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return out.error(&AppError::internal(format!(
                "cannot start the async runtime: {e}"
            )))
        }
    };
    match runtime.block_on(run(cli, &out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.error(&e),
    }
}

/// `settings …` runs without opening the store or building the connectors, so that a setting
/// that stops the app from starting can still be corrected.
async fn run_settings(cli: &Cli, out: &Output, command: &SettingsCommand) -> Result<(), AppError> {
    let paths = Paths::from_env();
    let paths = if cli.demo || ContextOptions::from_env().demo {
        paths.demo()
    } else {
        paths
    };
    let mut settings = Settings::load(&paths)?;
    let lang = cli.lang.or(settings.language()).unwrap_or_default();
    match command {
        SettingsCommand::Show => out.settings(&settings.view(), lang),
        SettingsCommand::Set { key, value } => {
            let value = if value == "-" {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map_err(|e| {
                    AppError::invalid(format!("Cannot read the value from stdin: {e}"))
                })?;
                line.trim_end_matches(['\r', '\n']).to_string()
            } else {
                value.clone()
            };
            out.setting_change(&settings.set(key, &value)?, lang);
        }
        SettingsCommand::Test { what } => {
            let target = TestTarget::parse(what)
                .ok_or_else(|| AppError::invalid(format!("\"{what}\" cannot be tested.")))?;
            out.connection_test(&settings::test(&settings, target, lang).await?);
        }
    }
    Ok(())
}

async fn run(cli: Cli, out: &Output) -> Result<(), AppError> {
    if let Command::Settings(command) = &cli.command {
        return run_settings(&cli, out, command).await;
    }
    let mut options = ContextOptions::from_env();
    options.demo |= cli.demo;
    options.lang = cli.lang;
    options.single_connection = true;
    let ctx = AppContext::open(Paths::from_env(), options).await?;
    let result = run_command(cli, out, &ctx).await;
    // A clean close: SQLite folds its log into the database, so the next command opens fast.
    ctx.store.close().await;
    result
}

async fn run_command(cli: Cli, out: &Output, ctx: &AppContext) -> Result<(), AppError> {
    match cli.command {
        Command::Doctor => {
            let report = doctor::run(ctx).await?;
            if report.ok || !out.json {
                out.doctor(&report);
            }
            if !report.ok {
                return Err(AppError::internal(
                    ctx.lang
                        .pick("Some checks failed.", "Algumas verificações falharam."),
                )
                .with_details(&report));
            }
        }
        Command::Devices(DevicesCommand::Import { file }) => {
            let report = devices::import_file(ctx, &file).await?;
            out.import(&report);
        }
        Command::Devices(DevicesCommand::List(args)) => {
            let query = DeviceQuery {
                search: args.search,
                platform: args.platform.map(Into::into),
                readiness: args.readiness.map(Into::into),
                offset: args.offset,
                limit: args.limit,
            };
            let page = devices::list(ctx, &query, cli.json).await?;
            out.devices(&page, ctx.lang);
        }
        Command::Devices(DevicesCommand::Show { device }) => {
            let mut detail = devices::show(ctx, &device).await?;
            // Android: the Host read from TeamViewer now (the stored state when it cannot be).
            if detail.host.is_some() {
                detail.host = Some(helpatwork_app::unattended::status(ctx, &device).await?);
            }
            out.device(&detail, ctx.lang);
            out.host(detail.host.as_ref(), ctx.lang);
        }
        Command::Devices(DevicesCommand::Match {
            device,
            remotecontrol_id,
        }) => inbox::confirm_match(ctx, out, &device, &remotecontrol_id).await?,
        Command::Devices(DevicesCommand::Unmatch { device }) => {
            inbox::unmatch(ctx, out, &device).await?
        }
        Command::Requests(command) => inbox::run_requests(ctx, out, command).await?,
        Command::Agents(command) => inbox::run_agents(ctx, out, command).await?,
        Command::Session(SessionCommand::HandOver { id, to, reason }) => {
            inbox::hand_over(ctx, out, &id, &to, &reason).await?
        }
        Command::Session(SessionCommand::Preflight { device, mode }) => {
            let pre = session::preflight(ctx, &device, mode.into()).await?;
            out.preflight(&pre);
        }
        Command::Session(SessionCommand::Start {
            device,
            mode,
            reason,
            no_launch,
        }) => {
            let s = session::start(ctx, &device, mode.into(), &reason, !no_launch).await?;
            out.session(&s, ctx.lang);
        }
        Command::Session(SessionCommand::List { open, limit }) => {
            // A session's state here is TeamViewer's: read it back first.
            let sync = lifecycle::reconcile(ctx, lifecycle::Trigger::Automatic).await?;
            out.reconcile_note(&sync, ctx.lang);
            out.sessions(&session::list(ctx, open, limit).await?);
        }
        Command::Session(SessionCommand::Show { id }) => {
            lifecycle::reconcile_session(ctx, &id).await?;
            out.session(&session::show(ctx, &id).await?, ctx.lang);
            inbox::show_handovers(ctx, out, &id).await?;
        }
        Command::Session(SessionCommand::Sync) => {
            let sync = lifecycle::reconcile(ctx, lifecycle::Trigger::Agent).await?;
            out.session_sync(&sync, ctx.lang);
        }
        Command::Session(SessionCommand::Close { id }) => {
            out.session(&session::close(ctx, &id).await?, ctx.lang);
        }
        Command::Devices(DevicesCommand::Sync) => {
            let connector = ctx.mdm.clone();
            let bar = (!out.json).then(|| {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar.set_message(
                    ctx.lang
                        .pick("Syncing devices", "Sincronizando dispositivos"),
                );
                bar
            });
            let progress = |read: u32, total: u32| {
                if let Some(bar) = &bar {
                    bar.set_length(u64::from(total));
                    bar.set_position(u64::from(read));
                }
            };
            let report = helpatwork_app::sync::sync(ctx, connector, &progress).await;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            out.sync(&report?);
        }
        Command::Devices(DevicesCommand::Report {
            device,
            event,
            args,
        }) => {
            let event = report_event(&event, &args)?;
            out.report(&session::report(ctx, &device, event).await?);
        }
        Command::Admin(command) => run_admin(ctx, out, command).await?,
        Command::Apps(command) => {
            let (args, on) = match command {
                AppsCommand::Distribute(a) => (a, true),
                AppsCommand::Undistribute(a) => (a, false),
            };
            let app = AppKind::parse(&args.app).ok_or_else(|| AppError::invalid("unknown app"))?;
            let result = admin::distribute(ctx, app, &args.devices, args.all, on).await?;
            out.distribution(&result);
        }
        Command::Auth(command) => {
            let status = match command {
                AuthCommand::Status => auth::status(ctx).await?,
                AuthCommand::Logout => auth::sign_out(ctx).await?,
                AuthCommand::Login => {
                    if !out.json {
                        eprintln!(
                            "{}",
                            ctx.lang.pick(
                                "Opening the browser to sign in to TeamViewer…",
                                "Abrindo o navegador para entrar no TeamViewer…"
                            )
                        );
                    }
                    let browser: Box<dyn helpatwork_app::auth::BrowserOpener> = if ctx.demo {
                        helpatwork_app::teamviewer::demo_browser()
                    } else {
                        helpatwork_app::teamviewer::browser_from_env()
                    };
                    auth::sign_in(ctx, browser.as_ref(), Default::default()).await?
                }
            };
            out.auth(&status, ctx.lang);
        }
        Command::Audit(AuditCommand::List {
            filter,
            limit,
            offset,
        }) => {
            let page = audit::list(ctx, &filter.filter(offset, limit)).await?;
            out.audit(&page.items);
        }
        Command::Audit(AuditCommand::Export { filter, out: path }) => {
            let filter = filter.filter(0, 0);
            let report = if path.as_os_str() == "-" {
                let stdout = std::io::stdout();
                audit::write_csv(ctx, &filter, stdout.lock()).await?;
                return Ok(());
            } else {
                audit::export_to(ctx, &filter, &path).await?
            };
            out.audit_export(&report, ctx.lang);
        }
        Command::Settings(_) => unreachable!("handled before the context opens"),
        Command::Demo(command) => demo_commands::run(ctx, out, command).await?,
    }
    Ok(())
}
