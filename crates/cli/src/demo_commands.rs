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
    };
    out.demo_outcome(&simulate(ctx, &device, event).await?, ctx.lang);
    Ok(())
}
