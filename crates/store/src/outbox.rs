//! Streaming the audit trail: the sinks (SIEM receivers) and the outbox of each.
//!
//! Every audit event gets one outbox row per configured sink, written by [`enqueue`] in the
//! transaction that writes the event, so an event is either in the trail and owed to every sink,
//! or nowhere. A row leaves the outbox when its sink acknowledged the event
//! ([`Store::outbox_delivered`]); what stays is the backlog, so the outbox itself is the sender's
//! state and a restart (or a process killed with `kill -9`) resumes where it stopped.
//!
//! One sender at a time delivers to a sink: it holds the sink's lease (`lease_holder`,
//! `lease_until`), taken and renewed with one conditional `UPDATE`, so two processes of a team
//! never interleave a sink's events. The backoff after a failure (`attempts`,
//! `next_attempt_at`) is kept on the sink too, so every process waits the same.
//!
//! What is deliberately not here: the message formats and the protocols (crates/siem), when to
//! send and how long to wait (crates/app).

use sqlx::Row;

use crate::audit::{self, AuditEvent, NewAuditEvent};
use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

/// A configured sink, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkRecord {
    pub id: String,
    /// `syslog` or `webhook`.
    pub kind: String,
    /// The sink's settings as JSON (never a secret).
    pub config: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    /// Failed tries since the last delivery.
    pub attempts: u32,
    /// Not before this time is the sink tried again (after a failure).
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Events delivered since the sink was added.
    pub delivered: u64,
    pub last_delivered_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A sink with what it is owed.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkBacklog {
    pub sink: SinkRecord,
    /// Events not yet acknowledged.
    pub pending: u64,
    /// When the oldest of them happened.
    pub oldest: Option<chrono::DateTime<chrono::Utc>>,
}

/// Writes the outbox rows of event `event_id` (one per sink), on the connection (the
/// transaction) that writes the event.
pub(crate) async fn enqueue(
    conn: &mut sqlx::AnyConnection,
    event_id: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_outbox (sink_id, event_id, at) SELECT id, $1, $2 FROM audit_sinks",
    )
    .bind(event_id)
    .bind(timestamp(at))
    .execute(conn)
    .await?;
    Ok(())
}

const SINK_COLUMNS: &str = "id, kind, config, created_at, created_by, attempts, next_attempt_at, \
                            last_error, last_error_at, delivered, last_delivered_at";

fn optional_time(text: Option<String>) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    match text.filter(|t| !t.is_empty()) {
        Some(t) => parse_timestamp(&t).map(Some),
        None => Ok(None),
    }
}

fn sink_from_row(r: &sqlx::any::AnyRow) -> Result<SinkRecord> {
    let config: String = r.get(2);
    Ok(SinkRecord {
        id: r.get(0),
        kind: r.get(1),
        config: serde_json::from_str(&config)
            .map_err(|e| StoreError::Corrupt(format!("a sink's settings are not JSON: {e}")))?,
        created_at: parse_timestamp(&r.get::<String, _>(3))?,
        created_by: r.get(4),
        attempts: u32::try_from(r.get::<i64, _>(5)).unwrap_or(0),
        next_attempt_at: optional_time(r.get(6))?,
        last_error: r.get(7),
        last_error_at: optional_time(r.get(8))?,
        delivered: u64::try_from(r.get::<i64, _>(9)).unwrap_or(0),
        last_delivered_at: optional_time(r.get(10))?,
    })
}

impl Store {
    /// The configured sinks, by id.
    pub async fn audit_sinks(&self) -> Result<Vec<SinkRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {SINK_COLUMNS} FROM audit_sinks ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(sink_from_row).collect()
    }

    /// The sink `id`, if configured.
    pub async fn audit_sink(&self, id: &str) -> Result<Option<SinkRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {SINK_COLUMNS} FROM audit_sinks WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(sink_from_row).transpose()
    }

    /// Adds (or replaces the settings of) sink `id` and writes `event` (its audit event) in the
    /// same transaction. A new sink is owed the events from this one on; a replaced one keeps
    /// its backlog and starts its backoff afresh.
    pub async fn put_audit_sink(
        &self,
        id: &str,
        kind: &str,
        config: &serde_json::Value,
        event: NewAuditEvent<'_>,
    ) -> Result<()> {
        let account = self.audit_account().await;
        let at = chrono::Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO audit_sinks (id, kind, config, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, config = excluded.config, \
             attempts = 0, next_attempt_at = ''",
        )
        .bind(id)
        .bind(kind)
        .bind(config.to_string())
        .bind(timestamp(at))
        .bind(event.actor)
        .execute(&mut *tx)
        .await?;
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes sink `id` with its backlog, writing `event` in the same transaction; `false`
    /// when there was no such sink (nothing written).
    pub async fn remove_audit_sink(&self, id: &str, event: NewAuditEvent<'_>) -> Result<bool> {
        let account = self.audit_account().await;
        let at = chrono::Utc::now();
        let mut tx = self.begin_write().await?;
        // The outbox rows first: SQLite enforces the cascade only with foreign keys on.
        sqlx::query("DELETE FROM audit_outbox WHERE sink_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let gone = sqlx::query("DELETE FROM audit_sinks WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if gone == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every sink with its backlog: how many events it is owed, since when.
    pub async fn audit_backlog(&self) -> Result<Vec<SinkBacklog>> {
        let sinks = self.audit_sinks().await?;
        let rows =
            sqlx::query("SELECT sink_id, COUNT(*), MIN(at) FROM audit_outbox GROUP BY sink_id")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(sinks.len());
        for sink in sinks {
            let row = rows.iter().find(|r| r.get::<String, _>(0) == sink.id);
            let (pending, oldest) = match row {
                Some(r) => (
                    u64::try_from(r.get::<i64, _>(1)).unwrap_or(0),
                    optional_time(r.get(2))?,
                ),
                None => (0, None),
            };
            out.push(SinkBacklog {
                sink,
                pending,
                oldest,
            });
        }
        Ok(out)
    }

    /// Takes (or renews) the lease of sink `id` for `holder` until `until`: when it is free,
    /// already `holder`'s, or its holder let it run out before `now`. `false` when another
    /// sender holds it.
    pub async fn take_sink_lease(
        &self,
        id: &str,
        holder: &str,
        now: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool> {
        let taken = sqlx::query(
            "UPDATE audit_sinks SET lease_holder = $1, lease_until = $2 WHERE id = $3 \
             AND (lease_holder = '' OR lease_holder = $1 OR lease_until < $4)",
        )
        .bind(holder)
        .bind(timestamp(until))
        .bind(id)
        .bind(timestamp(now))
        .execute(&self.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }

    /// Gives the lease of sink `id` back, if `holder` still has it.
    pub async fn release_sink_lease(&self, id: &str, holder: &str) -> Result<()> {
        sqlx::query(
            "UPDATE audit_sinks SET lease_holder = '', lease_until = '' \
             WHERE id = $1 AND lease_holder = $2",
        )
        .bind(id)
        .bind(holder)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The first `limit` events sink `id` is owed, in the trail's order.
    pub async fn outbox_batch(&self, id: &str, limit: u32) -> Result<Vec<AuditEvent>> {
        let columns: Vec<String> = crate::audit::EVENT_COLUMNS
            .split(", ")
            .map(|c| format!("e.{}", c.trim()))
            .collect();
        // The chain's order: in team mode, events of two processes reach a sink as they were
        // linked, whatever their clocks said.
        let sql = format!(
            "SELECT {} FROM audit_outbox o JOIN audit_events e ON e.id = o.event_id \
             WHERE o.sink_id = $1 ORDER BY e.seq, o.at, o.event_id LIMIT $2",
            columns.join(", ")
        );
        let rows = sqlx::query(&sql)
            .bind(id)
            .bind(i64::from(limit.max(1)))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(crate::audit::event_from_row).collect()
    }

    /// Sink `id` acknowledged `event_ids`: their rows leave the outbox, the backoff is reset.
    pub async fn outbox_delivered(
        &self,
        id: &str,
        event_ids: &[String],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        if event_ids.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for chunk in event_ids.chunks(200) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "DELETE FROM audit_outbox WHERE sink_id = $1 AND event_id IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(&sql).bind(id);
            for e in chunk {
                q = q.bind(e.as_str());
            }
            q.execute(&mut *tx).await?;
        }
        sqlx::query(
            "UPDATE audit_sinks SET attempts = 0, next_attempt_at = '', \
             delivered = delivered + $1, last_delivered_at = $2 WHERE id = $3",
        )
        .bind(i64::try_from(event_ids.len()).unwrap_or(i64::MAX))
        .bind(timestamp(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sending to sink `id` failed with `error`: one more attempt counted, and the sink waits
    /// until `retry_at`. Answers the attempts so far.
    pub async fn outbox_failed(
        &self,
        id: &str,
        error: &str,
        now: chrono::DateTime<chrono::Utc>,
        retry_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<u32> {
        let row = sqlx::query(
            "UPDATE audit_sinks SET attempts = attempts + 1, next_attempt_at = $1, \
             last_error = $2, last_error_at = $3 WHERE id = $4 RETURNING attempts",
        )
        .bind(timestamp(retry_at))
        .bind(error)
        .bind(timestamp(now))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .map(|r| u32::try_from(r.get::<i64, _>(0)).unwrap_or(u32::MAX))
            .unwrap_or(0))
    }
}
