//! `helpatwork --demo demo …`: the demo's world outside the product — the device user, and
//! TeamViewer's side of cases and Hosts.

use clap::Subcommand;
use helpatwork_app::demo_sandbox::{self as demo, simulate, DemoEvent};
use helpatwork_app::{AppContext, AppError};

use crate::output::Output;

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// The device user opens the session in QuickSupport (TeamViewer reports them online).
    CustomerJoins {
        device: String,
    },
    /// The device user's app leaves the session.
    CustomerLeaves {
        device: String,
    },
    /// The session's case is closed at TeamViewer (as a supporter ending it there would).
    CloseCase {
        device: String,
    },
    /// The device user asks for help: a case waits unassigned in Help@Work's service queue.
    RequestHelp {
        device: String,
    },
    /// The device's TeamViewer Host goes offline (or online again).
    HostOffline {
        device: String,
    },
    HostOnline {
        device: String,
    },
    /// Act as the demo's tier 2 agent (another agent of the team, signed in with their own
    /// TeamViewer user): four eyes on one machine.
    #[command(subcommand)]
    Tier2(Tier2Command),
}

#[derive(Subcommand, Debug)]
pub enum Tier2Command {
    /// Tier 2 approves a held unattended start.
    Approve { id: String },
    /// Tier 2 refuses a held unattended start.
    Refuse {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Tier 2 starts an unattended session (held when a policy asks for approval).
    Start {
        device: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        ticket: Option<String>,
    },
}

pub async fn run(ctx: &AppContext, out: &Output, command: DemoCommand) -> Result<(), AppError> {
    let (device, event) = match command {
        DemoCommand::CustomerJoins { device } => (device, DemoEvent::CustomerJoins),
        DemoCommand::CustomerLeaves { device } => (device, DemoEvent::CustomerLeaves),
        DemoCommand::CloseCase { device } => (device, DemoEvent::CaseClosed),
        DemoCommand::RequestHelp { device } => {
            out.demo_request(&demo::request_help(ctx, &device).await?, ctx.lang);
            return Ok(());
        }
        DemoCommand::HostOffline { device } => {
            out.demo_host(&demo::set_host_online(ctx, &device, false).await?, ctx.lang);
            return Ok(());
        }
        DemoCommand::HostOnline { device } => {
            out.demo_host(&demo::set_host_online(ctx, &device, true).await?, ctx.lang);
            return Ok(());
        }
        DemoCommand::Tier2(command) => return tier2(ctx, out, command).await,
    };
    out.demo_outcome(&simulate(ctx, &device, event).await?, ctx.lang);
    Ok(())
}

async fn tier2(ctx: &AppContext, out: &Output, command: Tier2Command) -> Result<(), AppError> {
    use helpatwork_app::policy::approvals;
    let tier2 = demo::as_tier2(ctx)?;
    match command {
        Tier2Command::Approve { id } => out.print_json(&approvals::approve(&tier2, &id).await?),
        Tier2Command::Refuse { id, reason } => {
            out.print_json(&approvals::refuse(&tier2, &id, reason.as_deref()).await?)
        }
        Tier2Command::Start {
            device,
            reason,
            ticket,
        } => {
            let mode = helpatwork_domain::Mode::Unattended;
            let started = helpatwork_app::session::start_with_ticket(
                &tier2,
                &device,
                mode,
                &reason,
                ticket.as_deref(),
                false,
            )
            .await?;
            out.session(&started, ctx.lang);
        }
    }
    Ok(())
}
