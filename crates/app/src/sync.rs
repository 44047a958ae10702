//! `devices sync`: the fleet from the configured MDM connector into the store.
//!
//! Pages are fetched a few at a time (within the MDM's limits) and written in order; after each
//! page the next offset is saved, so a crash or a failed page resumes where it stopped. Unchanged
//! devices are left alone (incremental). After a complete run, devices the MDM no longer reports,
//! or reports retired, are marked removed, never deleted.
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
use crate::error::{AppError, ErrorCode, ErrorDetails, Result, RunningSync};

/// Records per page (Ivanti accepts at most 500).
pub const PAGE_ROWS: u32 = 500;
/// Page requests at the MDM at once.
pub const CONCURRENT_PAGES: usize = 4;
/// Pages fetched ahead of the one being written, so fetching goes on while a batch is written.
const PAGES_AHEAD: usize = 2 * WRITE_BATCH / PAGE_ROWS as usize;

const RUN_SETTING: &str = "sync.run";
const NEXT_SETTING: &str = "sync.next";
const LEASE_SETTING: &str = "sync.lease";

/// A sync whose lease was not renewed for this long has stopped: the next sync takes over. The
/// margin covers clocks that differ between the machines of a team.
pub const SYNC_LEASE: chrono::Duration = chrono::Duration::minutes(2);
/// How often a running sync renews its lease (whatever its pages take).
const LEASE_RENEWAL: std::time::Duration = std::time::Duration::from_secs(15);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    pub connector: String,
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

/// Devices written to the store in one go (pages are buffered up to this many)...
const WRITE_BATCH: usize = 20_000;
/// ...or up to this long, so a slow MDM's pages are still kept as they come.
const WRITE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Devices to gather before a write, `read` of `total` read so far: [`WRITE_BATCH`], then no more
/// than what is left to read. Batches shrink by half towards the end, so the write that follows
/// the last page, which nothing overlaps, is a small one.
fn batch_size(total: u32, read: u32) -> usize {
    let left = total.saturating_sub(read) as usize;
    WRITE_BATCH.min(left.max(LAST_BATCH))
}

/// The smallest batch [`batch_size`] asks for before the last page.
const LAST_BATCH: usize = 2_000;

/// Pages read and not yet written.
#[derive(Default)]
struct Batch {
    devices: Vec<helpatwork_domain::Device>,
    removed: Vec<String>,
}

impl Batch {
    /// Writes the buffered pages, then saves `next` (the offset after them) so a run stopped
    /// later resumes there.
    async fn write(
        &mut self,
        ctx: &AppContext,
        source: &str,
        run: &str,
        next: Option<u32>,
        report: &mut SyncReport,
    ) -> Result<()> {
        // A device listed on two pages of a batch (the MDM's list moved while it was read)
        // keeps its last record: one row per device in each write.
        let mut devices = std::mem::take(&mut self.devices);
        let mut last: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(devices.len());
        for (i, d) in devices.iter().enumerate() {
            last.insert(d.id.as_str(), i);
        }
        if last.len() < devices.len() {
            let keep: Vec<bool> = devices
                .iter()
                .enumerate()
                .map(|(i, d)| last.get(d.id.as_str()) == Some(&i))
                .collect();
            drop(last);
            let mut keep = keep.into_iter();
            devices.retain(|_| keep.next().unwrap_or(false));
        }
        let removed = std::mem::take(&mut self.removed);
        let summary = ctx.store.upsert_seen_devices(&devices, source, run).await?;
        report.removed += ctx.store.mark_removed(&removed, ctx.clock.now()).await?;
        report.inserted += summary.inserted;
        report.updated += summary.updated;
        report.unchanged += summary.unchanged;
        report.devices += devices.len() as u32;
        if let Some(next) = next {
            ctx.store
                .set_setting(NEXT_SETTING, &next.to_string())
                .await?;
        }
        Ok(())
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
        .with_fix("Set HELPATWORK_MDM=ivanti and HELPATWORK_IVANTI_URL, _USER, _PASSWORD (docs/ivanti.md)."));
    }
    let lease = match SyncLease::take(ctx).await {
        Ok(lease) => lease,
        // Another sync holds the lease (exit 7): the refused attempt is audited.
        Err(e) => return crate::actor::audit_refusal(ctx, "devices.sync", None, Err(e)).await,
    };
    let result = run(ctx, connector, progress, cancel, &lease).await;
    lease.release(ctx).await;
    result
}

/// The lease of the running sync: its holder value (who, since when, a unique id) and a task
/// renewing it; `lost` is set if another sync took it over (this one stalled past the lease).
struct SyncLease {
    holder: String,
    lost: Arc<std::sync::atomic::AtomicBool>,
    renewal: tokio::task::JoinHandle<()>,
}

impl SyncLease {
    async fn take(ctx: &AppContext) -> Result<Self> {
        let now = ctx.clock.now();
        let holder = serde_json::json!({
            "id": uuid::Uuid::now_v7().to_string(),
            "actor": ctx.actor,
            "since": helpatwork_store::timestamp(now),
        })
        .to_string();
        if !ctx
            .store
            .take_lease(LEASE_SETTING, &holder, now, now - SYNC_LEASE)
            .await?
        {
            return Err(sync_running(ctx).await);
        }
        let lost = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let renewal = {
            let (store, clock, holder, lost) =
                (ctx.store.clone(), ctx.clock, holder.clone(), lost.clone());
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(LEASE_RENEWAL).await;
                    match store.renew_lease(LEASE_SETTING, &holder, clock.now()).await {
                        Ok(true) => {}
                        Ok(false) => {
                            lost.store(true, std::sync::atomic::Ordering::SeqCst);
                            return;
                        }
                        Err(e) => tracing::warn!(error = %e, "the sync lease was not renewed"),
                    }
                }
            })
        };
        Ok(Self {
            holder,
            lost,
            renewal,
        })
    }

    /// Before each write: a sync whose lease was taken over stops and leaves the run to the
    /// sync that has it.
    fn check(&self, ctx: &AppContext) -> Result<()> {
        if self.lost.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                ctx.lang.pick(
                    "This sync stalled and another sync took its run over; it stopped without writing more.",
                    "Esta sincronização parou de avançar e outra assumiu a execução; ela parou sem gravar mais nada.",
                ),
            ));
        }
        Ok(())
    }

    async fn release(self, ctx: &AppContext) {
        self.renewal.abort();
        if let Err(e) = ctx.store.release_lease(LEASE_SETTING, &self.holder).await {
            tracing::warn!(error = %e, "the sync lease was not given back: the next sync waits for it to expire");
        }
    }
}

/// The `conflict` a second sync gets, naming the running one.
async fn sync_running(ctx: &AppContext) -> AppError {
    let running: serde_json::Value = ctx
        .store
        .setting(LEASE_SETTING)
        .await
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default();
    let message = match (running["actor"].as_str(), running["since"].as_str(), ctx.lang) {
        (Some(actor), Some(since), helpatwork_domain::Lang::En) => {
            format!("A device sync is already running, started by {actor} at {since}.")
        }
        (Some(actor), Some(since), helpatwork_domain::Lang::PtBr) => format!(
            "Uma sincronização de dispositivos já está em andamento, iniciada por {actor} em {since}."
        ),
        // It ended in the instant between the refusal and this look-up.
        (_, _, lang) => lang
            .pick(
                "A device sync was running.",
                "Uma sincronização de dispositivos estava em andamento.",
            )
            .to_string(),
    };
    AppError::new(ErrorCode::Conflict, message)
    .with_fix(ctx.lang.pick(
        "Wait for it to finish, then sync again if needed. A sync that stopped without finishing is taken over 2 minutes after its last progress, and its run resumed.",
        "Aguarde o término e sincronize de novo se necessário. Uma sincronização que parou sem terminar é assumida 2 minutos após o último avanço, e a execução é retomada.",
    ))
    .with_details(ErrorDetails::SyncRunning {
        sync_running: RunningSync {
            actor: running["actor"].as_str().map(str::to_string),
            since: running["since"].as_str().map(str::to_string),
        },
    })
}

async fn run(
    ctx: &AppContext,
    connector: Arc<dyn MdmConnector>,
    progress: &(dyn Fn(u32, u32) + Send + Sync),
    cancel: &SyncCancel,
    lease: &SyncLease,
) -> Result<SyncReport> {
    let source = "mdm";
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
        (Some(run), Some(next)) => (run, next, true),
        _ => {
            let run = uuid::Uuid::now_v7().to_string();
            ctx.store.set_setting(RUN_SETTING, &run).await?;
            ctx.store.set_setting(NEXT_SETTING, "0").await?;
            (run, 0, false)
        }
    };
    let mut report = SyncReport {
        connector: connector.name().to_string(),
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
    let first = connector.devices_page(PageCursor(next), PAGE_ROWS).await?;
    let total = first.total;
    let mut pending: std::collections::VecDeque<(
        u32,
        tokio::task::JoinHandle<std::result::Result<helpatwork_mdm::DevicePage, MdmError>>,
    )> = std::collections::VecDeque::new();
    let mut scheduled = first.next.map(|c| c.offset());
    let mut page = first;
    let in_flight = Arc::new(tokio::sync::Semaphore::new(CONCURRENT_PAGES));
    let mut batch = Batch::default();
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
                    c.devices_page(PageCursor(offset), PAGE_ROWS).await
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
                .write(ctx, source, &run, following, &mut report)
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
                connector
                    .devices_page(PageCursor(following), PAGE_ROWS)
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
                        .write(ctx, source, &run, Some(following), &mut report)
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

    // A complete run: what the MDM no longer reports is marked removed.
    lease.check(ctx)?;
    report.removed += ctx
        .store
        .mark_unseen_removed(source, &run, ctx.clock.now())
        .await?;
    // A session cannot go on with a device the MDM no longer manages.
    let orphaned = ctx.store.open_sessions_on_removed_devices().await?;
    report.sessions_ended = crate::session::lifecycle::end_for(
        ctx,
        &orphaned,
        crate::session::lifecycle::ChangeCause::DeviceRetired,
    )
    .await?
    .len() as u32;
    ctx.store.set_setting(NEXT_SETTING, "").await?;
    ctx.store.set_setting(RUN_SETTING, "").await?;
    ctx.store
        .append_audit(helpatwork_store::NewAuditEvent {
            actor: &ctx.actor,
            action: "devices.sync",
            device_id: None,
            session_id: None,
            detail: serde_json::to_value(&report).unwrap_or_default(),
        })
        .await?;
    Ok(report)
}
