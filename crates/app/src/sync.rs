//! `devices sync`: the fleet from the configured MDM connector into the store.
//!
//! Pages are fetched a few at a time (within the MDM's limits) and written in order; after each
//! page of a full run the next offset is saved, so a crash or a failed page resumes where it
//! stopped. Unchanged devices are not rewritten. After a complete full run, devices the MDM no
//! longer reports, or reports retired, are marked removed, never deleted. An incremental run
//! (`since`: only the devices changed after it, `crate::sync_plan`) keeps no resume state and
//! removes only the devices it lists as retired.
//!
//! One sync at a time per store: a run holds a lease row (`sync.lease`), renewed while it runs.
//! Runs at once would write the same resume state and each mark the devices the other had just
//! read as not seen, then removed; a second sync is refused with a `conflict` naming the running
//! one. A sync that stopped without giving the lease back (killed, powered off) is taken over
//! once the lease was not renewed for [`SYNC_LEASE`], and the run it left is resumed.

use std::sync::Arc;

use helpatwork_mdm::{MdmConnector, MdmError, PageCursor};
use serde::Serialize;
use ts_rs::TS;

use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, ErrorDetails, Result};
use crate::sync_lease::SyncLease;
use batch::{batch_size, Batch, WRITE_BATCH, WRITE_EVERY};

mod batch;

/// Records per page (Ivanti accepts at most 500).
pub const PAGE_ROWS: u32 = 500;
/// Page requests at the MDM at once.
pub const CONCURRENT_PAGES: usize = 4;
/// Pages fetched ahead of the one being written, so fetching goes on while a batch is written.
const PAGES_AHEAD: usize = 2 * WRITE_BATCH / PAGE_ROWS as usize;

const RUN_SETTING: &str = "sync.run";
const NEXT_SETTING: &str = "sync.next";
/// When the saved full run began: a resumed run's watermark is that time.
const STARTED_SETTING: &str = "sync.started";
pub use crate::sync_lease::SYNC_LEASE;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    pub connector: String,
    /// `full` (every device; what the MDM no longer lists is marked removed) or `incremental`
    /// (only the devices changed since `since`).
    pub mode: String,
    /// An incremental sync read the devices changed after this time (the watermark less the
    /// overlap margin).
    pub since: Option<String>,
    /// The run resumed an interrupted one.
    pub resumed: bool,
    pub pages: u32,
    pub devices: u32,
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Devices marked removed (retired, or no longer reported).
    pub removed: u32,
    /// Records the MDM sent that could not be read.
    pub skipped: u32,
    /// Open sessions ended because their device is no longer managed (their TeamViewer cases
    /// closed).
    pub sessions_ended: u32,
    /// The run was cancelled between pages; the next run resumes where it stopped.
    pub cancelled: bool,
    /// What the sync dropped or could not read, each with its fix (the first
    /// [`MAX_SYNC_WARNINGS`]; `warnings_total` counts them all).
    pub warnings: Vec<SyncWarning>,
    pub warnings_total: u32,
    /// When the run began (a resumed run: when it first began); not reported.
    #[serde(skip)]
    #[ts(skip)]
    pub run_started: Option<chrono::DateTime<chrono::Utc>>,
}

/// At most this many warnings are listed in a report; the rest are counted.
pub const MAX_SYNC_WARNINGS: usize = 50;

/// Something a sync dropped or could not read: an invalid user field of a device (dropped, never
/// stored or sent on), or a page whose app inventory failed (its devices' apps stay unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncWarning {
    /// The device, when the warning is about one.
    pub device_id: Option<String>,
    /// `user.email`, `user.name`, or `apps`.
    pub field: String,
    pub message: String,
    pub fix: Option<String>,
}

impl SyncReport {
    fn warn(&mut self, warning: SyncWarning) {
        self.warnings_total += 1;
        if self.warnings.len() < MAX_SYNC_WARNINGS {
            self.warnings.push(warning);
        }
    }

    /// The MDM's user fields pass the fleet file's validation: an invalid one is dropped (never
    /// stored, never sent to TeamViewer) and reported. A page whose app inventory failed is
    /// reported once per run with its fix.
    fn check_page(&mut self, page: &mut helpatwork_mdm::DevicePage, lang: helpatwork_domain::Lang) {
        for device in &mut page.devices {
            for issue in helpatwork_domain::fleet::drop_invalid_user_fields(device) {
                self.warn(SyncWarning {
                    device_id: Some(device.id.clone()),
                    message: match lang {
                        helpatwork_domain::Lang::En => {
                            format!("The {} was dropped ({}).", issue.field, issue.reason)
                        }
                        helpatwork_domain::Lang::PtBr => {
                            format!("O campo {} foi descartado ({}).", issue.field, issue.reason)
                        }
                    },
                    field: issue.field,
                    fix: Some(
                        lang.pick(
                            "Correct the user's details in the MDM; the next sync takes them.",
                            "Corrija os dados do usuário no MDM; a próxima sincronização os traz.",
                        )
                        .to_string(),
                    ),
                });
            }
        }
        if let Some(error) = page.inventory_error.take() {
            if !self.warnings.iter().any(|w| w.field == "apps") {
                self.warn(SyncWarning {
                    device_id: None,
                    field: "apps".into(),
                    message: format!(
                        "{} {}",
                        error,
                        lang.pick(
                            "The apps of the devices it was read for stay unknown.",
                            "Os aplicativos dos dispositivos afetados continuam desconhecidos.",
                        )
                    ),
                    fix: Some(error.fix().to_string()),
                });
            } else {
                self.warnings_total += 1;
            }
        }
        if let Some(error) = page.labels_error.take() {
            if !self.warnings.iter().any(|w| w.field == "labels") {
                self.warn(SyncWarning {
                    device_id: None,
                    field: "labels".into(),
                    message: format!(
                        "{} {}",
                        error,
                        lang.pick(
                            "The labels of the devices it was read for stay unknown, so a policy on a label warns for them.",
                            "Os rótulos dos dispositivos afetados continuam desconhecidos; uma política sobre um rótulo gera um aviso para eles.",
                        )
                    ),
                    fix: Some(error.fix().to_string()),
                });
            } else {
                self.warnings_total += 1;
            }
        }
    }
}

/// Where a sync stands, after each page read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    /// Records read so far (the offset of the next page).
    pub read: u32,
    /// Records the MDM reports in total.
    pub total: u32,
}

/// Whether a full run was interrupted and waits to be resumed: the next sync resumes it
/// (an incremental one would leave its devices marked as not seen).
pub(crate) async fn full_run_pending(ctx: &AppContext) -> Result<bool> {
    Ok(ctx
        .store
        .setting(RUN_SETTING)
        .await?
        .is_some_and(|r| !r.is_empty()))
}

/// Stops a running sync after the page being written; the run is saved and the next sync
/// resumes it. Clones share the flag.
#[derive(Debug, Clone, Default)]
pub struct SyncCancel(Arc<std::sync::atomic::AtomicBool>);

impl SyncCancel {
    pub fn cancel(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl From<MdmError> for AppError {
    fn from(e: MdmError) -> Self {
        let code = match e.code() {
            helpatwork_mdm::ErrorCode::Unsupported => ErrorCode::InvalidInput,
            helpatwork_mdm::ErrorCode::NotFound => ErrorCode::NotFound,
            _ => ErrorCode::ServiceFailed,
        };
        AppError::new(code, e.to_string())
            .with_fix(e.fix())
            .with_details(ErrorDetails::Mdm {
                mdm_error: e.code().as_str().to_string(),
            })
    }
}

/// Syncs the fleet; `progress(read, total)` after each page read.
pub async fn sync(
    ctx: &AppContext,
    connector: Arc<dyn MdmConnector>,
    progress: &(dyn Fn(u32, u32) + Send + Sync),
) -> Result<SyncReport> {
    sync_with(ctx, connector, progress, &SyncCancel::default()).await
}

/// [`sync`], which `cancel` can stop between pages (the report then says `cancelled`).
pub async fn sync_with(
    ctx: &AppContext,
    connector: Arc<dyn MdmConnector>,
    progress: &(dyn Fn(u32, u32) + Send + Sync),
    cancel: &SyncCancel,
) -> Result<SyncReport> {
    if connector.name() == crate::embedded::NAME {
        return Err(AppError::invalid(ctx.lang.pick(
            "No MDM connector is configured: the embedded fleet is filled with `devices import`.",
            "Nenhum conector MDM está configurado: a frota incorporada é preenchida com `devices import`.",
        ))
        .with_fix(ctx.lang.pick(
            "Set HELPATWORK_MDM=ivanti and HELPATWORK_IVANTI_URL, _USER, _PASSWORD (docs/ivanti.md), or HELPATWORK_MDM=intune and HELPATWORK_INTUNE_TENANT_ID, _CLIENT_ID, _CLIENT_SECRET (docs/intune.md).",
            "Defina HELPATWORK_MDM=ivanti e HELPATWORK_IVANTI_URL, _USER, _PASSWORD (docs/ivanti.md), ou HELPATWORK_MDM=intune e HELPATWORK_INTUNE_TENANT_ID, _CLIENT_ID, _CLIENT_SECRET (docs/intune.md).",
        )));
    }
    sync_since(ctx, connector, None, progress, cancel).await
}

/// A full sync (`since` is `None`) or an incremental one (the devices changed after `since`),
/// under the sync lease. The connector's watermark (`sync_watermarks`) moves to the run's start
/// only when it completes; a failed or cancelled run is recorded and leaves it.
pub(crate) async fn sync_since(
    ctx: &AppContext,
    connector: Arc<dyn MdmConnector>,
    since: Option<chrono::DateTime<chrono::Utc>>,
    progress: &(dyn Fn(u32, u32) + Send + Sync),
    cancel: &SyncCancel,
) -> Result<SyncReport> {
    let lease = match SyncLease::take(ctx).await {
        Ok(lease) => lease,
        // Another sync holds the lease (exit 7): the refused attempt is audited.
        Err(e) => return crate::actor::audit_refusal(ctx, "devices.sync", None, Err(e)).await,
    };
    let started = ctx.clock.now();
    let name = connector.name();
    let result = run(ctx, connector, progress, cancel, &lease, since).await;
    // A first load left the devices table's indexes to be built once its rows are in: now,
    // however the run ended, so the store is whole whenever no sync runs.
    let result = match (result, ctx.store.build_deferred_indexes().await) {
        (result, Ok(_)) => result,
        (Ok(_), Err(e)) => Err(e.into()),
        (Err(e), Err(built)) => {
            tracing::warn!(error = %built, "the devices table's indexes were not built; the next sync builds them");
            Err(e)
        }
    };
    let full = since.is_none();
    let ended = ctx.clock.now();
    let recorded = match &result {
        Ok(report) if !report.cancelled => {
            // A resumed full run's changes are complete only from when it first began.
            let began = match report.run_started {
                Some(first) if report.resumed => first.min(started),
                _ => started,
            };
            ctx.store
                .complete_sync(name, full, began, ended, report.devices)
                .await
        }
        Ok(report) => {
            ctx.store
                .record_sync_outcome(name, full, "cancelled", None, ended, report.devices)
                .await
        }
        Err(e) => {
            ctx.store
                .record_sync_outcome(name, full, "failed", Some(&e.message), ended, 0)
                .await
        }
    };
    if let Err(e) = recorded {
        tracing::warn!(error = %e, "the sync's outcome was not recorded");
    }
    lease.release(ctx).await;
    result
}

/// One page from `offset`: of every device, or of those changed after `since`.
async fn read_page(
    connector: &dyn MdmConnector,
    since: Option<chrono::DateTime<chrono::Utc>>,
    offset: u32,
) -> std::result::Result<helpatwork_mdm::DevicePage, MdmError> {
    match since {
        None => connector.devices_page(PageCursor(offset), PAGE_ROWS).await,
        Some(t) => {
            connector
                .changed_page(t, PageCursor(offset), PAGE_ROWS)
                .await
        }
    }
}

async fn run(
    ctx: &AppContext,
    connector: Arc<dyn MdmConnector>,
    progress: &(dyn Fn(u32, u32) + Send + Sync),
    cancel: &SyncCancel,
    lease: &SyncLease,
    since: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<SyncReport> {
    let source = "mdm";
    // An incremental run is short: it keeps no resume state (a failed one is simply run again
    // from the same watermark) and marks nothing removed for not being listed.
    let incremental = since.is_some();
    let saved_run = ctx
        .store
        .setting(RUN_SETTING)
        .await?
        .filter(|r| !r.is_empty());
    let saved_next = ctx
        .store
        .setting(NEXT_SETTING)
        .await?
        .and_then(|n| n.parse::<u32>().ok());
    let (run, next, resumed) = match (saved_run, saved_next) {
        _ if incremental => (uuid::Uuid::now_v7().to_string(), 0, false),
        (Some(run), Some(next)) => (run, next, true),
        _ => {
            let run = uuid::Uuid::now_v7().to_string();
            ctx.store
                .set_setting(
                    STARTED_SETTING,
                    &helpatwork_store::timestamp(ctx.clock.now()),
                )
                .await?;
            ctx.store.set_setting(RUN_SETTING, &run).await?;
            ctx.store.set_setting(NEXT_SETTING, "0").await?;
            (run, 0, false)
        }
    };
    let mut report = SyncReport {
        connector: connector.name().to_string(),
        mode: if incremental { "incremental" } else { "full" }.to_string(),
        since: since.map(helpatwork_store::timestamp),
        run_started: ctx
            .store
            .setting(STARTED_SETTING)
            .await?
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&chrono::Utc)),
        resumed,
        pages: 0,
        devices: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        removed: 0,
        sessions_ended: 0,
        skipped: 0,
        cancelled: false,
        warnings: Vec::new(),
        warnings_total: 0,
    };

    // The first page tells the total; then up to CONCURRENT_PAGES pages are fetched at once (at
    // the offsets full pages lead to) and written in order. A short page (an MDM that caps rows)
    // drops the prefetched pages and goes on from the offset the page itself gives.
    let first = read_page(connector.as_ref(), since, next).await?;
    let total = first.total;
    let mut pending: std::collections::VecDeque<(
        u32,
        tokio::task::JoinHandle<std::result::Result<helpatwork_mdm::DevicePage, MdmError>>,
    )> = std::collections::VecDeque::new();
    let mut scheduled = first.next.map(|c| c.offset());
    let mut page = first;
    let in_flight = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_PAGES));
    let mut batch = Batch {
        total,
        ..Batch::default()
    };
    let mut last_write = std::time::Instant::now();
    loop {
        while pending.len() < PAGES_AHEAD {
            let Some(offset) = scheduled.filter(|o| *o < total) else {
                break;
            };
            let c = connector.clone();
            let permits = in_flight.clone();
            pending.push_back((
                offset,
                tokio::spawn(async move {
                    // At most CONCURRENT_PAGES requests at the MDM at once.
                    let _permit = permits.acquire_owned().await;
                    read_page(c.as_ref(), since, offset).await
                }),
            ));
            scheduled = Some(offset + PAGE_ROWS);
        }
        // Pages are written a batch at a time: one transaction per page rewrote most index pages
        // of a large fleet for every 500 devices.
        report.check_page(&mut page, ctx.lang);
        report.skipped += page.skipped.len() as u32;
        report.pages += 1;
        batch.removed.extend(page.removed);
        batch.devices.extend(page.devices);
        let following = page.next.map(|c| c.offset());
        if let Some(following) = following {
            progress(following.min(total), total);
        }
        if following.is_none()
            || cancel.is_cancelled()
            || batch.devices.len() >= batch_size(total, following.unwrap_or(total))
            || last_write.elapsed() >= WRITE_EVERY
        {
            last_write = std::time::Instant::now();
            lease.check(ctx)?;
            batch
                .write(
                    ctx,
                    source,
                    &run,
                    following.filter(|_| !incremental),
                    &mut report,
                )
                .await?;
        }
        let Some(following) = following else {
            break;
        };
        if cancel.is_cancelled() {
            for (_, task) in pending.drain(..) {
                task.abort();
            }
            report.cancelled = true;
            return Ok(report);
        }
        let fetched = match pending.pop_front() {
            Some((offset, task)) if offset == following => task
                .await
                .map_err(|e| AppError::internal(e.to_string()))
                .and_then(|r| r.map_err(AppError::from)),
            other => {
                if let Some((_, task)) = other {
                    task.abort();
                }
                for (_, task) in pending.drain(..) {
                    task.abort();
                }
                scheduled = Some(following + PAGE_ROWS);
                read_page(connector.as_ref(), since, following)
                    .await
                    .map_err(AppError::from)
            }
        };
        page = match fetched {
            Ok(page) => page,
            Err(e) => {
                // The pages read before the failure are kept: the next run resumes after them.
                for (_, task) in pending.drain(..) {
                    task.abort();
                }
                if !batch.devices.is_empty() || !batch.removed.is_empty() {
                    lease.check(ctx)?;
                    batch
                        .write(
                            ctx,
                            source,
                            &run,
                            Some(following).filter(|_| !incremental),
                            &mut report,
                        )
                        .await?;
                }
                return Err(e);
            }
        };
    }
    progress(total, total);
    for (_, task) in pending {
        task.abort();
    }

    // A complete full run: what the MDM no longer reports is marked removed.
    lease.check(ctx)?;
    if !incremental {
        report.removed += ctx
            .store
            .mark_unseen_removed(source, &run, ctx.clock.now())
            .await?;
    }
    // A session cannot go on with a device the MDM no longer manages.
    let orphaned = ctx.store.open_sessions_on_removed_devices().await?;
    report.sessions_ended = crate::session::lifecycle::end_for(
        ctx,
        &orphaned,
        crate::session::lifecycle::ChangeCause::DeviceRetired,
    )
    .await?
    .len() as u32;
    if !incremental {
        ctx.store.set_setting(NEXT_SETTING, "").await?;
        ctx.store.set_setting(RUN_SETTING, "").await?;
    }
    ctx.store
        .append_audit(helpatwork_store::NewAuditEvent {
            actor: &ctx.actor,
            action: "devices.sync",
            device_id: None,
            session_id: None,
            detail: serde_json::to_value(&report).unwrap_or_default(),
        })
        .await?;
    // The check-ins the sync brought start the armed sessions waiting for them.
    crate::session::armed::fire_after_checkins(ctx).await;
    Ok(report)
}
