//! The lease of the running devices sync (`sync.lease`): one sync at a time per store, renewed
//! while it runs, taken over once it was not renewed for [`SYNC_LEASE`].

use std::sync::Arc;

use crate::context::AppContext;
use crate::error::{AppError, ErrorCode, ErrorDetails, Result, RunningSync};

/// The store setting that holds the lease.
pub(crate) const LEASE_SETTING: &str = "sync.lease";

/// A sync whose lease was not renewed for this long has stopped: the next sync takes over. The
/// margin covers clocks that differ between the machines of a team.
pub const SYNC_LEASE: chrono::Duration = chrono::Duration::minutes(2);

/// How often a running sync renews its lease (whatever its pages take).
const LEASE_RENEWAL: std::time::Duration = std::time::Duration::from_secs(15);

/// The lease of the running sync: its holder value (who, since when, a unique id) and a task
/// renewing it; `lost` is set if another sync took it over (this one stalled past the lease).
pub(crate) struct SyncLease {
    holder: String,
    lost: Arc<std::sync::atomic::AtomicBool>,
    renewal: tokio::task::JoinHandle<()>,
}

impl SyncLease {
    pub(crate) async fn take(ctx: &AppContext) -> Result<Self> {
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
    pub(crate) fn check(&self, ctx: &AppContext) -> Result<()> {
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

    pub(crate) async fn release(self, ctx: &AppContext) {
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
