//! The commands of help requests, hand-overs, agents and unattended matching: parsing lives in
//! `main.rs`'s command tree, the calls here.

use clap::Subcommand;
use helpatwork_app::{agents, handover, requests, unattended, AppContext, AppError};

use crate::output::Output;

#[derive(Subcommand, Debug)]
pub enum RequestsCommand {
    /// Help requests waiting in Help@Work's TeamViewer service queue, matched to devices, newest last.
    List,
    /// Take a help request: the device's preflight, assigned to you at TeamViewer, a session
    /// recorded here and the desktop client opened.
    Take {
        /// The request's TeamViewer code (s123-456-789).
        code: String,
        /// Print the supporter link instead of opening the desktop client.
        #[arg(long)]
        no_launch: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AgentsCommand {
    /// The agents who signed in to TeamViewer here, with their TeamViewer user ids.
    List,
}

pub async fn run_requests(
    ctx: &AppContext,
    out: &Output,
    command: RequestsCommand,
) -> Result<(), AppError> {
    match command {
        RequestsCommand::List => out.requests(&requests::list(ctx).await?, ctx.lang),
        RequestsCommand::Take { code, no_launch } => {
            out.taken(&requests::take(ctx, &code, !no_launch).await?, ctx.lang)
        }
    }
    Ok(())
}

pub async fn run_agents(
    ctx: &AppContext,
    out: &Output,
    command: AgentsCommand,
) -> Result<(), AppError> {
    match command {
        AgentsCommand::List => out.agents(&agents::list(ctx).await?, ctx.lang),
    }
    Ok(())
}

pub async fn hand_over(
    ctx: &AppContext,
    out: &Output,
    id: &str,
    to: &str,
    reason: &str,
) -> Result<(), AppError> {
    out.handover(&handover::hand_over(ctx, id, to, reason).await?, ctx.lang);
    Ok(())
}

/// `devices match DEVICE rID`: the admin confirms the device's TeamViewer device.
pub async fn confirm_match(
    ctx: &AppContext,
    out: &Output,
    device: &str,
    remotecontrol_id: &str,
) -> Result<(), AppError> {
    let status = unattended::confirm_match(ctx, device, remotecontrol_id).await?;
    out.host_status(&status, ctx.lang);
    Ok(())
}

pub async fn unmatch(ctx: &AppContext, out: &Output, device: &str) -> Result<(), AppError> {
    out.host_status(&unattended::unmatch(ctx, device).await?, ctx.lang);
    Ok(())
}

pub async fn host_assignment(ctx: &AppContext, out: &Output, id: &str) -> Result<(), AppError> {
    out.host_assignment(&unattended::set_assignment(ctx, id).await?, ctx.lang);
    Ok(())
}

/// `session show`'s hand-overs, after the session (text only: `--json` prints the session).
pub async fn show_handovers(ctx: &AppContext, out: &Output, id: &str) -> Result<(), AppError> {
    if !out.json {
        out.handovers(&handover::history(ctx, id).await?, ctx.lang);
    }
    Ok(())
}
