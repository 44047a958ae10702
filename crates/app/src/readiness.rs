//! The fleet readiness board: the facts every device's preflight shares gathered once (the
//! tenant, the token, the desktop client, the S11 table, the clock, the connector's delivery),
//! the fleet read by id pages and judged by `helpatwork_domain::readiness` (the same findings
//! as each device's preflight), the day's counts kept once in the store for the chart.

use std::collections::{BTreeMap, HashSet};

use helpatwork_domain::admin::Tier;
use helpatwork_domain::desktop::DesktopClientFact;
use helpatwork_domain::preflight::TokenFact;
use helpatwork_domain::readiness::{
    self as rules, Blocker, BoardDevice, FleetFacts, Tally, Verdict,
};
use helpatwork_domain::{AppKind, Device, Mode};
use helpatwork_store::{ReadinessSnapshot, StoredBoard};

use crate::context::AppContext;
use crate::dto::readiness::{ModeReadiness, ReadinessBoard, ReadinessPoint};
use crate::error::{AppError, Result};

/// Days of snapshots the board's chart shows.
pub const SERIES_DAYS: i64 = 30;
/// The board's offline days unless told (`--offline-days`).
pub const DEFAULT_OFFLINE_DAYS: u32 = 7;
/// The largest `--offline-days`.
pub const MAX_OFFLINE_DAYS: u32 = 365;
/// Devices read per page.
const PAGE: u32 = 5_000;

/// What every device's judgement shares, read once.
struct Shared {
    tier: Option<Tier>,
    attended: bool,
    unattended: bool,
    token_held: Option<bool>,
    desktop: DesktopClientFact,
    host: HashSet<String>,
}

/// `--offline-days` within 1 to 365.
pub fn check_offline_days(ctx: &AppContext, days: u32) -> Result<u32> {
    if (1..=MAX_OFFLINE_DAYS).contains(&days) {
        return Ok(days);
    }
    Err(AppError::invalid(match ctx.lang {
        helpatwork_domain::Lang::En => format!("{days} is not a number of offline days."),
        helpatwork_domain::Lang::PtBr => format!("{days} não é um número de dias offline."),
    })
    .with_fix(ctx.lang.pick(
        "Give a number of days from 1 to 365 (--offline-days 7).",
        "Informe um número de dias de 1 a 365 (--offline-days 7).",
    )))
}

async fn shared(ctx: &AppContext) -> Result<Shared> {
    let tenant = ctx.store.tenant().await?;
    let integrations = ctx.store.integrations().await?;
    let active = |mode: Mode| {
        integrations
            .iter()
            .any(|i| i.mode == mode.as_str() && i.active)
    };
    let token_held = match ctx.teamviewer.client.as_ref() {
        None => None,
        Some(client) => Some(matches!(client.auth_kind().await, Ok(Some(_)))),
    };
    let opts = ctx.desktop.clone();
    let found = tokio::task::spawn_blocking(move || helpatwork_desktop::discover(&opts))
        .await
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(Shared {
        tier: tenant.tier.as_deref().and_then(Tier::parse),
        attended: active(Mode::Attended),
        unattended: active(Mode::Unattended),
        token_held,
        desktop: helpatwork_desktop::client_fact(&found),
        host: ctx
            .store
            .distributions(AppKind::Host.as_str())
            .await?
            .into_iter()
            .collect(),
    })
}

fn fleet_facts<'a>(ctx: &'a AppContext, shared: &'a Shared, offline_days: u32) -> FleetFacts<'a> {
    FleetFacts {
        tier: shared.tier,
        attended_active: shared.attended,
        unattended_active: shared.unattended,
        token: match shared.token_held {
            None => TokenFact::NotConfigured,
            Some(true) => TokenFact::Held,
            Some(false) => TokenFact::Missing {
                fix: ctx.sign_in_fix(),
            },
        },
        desktop: &shared.desktop,
        compat: &ctx.compat,
        now: ctx.clock.now(),
        delivery: crate::facts::delivery(ctx),
        offline_days,
    }
}

/// Reads the fleet by id pages and hands each device to `visit`.
async fn each_device(ctx: &AppContext, mut visit: impl FnMut(&Device)) -> Result<()> {
    let mut after = String::new();
    loop {
        let page = ctx.store.devices_after(&after, PAGE).await?;
        for device in &page {
            visit(device);
        }
        match page.last() {
            Some(last) if page.len() as u32 == PAGE => after = last.id.clone(),
            _ => return Ok(()),
        }
    }
}

/// The board for both modes, computed over the whole fleet: the day's counts are kept in the
/// store on the day's first board (a later board that day changes nothing), the counts replace
/// the stored board the window paints first ([`stored_board`]), and the chart's days read back.
pub async fn board(ctx: &AppContext, offline_days: u32) -> Result<ReadinessBoard> {
    let offline_days = check_offline_days(ctx, offline_days)?;
    let shared = shared(ctx).await?;
    let facts = fleet_facts(ctx, &shared, offline_days);
    let mut tallies = [Tally::default(), Tally::default()];
    each_device(ctx, |device| {
        let entry = BoardDevice {
            device,
            host_distributed: shared.host.contains(&device.id),
        };
        for (tally, mode) in tallies.iter_mut().zip(Mode::ALL) {
            tally.add(&Verdict::of(entry, mode, &facts));
        }
    })
    .await?;
    let now = ctx.clock.now();
    let today = now.format("%Y-%m-%d").to_string();
    let mut stored = Vec::new();
    for (tally, mode) in tallies.iter().zip(Mode::ALL) {
        let snapshot = ReadinessSnapshot {
            day: today.clone(),
            mode: mode.as_str().into(),
            total: tally.total,
            helpable_now: tally.helpable_now,
            groups: group_counts(tally),
        };
        ctx.store.record_readiness_snapshot(&snapshot, now).await?;
        stored.push(StoredBoard {
            mode: snapshot.mode,
            offline_days,
            total: snapshot.total,
            helpable_now: snapshot.helpable_now,
            groups: snapshot.groups,
            computed_at: now,
        });
    }
    ctx.store.save_readiness_board(&stored).await?;
    drawn(ctx, &facts, &tallies, now).await
}

/// The board as last computed, at once: two rows of counts, whatever the fleet's size, worded in
/// the context's language, with today's fleet blocks (tenant, token, desktop client: read now,
/// not kept) and the chart's days. `None` until a board has been computed.
pub async fn stored_board(ctx: &AppContext) -> Result<Option<ReadinessBoard>> {
    let rows = ctx.store.readiness_board().await?;
    let mut tallies = [Tally::default(), Tally::default()];
    let mut found = [false, false];
    let (mut offline_days, mut computed_at) = (0, None);
    for row in &rows {
        let Some(i) = Mode::ALL.iter().position(|m| m.as_str() == row.mode) else {
            continue;
        };
        found[i] = true;
        tallies[i].total = row.total;
        tallies[i].helpable_now = row.helpable_now;
        for (name, count) in &row.groups {
            if let Some(blocker) = Blocker::parse(name) {
                tallies[i].counts[blocker as usize] = *count;
            }
        }
        offline_days = row.offline_days;
        computed_at = Some(row.computed_at);
    }
    let Some(computed_at) = computed_at.filter(|_| found.iter().all(|f| *f)) else {
        return Ok(None);
    };
    let shared = shared(ctx).await?;
    let facts = fleet_facts(ctx, &shared, offline_days);
    drawn(ctx, &facts, &tallies, computed_at).await.map(Some)
}

/// Computes a fresh board unless one is being computed already: then waits for that one and
/// answers the board it stored (when it was drawn with the same offline days).
pub async fn refresh(ctx: &AppContext, offline_days: u32) -> Result<ReadinessBoard> {
    static COMPUTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    if let Ok(_only) = COMPUTING.try_lock() {
        return board(ctx, offline_days).await;
    }
    let _after = COMPUTING.lock().await;
    match stored_board(ctx).await? {
        Some(stored) if stored.offline_days == offline_days => Ok(stored),
        _ => board(ctx, offline_days).await,
    }
}

/// A fresh board computed behind whatever runs next (after a sync in the window); a failure is
/// logged, the stored board stays.
pub fn refresh_in_background(ctx: &AppContext) {
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let days = match ctx.store.readiness_board().await {
            Ok(rows) => rows
                .first()
                .map_or(DEFAULT_OFFLINE_DAYS, |r| r.offline_days),
            Err(_) => DEFAULT_OFFLINE_DAYS,
        };
        if let Err(e) = refresh(&ctx, days).await {
            tracing::warn!(error = %e, "the readiness board was not recomputed");
        }
    });
}

fn group_counts(tally: &Tally) -> BTreeMap<String, u32> {
    Blocker::ALL
        .into_iter()
        .filter(|b| tally.count(*b) > 0)
        .map(|b| (b.as_str().to_string(), tally.count(b)))
        .collect()
}

/// Both modes' boards from their counts, with the chart's days.
async fn drawn(
    ctx: &AppContext,
    facts: &FleetFacts<'_>,
    tallies: &[Tally; 2],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<ReadinessBoard> {
    let since = (ctx.clock.now() - chrono::TimeDelta::days(SERIES_DAYS - 1))
        .format("%Y-%m-%d")
        .to_string();
    let mut modes = Vec::new();
    for (tally, mode) in tallies.iter().zip(Mode::ALL) {
        let board = tally.board(mode, rules::fleet_blocks(mode, facts, ctx.lang), ctx.lang);
        let series = ctx
            .store
            .readiness_series(mode.as_str(), &since)
            .await?
            .into_iter()
            .map(|s| ReadinessPoint {
                day: s.day,
                total: s.total,
                helpable_now: s.helpable_now,
                groups: s.groups,
            })
            .collect();
        modes.push(ModeReadiness {
            mode,
            board,
            series,
        });
    }
    Ok(ReadinessBoard {
        taken_at: crate::dto::rfc3339(at),
        offline_days: facts.offline_days,
        modes,
    })
}

/// The ids of the devices in one group of a mode's board, in id order.
pub async fn group_devices(
    ctx: &AppContext,
    mode: Mode,
    blocker: Blocker,
    offline_days: u32,
) -> Result<Vec<String>> {
    let offline_days = check_offline_days(ctx, offline_days)?;
    let shared = shared(ctx).await?;
    let facts = fleet_facts(ctx, &shared, offline_days);
    let mut ids = Vec::new();
    each_device(ctx, |device| {
        let entry = BoardDevice {
            device,
            host_distributed: shared.host.contains(&device.id),
        };
        if Verdict::of(entry, mode, &facts).blockers.contains(&blocker) {
            ids.push(device.id.clone());
        }
    })
    .await?;
    Ok(ids)
}

/// A group's name as the CLI and the window take it (`view_only`, `quicksupport`, …).
pub fn parse_group(ctx: &AppContext, text: &str) -> Result<Blocker> {
    Blocker::parse(text).ok_or_else(|| {
        let names: Vec<&str> = Blocker::ALL.iter().map(|b| b.as_str()).collect();
        AppError::invalid(match ctx.lang {
            helpatwork_domain::Lang::En => format!("\"{text}\" is not a readiness group."),
            helpatwork_domain::Lang::PtBr => format!("\"{text}\" não é um grupo de prontidão."),
        })
        .with_fix(match ctx.lang {
            helpatwork_domain::Lang::En => format!("Use one of: {}.", names.join(", ")),
            helpatwork_domain::Lang::PtBr => format!("Use um destes: {}.", names.join(", ")),
        })
    })
}
