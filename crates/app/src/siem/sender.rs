//! The sender: delivers each sink's outbox in order, at least once.
//!
//! A pass takes, for each sink that is not waiting out a backoff, the sink's lease (one
//! conditional `UPDATE`: two processes never send one sink's events at once, so they never
//! interleave), then sends its outbox in batches of [`BATCH`] events, oldest first; a batch the
//! receiver acknowledged leaves the outbox. The first failure stops the sink for this pass and
//! sets its next try after an exponential backoff with jitter (1 s doubling, capped at
//! [`MAX_BACKOFF`]), kept in the store so a restart or another process waits the same. Memory
//! holds one batch per pass, however long a sink was down. A process killed mid-batch leaves
//! the batch in the outbox: it is sent again (the event id lets the receiver drop the copy),
//! after the lease ran out ([`LEASE`]).

use std::time::Duration;

use rand::Rng;

use helpatwork_siem::{StreamAccount, StreamEvent};
use helpatwork_store::{timestamp, AuditEvent};
use helpatwork_teamviewer::SecretStore;

use crate::context::AppContext;
use crate::dto::{AuditSendReport, AuditSinkConfig, SinkDrain, SinkOutcome};
use crate::error::{AppError, Result};
use crate::siem::{bearer_entry, config::target};

/// Events per batch (one connection or one POST).
pub const BATCH: u32 = 200;
/// How long a sender holds a sink without renewing: longer than a batch may take to send
/// (`helpatwork_siem::SEND_TIMEOUT`), so a live sender never loses it mid-batch.
pub const LEASE: Duration = Duration::from_secs(60);
/// The longest wait between two tries of a sink that is down.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// How often the window's sender (a task in `src-tauri/src/lib.rs`) looks for new events.
pub const POLL: Duration = Duration::from_secs(5);

/// The wait before try `attempt` (1 = the first retry): equal jitter over 1 s doubling, capped.
pub fn backoff(attempt: u32, rng: &mut impl Rng) -> Duration {
    let step = Duration::from_secs(1)
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let half = step / 2;
    half + rng.gen_range(Duration::ZERO..=half)
}

/// Who sends, as the leases name it: this machine and process, unique per run.
pub fn holder() -> String {
    format!(
        "{}:{}:{}",
        crate::siem::default_hostname(),
        std::process::id(),
        uuid::Uuid::new_v4()
    )
}

fn stream_event(e: AuditEvent) -> StreamEvent {
    StreamEvent {
        id: e.id,
        at: e.at,
        seq: e.seq.and_then(|s| u64::try_from(s).ok()),
        hash: e.hash,
        actor: e.actor,
        account: e.account.map(|a| StreamAccount {
            userid: a.userid,
            name: a.name,
        }),
        action: e.action,
        device_id: e.device_id,
        session_id: e.session_id,
        detail: e.detail,
    }
}

/// Progress of a pass: a sink's events sent so far.
pub trait Progress: Send + Sync {
    fn sent(&self, sink: &str, sent: u64);
}

impl Progress for () {
    fn sent(&self, _: &str, _: u64) {}
}

/// One pass over every sink. `force` tries a sink even while it waits out a backoff (the
/// operator's `audit send`).
pub async fn drain(
    ctx: &AppContext,
    secrets: &dyn SecretStore,
    holder: &str,
    force: bool,
    progress: &dyn Progress,
) -> Result<AuditSendReport> {
    let mut report = AuditSendReport { sinks: Vec::new() };
    for sink in ctx.store.audit_sinks().await? {
        let now = chrono::Utc::now();
        let waiting = sink.next_attempt_at.filter(|t| *t > now);
        let mut drain = SinkDrain {
            id: sink.id.clone(),
            outcome: SinkOutcome::Delivered,
            sent: 0,
            pending: 0,
            error: None,
            next_attempt_at: waiting.map(timestamp),
        };
        let bearer = match serde_json::from_value(sink.config.clone()) {
            Ok(AuditSinkConfig::Webhook { .. }) => {
                secrets.get(&bearer_entry(&sink.id)).unwrap_or_else(|e| {
                    tracing::warn!(sink = sink.id, "the bearer secret could not be read: {e}");
                    None
                })
            }
            _ => None,
        };
        if needs_bearer(&sink.config) && bearer.is_none() {
            drain.outcome = SinkOutcome::NoSecret;
        } else if waiting.is_some() && !force {
            drain.outcome = SinkOutcome::Waiting;
            drain.error = sink.last_error.clone();
        } else if !take(ctx, &sink.id, holder).await? {
            drain.outcome = SinkOutcome::Busy;
        } else {
            let sent = send_sink(ctx, &sink, bearer, holder, progress, &mut drain).await;
            ctx.store.release_sink_lease(&sink.id, holder).await?;
            sent?;
        }
        drain.pending = ctx
            .store
            .audit_backlog()
            .await?
            .into_iter()
            .find(|b| b.sink.id == sink.id)
            .map_or(0, |b| b.pending);
        report.sinks.push(drain);
    }
    Ok(report)
}

async fn take(ctx: &AppContext, sink: &str, holder: &str) -> Result<bool> {
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
    Ok(ctx.store.take_sink_lease(sink, holder, now, until).await?)
}

/// A webhook added with a bearer secret: never sent without it.
fn needs_bearer(config: &serde_json::Value) -> bool {
    matches!(
        serde_json::from_value(config.clone()),
        Ok(AuditSinkConfig::Webhook {
            uses_bearer: true,
            ..
        })
    )
}

async fn send_sink(
    ctx: &AppContext,
    sink: &helpatwork_store::SinkRecord,
    bearer: Option<helpatwork_net::Sensitive<String>>,
    holder: &str,
    progress: &dyn Progress,
    drain: &mut SinkDrain,
) -> Result<()> {
    let config: AuditSinkConfig = serde_json::from_value(sink.config.clone())
        .map_err(|e| AppError::internal(format!("sink {}: {e}", sink.id)))?;
    let target = target(&config, bearer)?;
    loop {
        let batch = ctx.store.outbox_batch(&sink.id, BATCH).await?;
        if batch.is_empty() {
            return Ok(());
        }
        // Renewed before each batch: a sender that lost the sink stops before sending.
        if !take(ctx, &sink.id, holder).await? {
            drain.outcome = SinkOutcome::Busy;
            return Ok(());
        }
        let ids: Vec<String> = batch.iter().map(|e| e.id.clone()).collect();
        let events: Vec<StreamEvent> = batch.into_iter().map(stream_event).collect();
        match target.send(&events).await {
            Ok(()) => {
                ctx.store
                    .outbox_delivered(&sink.id, &ids, chrono::Utc::now())
                    .await?;
                drain.sent += ids.len() as u64;
                progress.sent(&sink.id, drain.sent);
            }
            Err(e) => {
                let now = chrono::Utc::now();
                let wait = backoff(sink.attempts.saturating_add(1), &mut rand::thread_rng());
                let retry_at = now + chrono::Duration::from_std(wait).unwrap_or_default();
                let message = e.to_string();
                tracing::warn!(sink = sink.id, "audit events not delivered: {message}");
                ctx.store
                    .outbox_failed(&sink.id, &message, now, retry_at)
                    .await?;
                drain.outcome = SinkOutcome::Failed;
                drain.error = Some(message);
                drain.next_attempt_at = Some(timestamp(retry_at));
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_at_five_minutes() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for attempt in 1..40 {
            let d = backoff(attempt, &mut rng);
            let step = Duration::from_secs(1 << (attempt - 1).min(16)).min(MAX_BACKOFF);
            assert!(d >= step / 2 && d <= step, "attempt {attempt}: {d:?}");
        }
        assert!(backoff(30, &mut rng) <= MAX_BACKOFF);
    }
}
