//! Armed sessions (docs/sessions.md, "Armed sessions"): `session start --when-online`,
//! `session rearm ID`, `session cancel ID`, `session armed list|run`. The calls and their
//! printing; parsing lives in `args.rs`.

use clap::Subcommand;
use helpatwork_app::armed::{self, ArmOutcome, ArmRequest, ArmedSession};
use helpatwork_app::{AppContext, AppError};
use helpatwork_domain::armed::ArmState;
use helpatwork_domain::Lang;

use crate::output::{cell, Output};
use crate::term::say;

#[derive(Subcommand, Debug)]
pub enum ArmedCommand {
    /// Armed sessions, newest first: the ones waiting for their device, or all with --all.
    List {
        /// Also the fired, expired, cancelled and failed ones.
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
    },
    /// Start now your armed sessions whose device checked in since they were armed (a device
    /// sync, an import and a device report do it by themselves).
    Run {
        /// Print the supporter links instead of opening the desktop client.
        #[arg(long)]
        no_launch: bool,
    },
}

/// Reads `--within`.
pub fn within(ctx: &AppContext, text: Option<&str>) -> Result<Option<chrono::Duration>, AppError> {
    text.map(|t| armed::parse_within(ctx.lang, t)).transpose()
}

pub async fn start_when_online(
    ctx: &AppContext,
    out: &Output,
    request: ArmRequest<'_>,
    launch: bool,
) -> Result<(), AppError> {
    let s = armed::start_when_online(ctx, request, launch).await?;
    out.session(&s, ctx.lang);
    Ok(())
}

pub async fn rearm(
    ctx: &AppContext,
    out: &Output,
    id: &str,
    within: Option<chrono::Duration>,
) -> Result<(), AppError> {
    out.armed(&armed::rearm(ctx, id, within).await?, ctx.lang);
    Ok(())
}

pub async fn cancel(ctx: &AppContext, out: &Output, id: &str) -> Result<(), AppError> {
    out.armed(&armed::cancel(ctx, id).await?, ctx.lang);
    Ok(())
}

pub async fn run(ctx: &AppContext, out: &Output, command: ArmedCommand) -> Result<(), AppError> {
    match command {
        ArmedCommand::List { all, limit } => {
            out.armed_list(&armed::list(ctx, !all, limit).await?, ctx.lang)
        }
        ArmedCommand::Run { no_launch } => {
            out.arm_outcomes(&armed::fire_due(ctx, !no_launch).await?, ctx.lang)
        }
    }
    Ok(())
}

fn state_word(state: ArmState, lang: Lang) -> &'static str {
    match state {
        ArmState::Armed => lang.pick("armed", "armada"),
        ArmState::Fired => lang.pick("started", "iniciada"),
        ArmState::Expired => lang.pick("expired", "expirada"),
        ArmState::Cancelled => lang.pick("cancelled", "cancelada"),
        ArmState::Failed => lang.pick("failed", "falhou"),
    }
}

impl Output {
    pub fn armed(&self, a: &ArmedSession, lang: Lang) {
        if self.json {
            return self.print_json(a);
        }
        say!("{}: {}", lang.pick("Armed session", "Sessão armada"), a.id);
        say!(
            "  {}: {}",
            lang.pick("device", "dispositivo"),
            cell(&a.device_id, 64).trim_end()
        );
        say!(
            "  {}: {}",
            lang.pick("state", "estado"),
            state_word(a.state, lang)
        );
        say!(
            "  {}: {}",
            lang.pick("agent", "agente"),
            cell(&a.agent, 64).trim_end()
        );
        say!(
            "  {}: {}",
            lang.pick("waits until", "aguarda até"),
            a.expires_at
        );
        if let Some(of) = &a.rearm_of {
            say!("  {}: {of}", lang.pick("starts again", "reinicia"));
        }
        if let Some(s) = &a.session_id {
            say!("  {}: {s}", lang.pick("session", "sessão"));
        }
        if let Some(e) = &a.error {
            say!(
                "  {}: {}",
                lang.pick("error", "erro"),
                cell(e, 200).trim_end()
            );
        }
        if a.state == ArmState::Armed {
            say!(
                "{}",
                lang.pick(
                    "It starts by itself when the device next checks in.",
                    "Ela começa sozinha no próximo check-in do dispositivo."
                )
            );
        }
    }

    pub fn armed_list(&self, list: &[ArmedSession], lang: Lang) {
        if self.json {
            return self.print_json(&list);
        }
        if list.is_empty() {
            say!(
                "{}",
                lang.pick("No armed session.", "Nenhuma sessão armada.")
            );
            return;
        }
        say!(
            "{:<36} {:<20} {:<10} {:<12} {:<24} {}",
            "ID",
            lang.pick("DEVICE", "DISPOSITIVO"),
            lang.pick("STATE", "ESTADO"),
            lang.pick("AGENT", "AGENTE"),
            lang.pick("UNTIL", "ATÉ"),
            lang.pick("SESSION", "SESSÃO")
        );
        for a in list {
            say!(
                "{:<36} {} {:<10} {} {:<24} {}",
                a.id,
                cell(&a.device_id, 20),
                state_word(a.state, lang),
                cell(&a.agent, 12),
                a.expires_at,
                a.session_id.as_deref().unwrap_or("-")
            );
        }
    }

    pub fn arm_outcomes(&self, outcomes: &[ArmOutcome], lang: Lang) {
        if self.json {
            return self.print_json(&outcomes);
        }
        if outcomes.is_empty() {
            say!(
                "{}",
                lang.pick(
                    "No armed session is due: no device checked in since it was armed.",
                    "Nenhuma sessão armada a iniciar: nenhum dispositivo fez check-in desde que foi armada."
                )
            );
            return;
        }
        for o in outcomes {
            match (&o.session, &o.error) {
                (Some(s), None) => {
                    say!(
                        "{} {} → {} {} ({})",
                        lang.pick("Started", "Iniciada"),
                        o.armed.id,
                        lang.pick("session", "sessão"),
                        s.id,
                        s.device_id
                    );
                    if !s.launched {
                        if let Some(link) = &s.supporter_link {
                            say!(
                                "  {}: {link}",
                                lang.pick("supporter link", "link do suporte")
                            );
                        }
                    }
                }
                (_, Some(e)) => say!(
                    "{} {} ({}): {}",
                    lang.pick("Failed", "Falhou"),
                    o.armed.id,
                    o.armed.device_id,
                    cell(e, 200).trim_end()
                ),
                (None, None) => {}
            }
        }
    }
}
