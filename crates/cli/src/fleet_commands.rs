//! `helpatwork fleet`: the readiness board and the devices of one of its groups.

use clap::Subcommand;
use helpatwork_app::dto::readiness::ReadinessBoard;
use std::sync::atomic::AtomicBool;

use helpatwork_app::{readiness, readiness_fix};
use helpatwork_app::{AppContext, AppError};
use helpatwork_domain::readiness::fix::{FixAction, FixPlan};
use helpatwork_domain::readiness::DEFAULT_OFFLINE_DAYS;
use helpatwork_domain::Lang;

use crate::args::ModeArg;
use crate::output::Output;
use crate::term::{note, say, visible as esc};

#[derive(Subcommand, Debug)]
pub enum FleetCommand {
    /// For each mode: the devices that can be helped now, and the rest grouped by what stops
    /// them (each device judged by its own preflight). Keeps the day's counts for the chart.
    Readiness {
        /// The offline group holds devices not checked in for more than this many days (1–365).
        #[arg(long, default_value_t = DEFAULT_OFFLINE_DAYS)]
        offline_days: u32,
    },
    /// The ids of the devices in one group of a mode's board (e.g. view_only, quicksupport).
    Devices {
        group: String,
        #[arg(long, value_enum, default_value = "attended")]
        mode: ModeArg,
        #[arg(long, default_value_t = DEFAULT_OFFLINE_DAYS)]
        offline_days: u32,
    },
    /// Fix a group where the connector can (distribute QuickSupport / Host / the add-on of each
    /// device's manufacturer, force a check-in): --dry-run says what would change and the
    /// licences it takes (U3); without it the same plan runs, each device audited. --csv prints
    /// the group's devices for the MDM console instead.
    Fix {
        group: String,
        #[arg(long, value_enum, default_value = "attended")]
        mode: ModeArg,
        #[arg(long, default_value_t = DEFAULT_OFFLINE_DAYS)]
        offline_days: u32,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, conflicts_with = "dry_run")]
        csv: bool,
    },
}

pub async fn run(ctx: &AppContext, out: &Output, command: FleetCommand) -> Result<(), AppError> {
    match command {
        FleetCommand::Readiness { offline_days } => {
            let board = readiness::board(ctx, offline_days).await?;
            if out.json {
                out.print_json(&board);
            } else {
                print_board(&board, ctx.lang);
            }
        }
        FleetCommand::Devices {
            group,
            mode,
            offline_days,
        } => {
            let blocker = readiness::parse_group(ctx, &group)?;
            let ids = readiness::group_devices(ctx, mode.into(), blocker, offline_days).await?;
            if out.json {
                out.print_json(&ids);
            } else {
                for id in &ids {
                    say!("{}", esc(id));
                }
            }
        }
        FleetCommand::Fix {
            group,
            mode,
            offline_days,
            dry_run,
            csv,
        } => {
            let blocker = readiness::parse_group(ctx, &group)?;
            let mode = mode.into();
            if csv {
                let text = readiness_fix::csv(ctx, mode, blocker, offline_days).await?;
                for line in text.lines() {
                    say!("{}", esc(line));
                }
            } else if dry_run {
                let plan = readiness_fix::plan(ctx, mode, blocker, offline_days).await?;
                if out.json {
                    out.print_json(&plan);
                } else {
                    print_plan(&plan, ctx.lang);
                }
            } else {
                let cancel = AtomicBool::new(false);
                let run =
                    readiness_fix::run(ctx, mode, blocker, offline_days, &cancel, |done, total| {
                        note!("{done}/{total}");
                    })
                    .await?;
                if out.json {
                    out.print_json(&run);
                } else {
                    for o in &run.outcomes {
                        say!(
                            "{} {} {}",
                            if o.ok { "✓" } else { "✗" },
                            esc(&o.device_id),
                            esc(o
                                .error
                                .as_deref()
                                .unwrap_or(&action_text(&o.action, ctx.lang)))
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

fn action_text(action: &FixAction, lang: Lang) -> String {
    match action {
        FixAction::Distribute { app, package } => format!(
            "{} {}",
            lang.pick("distribute", "distribuir"),
            package.as_deref().unwrap_or(app.display_name())
        ),
        FixAction::ForceCheckin => lang.pick("force a check-in", "forçar check-in").into(),
    }
}

fn print_plan(plan: &FixPlan, lang: Lang) {
    for p in &plan.devices {
        match (&p.action, &p.skipped) {
            (Some(a), _) => say!("  {} → {}", esc(&p.device_id), esc(&action_text(a, lang))),
            (None, Some(why)) => say!("  {} — {}", esc(&p.device_id), esc(why)),
            (None, None) => say!("  {}", esc(&p.device_id)),
        }
    }
    if let Some(free) = plan.licences_free {
        say!(
            "{} {} ({} {free})",
            lang.pick(
                "Unattended licences it takes (U3):",
                "Licenças autônomas usadas (U3):"
            ),
            plan.licences_needed,
            lang.pick("free:", "livres:")
        );
    }
    match &plan.refused {
        Some(why) => say!("✗ {}", esc(why)),
        None => say!(
            "{}",
            lang.pick(
                "Dry run: nothing changed. Run it without --dry-run.",
                "Simulação: nada mudou. Execute sem --dry-run."
            )
        ),
    }
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

fn print_board(board: &ReadinessBoard, lang: Lang) {
    for (i, m) in board.modes.iter().enumerate() {
        if i > 0 {
            say!("");
        }
        let b = &m.board;
        let mode = match (m.mode, lang) {
            (helpatwork_domain::Mode::Attended, Lang::En) => "Attended",
            (helpatwork_domain::Mode::Attended, Lang::PtBr) => "Assistido",
            (helpatwork_domain::Mode::Unattended, Lang::En) => "Unattended",
            (helpatwork_domain::Mode::Unattended, Lang::PtBr) => "Autônomo",
        };
        say!(
            "{mode}: {} {} {} ({})",
            b.helpable_now,
            lang.pick("of", "de"),
            b.total,
            lang.pick(
                "devices can be helped now",
                "dispositivos podem ser atendidos agora"
            )
        );
        for block in &b.fleet_blocks {
            say!(
                "  ✗ {} {}",
                esc(&block.message),
                esc(block.fix.as_deref().unwrap_or(""))
            );
        }
        for g in &b.groups {
            let mark = if g.blocks { "✗" } else { "!" };
            say!(
                "  {mark} {:<52} {:>7} {:>7}  [{}]",
                esc(&g.label),
                g.count,
                percent(g.share),
                g.blocker.as_str()
            );
            say!("      {}", esc(&g.fix));
        }
        if let (Some(first), Some(last)) = (m.series.first(), m.series.last()) {
            if m.series.len() > 1 {
                say!(
                    "  {} {} → {}: {} → {}",
                    lang.pick("Helped now,", "Atendíveis agora,"),
                    first.day,
                    last.day,
                    first.helpable_now,
                    last.helpable_now
                );
            }
        }
    }
    say!(
        "{}",
        lang.pick(
            "The devices of a group: helpatwork fleet devices GROUP --mode MODE",
            "Os dispositivos de um grupo: helpatwork fleet devices GRUPO --mode MODO",
        )
    );
}
