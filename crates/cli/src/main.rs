//! `helpatwork`: every Help@Work feature from the command line.
//!
//! Human output goes to stdout (tables) and stderr (notes, errors); `--json` prints exactly one
//! JSON document on stdout, errors included (`{"error":{code,message,fix,details}}`). Exit codes
//! follow the contract in `docs/architecture.md` ("Contracts"): 1 internal, 2 usage, 3 blocked, 4 sign-in needed,
//! 5 service failed, 6 not found, 7 conflict, 8 the audit trail tampered with (`audit verify`),
//! 9 awaiting another agent's approval (four eyes).

mod args;
mod armed_commands;
mod demo_commands;
mod device_text;
mod fleet_commands;
mod inbox;
mod logging;
mod output;
mod output_admin;
mod output_inbox;
mod output_lifecycle;
mod policy_commands;
mod siem_commands;
mod sync_commands;
mod term;
mod usage;

use std::process::ExitCode;

use clap::Parser;
use helpatwork_app::connection;
use helpatwork_app::dto::DeviceQuery;
use helpatwork_app::error::ErrorDetails;
use helpatwork_app::paths::Paths;
use helpatwork_app::session::ReportEvent;
use helpatwork_app::settings::{Settings, TestTarget};
use helpatwork_app::{
    admin, audit, audit_verify, auth, devices, doctor, lifecycle, session, AppContext, AppError,
    ContextOptions, Surface,
};
use helpatwork_domain::admin::Tier;
use helpatwork_domain::session::DeviceEvent;
use helpatwork_domain::{AppKind, Lang};

use args::{
    AdminCommand, AppsCommand, AuditCommand, AuthCommand, Cli, Command, DevicesCommand,
    SessionCommand, SettingsCommand,
};
use output::Output;
use term::note;

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
        AdminCommand::Tier { set: None } => {
            out.tier(&admin::status(ctx).await?, lang);
            return Ok(());
        }
        AdminCommand::Licences { unattended: None } => {
            out.licences(&admin::status(ctx).await?.unattended_licences, lang);
            return Ok(());
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
                note!(
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

fn main() -> ExitCode {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&raw) {
        Ok(cli) => cli,
        Err(e) => return usage::fail(e, &raw),
    };
    logging::init();
    let out = Output { json: cli.json };
    let lang = cli.lang.unwrap_or_default();
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
        Err((e, used)) => out.error(&e.for_cli(used.unwrap_or(lang))),
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
        SettingsCommand::Show => out.settings(&settings.view_in(lang), lang),
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
            out.connection_test(&connection::test(&settings, target, lang).await?);
        }
    }
    Ok(())
}

/// Runs the command; an error comes back with the language its context used.
async fn run(cli: Cli, out: &Output) -> Result<(), (AppError, Option<Lang>)> {
    if let Command::Settings(command) = &cli.command {
        return run_settings(&cli, out, command)
            .await
            .map_err(|e| (e, None));
    }
    let mut options = ContextOptions::from_env();
    options.demo |= cli.demo;
    options.lang = cli.lang;
    options.single_connection = true;
    options.surface = Surface::Cli;
    let ctx = AppContext::open(Paths::from_env(), options)
        .await
        .map_err(|e| (e, None))?;
    let lang = ctx.lang;
    let result = run_command(cli, out, &ctx).await;
    // A clean close: SQLite folds its log into the database, so the next command opens fast.
    ctx.store.close().await;
    result.map_err(|e| (e, Some(lang)))
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
                .with_details(ErrorDetails::Doctor(Box::new(report))));
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
                ids: None,
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
        Command::Policy(command) => policy_commands::run_policy(ctx, out, command).await?,
        Command::Approvals(command) => policy_commands::run_approvals(ctx, out, command).await?,
        Command::Fleet(command) => fleet_commands::run(ctx, out, command).await?,
        Command::Session(SessionCommand::HandOver { id, to, reason }) => {
            inbox::hand_over(ctx, out, &id, &to, &reason).await?
        }
        Command::Session(SessionCommand::Preflight {
            device,
            mode,
            reason,
            ticket,
        }) => {
            let request = session::PolicyRequest {
                reason: reason.as_deref(),
                ticket: ticket.as_deref(),
            };
            let pre = session::preflight_with(ctx, &device, mode.into(), request).await?;
            out.preflight(&pre);
        }
        Command::Session(SessionCommand::Start {
            device,
            mode,
            reason,
            ticket,
            no_launch,
            when_online: true,
            within,
        }) => {
            let request = helpatwork_app::armed::ArmRequest {
                device_id: &device,
                mode: mode.into(),
                reason: &reason,
                ticket: ticket.as_deref(),
                within: armed_commands::within(ctx, within.as_deref())?,
            };
            armed_commands::start_when_online(ctx, out, request, !no_launch).await?
        }
        Command::Session(SessionCommand::Rearm { id, within }) => {
            let within = armed_commands::within(ctx, within.as_deref())?;
            armed_commands::rearm(ctx, out, &id, within).await?
        }
        Command::Session(SessionCommand::Cancel { id }) => {
            armed_commands::cancel(ctx, out, &id).await?
        }
        Command::Session(SessionCommand::Armed(command)) => {
            armed_commands::run(ctx, out, command).await?
        }
        Command::Session(SessionCommand::Start {
            device,
            mode,
            reason,
            ticket,
            no_launch,
            ..
        }) => {
            let s = session::start_with_ticket(
                ctx,
                &device,
                mode.into(),
                &reason,
                ticket.as_deref(),
                !no_launch,
            )
            .await?;
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
        Command::Devices(DevicesCommand::Sync(args)) => {
            sync_commands::run(ctx, out, &args).await?;
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
                AuthCommand::Login { no_browser } => {
                    let lang = ctx.lang;
                    if !no_browser {
                        note!(
                            "{}",
                            lang.pick(
                                "Opening the browser to sign in to TeamViewer…",
                                "Abrindo o navegador para entrar no TeamViewer…"
                            )
                        );
                    }
                    let browser = ctx.browser.clone();
                    let show = move |url: &helpatwork_app::auth::Url, why: Option<&str>| {
                        if let Some(why) = why {
                            note!(
                                "{} ({})",
                                lang.pick(
                                    "The browser could not be opened",
                                    "Não foi possível abrir o navegador"
                                ),
                                term::visible(why)
                            );
                        }
                        note!(
                            "{}\n\n    {url}\n",
                            lang.pick(
                                "Open this address in a browser to sign in to TeamViewer; this command waits until the sign-in is done (5 minutes at most):",
                                "Abra este endereço em um navegador para entrar no TeamViewer; este comando aguarda até a entrada terminar (no máximo 5 minutos):"
                            )
                        );
                    };
                    let opener = auth::AddressOpener {
                        browser: (!no_browser).then_some(browser.as_ref()),
                        show: Box::new(show),
                    };
                    auth::sign_in(ctx, &opener, Default::default()).await?
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
        Command::Audit(AuditCommand::Export {
            filter,
            out: path,
            format,
        }) => {
            let filter = filter.filter(0, 0);
            let report = if path.as_os_str() == "-" {
                audit::write(ctx, &filter, format.into(), term::Stdout).await?;
                return Ok(());
            } else {
                audit::export_to(ctx, &filter, format.into(), &path).await?
            };
            out.audit_export(&report, ctx.lang);
        }
        Command::Audit(AuditCommand::Verify) => {
            let report = audit_verify::verify(ctx).await?;
            if report.intact || !out.json {
                out.audit_verification(&report);
            }
            audit_verify::into_result(report)?;
        }
        Command::Audit(AuditCommand::Send) => siem_commands::send(ctx, out).await?,
        Command::Audit(AuditCommand::Sinks(command)) => {
            siem_commands::sinks(ctx, out, command).await?
        }
        Command::Settings(_) => unreachable!("handled before the context opens"),
        Command::Demo(command) => demo_commands::run(ctx, out, command).await?,
    }
    Ok(())
}
