//! `devices sync`: once (incremental or full), `--every INTERVAL` as a service, `--status`.

use std::time::Duration;

use helpatwork_app::sync::SyncCancel;
use helpatwork_app::sync_plan::{self, SyncMode, SyncStatus};
use helpatwork_app::sync_schedule::{self, ScheduledRun};
use helpatwork_app::{AppContext, AppError};
use helpatwork_domain::Lang;

use crate::args::SyncArgs;
use crate::output::Output;
use crate::term::{note, say, visible as esc};

/// `30s`, `15m`, `1h` (a bare number is minutes): at least one second, at most a day.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => t.split_at(at),
        None => (t, "m"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("\"{text}\" is not an interval such as 30s, 15m or 1h"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(format!("\"{text}\": use s, m or h, e.g. 15m")),
    };
    if !(1..=86_400).contains(&secs) {
        return Err(format!("\"{text}\": the interval is from 1s to 24h"));
    }
    Ok(Duration::from_secs(secs))
}

pub async fn run(ctx: &AppContext, out: &Output, args: &SyncArgs) -> Result<(), AppError> {
    if args.status {
        print_status(out, &sync_plan::status(ctx).await?, ctx.lang);
        return Ok(());
    }
    if let Some(every) = args.every {
        return every_loop(ctx, out, every).await;
    }
    let mode = if args.full {
        SyncMode::Full
    } else {
        SyncMode::Auto
    };
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
    let report = sync_plan::sync_planned(
        ctx,
        ctx.mdm.clone(),
        mode,
        &progress,
        &SyncCancel::default(),
    )
    .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    out.sync(&report?);
    Ok(())
}

/// Runs a scheduled turn every `every` until Ctrl-C: a Ctrl-C between runs stops at once, one
/// during a run stops it after the page being written (the next sync resumes it).
async fn every_loop(ctx: &AppContext, out: &Output, every: Duration) -> Result<(), AppError> {
    if !ctx.can_sync() {
        // The embedded fleet's refusal, with its fix.
        sync_plan::sync_planned(
            ctx,
            ctx.mdm.clone(),
            SyncMode::Auto,
            &|_, _| {},
            &SyncCancel::default(),
        )
        .await?;
    }
    let cancel = SyncCancel::default();
    let watcher = {
        let cancel = cancel.clone();
        async move {
            let _ = tokio::signal::ctrl_c().await;
            cancel.cancel();
        }
    };
    tokio::pin!(watcher);
    if !out.json {
        note!(
            "{}",
            match ctx.lang {
                Lang::En => format!("Syncing every {}s; Ctrl-C stops.", every.as_secs()),
                Lang::PtBr => format!("Sincronizando a cada {}s; Ctrl-C para.", every.as_secs()),
            }
        );
    }
    loop {
        let turn = sync_schedule::tick(ctx, ctx.mdm.clone(), every, &cancel);
        tokio::pin!(turn);
        let run = tokio::select! {
            run = &mut turn => run,
            () = &mut watcher => turn.await,
        };
        print_run(out, &run, ctx.lang);
        if cancel.is_cancelled() {
            break;
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = &mut watcher => break,
        }
    }
    if !out.json {
        note!("{}", ctx.lang.pick("Stopped.", "Parado."));
    }
    Ok(())
}

fn print_run(out: &Output, run: &ScheduledRun, lang: Lang) {
    if out.json {
        // One line per run, for a log collector.
        match serde_json::to_string(run) {
            Ok(line) => say!("{}", crate::term::json_inert(&line)),
            Err(e) => note!("error: cannot write JSON: {e}"),
        }
        return;
    }
    match run {
        ScheduledRun::Synced { at, report } => {
            say!("{at} ");
            out.sync(report);
        }
        ScheduledRun::Skipped { at, reason } => {
            say!("{at} {}: {}", lang.pick("skipped", "ignorada"), esc(reason))
        }
        ScheduledRun::Failed {
            at, message, fix, ..
        } => {
            say!("{at} {}: {}", lang.pick("failed", "falhou"), esc(message));
            if let Some(fix) = fix {
                note!("  fix: {}", esc(fix));
            }
        }
    }
}

fn print_status(out: &Output, s: &SyncStatus, lang: Lang) {
    if out.json {
        return out.print_json(s);
    }
    if !s.syncable {
        say!(
            "{}",
            lang.pick(
                "The embedded fleet is not synced (devices import fills it).",
                "A frota incorporada não é sincronizada (devices import a preenche)."
            )
        );
        return;
    }
    let never = lang.pick("never", "nunca");
    say!(
        "{}: {} ({} {}, {} {})",
        lang.pick("Last sync", "Última sincronização"),
        s.last_run_at.as_deref().unwrap_or(never),
        s.last_mode.as_deref().unwrap_or("-"),
        s.last_outcome.as_deref().unwrap_or("-"),
        s.last_devices,
        lang.pick("devices", "dispositivos"),
    );
    if let Some(error) = &s.last_error {
        say!("  {}: {}", lang.pick("error", "erro"), esc(error));
    }
    say!(
        "{}: {}",
        lang.pick("Changes in the store up to", "Alterações na base até"),
        s.watermark.as_deref().unwrap_or(never)
    );
    say!(
        "{}: {}",
        lang.pick("Last full sync", "Última sincronização completa"),
        s.last_full_at.as_deref().unwrap_or(never)
    );
    say!(
        "{}: {}",
        lang.pick("Next sync", "Próxima sincronização"),
        if s.next_full {
            lang.pick("full", "completa")
        } else {
            lang.pick("incremental", "incremental")
        }
    );
}
