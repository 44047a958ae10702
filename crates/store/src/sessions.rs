//! Support sessions, their device app configuration (S4) and the audit events that go with
//! every step, each step in one transaction.

use helpatwork_domain::{Mode, SessionDelivery, SessionState};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, NewAuditEvent};
use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

/// The states in which a session holds its device, as SQL (`SessionState::is_open`; the
/// migrations' partial unique indexes list the same, which a test checks).
pub(crate) fn open_states_sql() -> String {
    SessionState::open()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    pub id: String,
    pub device_id: String,
    pub mode: Mode,
    pub state: SessionState,
    pub code: Option<String>,
    pub agent: String,
    pub reason: String,
    pub supporter_link: Option<String>,
    pub end_customer_link: Option<String>,
    pub failed_step: Option<String>,
    pub error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub launched: bool,
    /// How the session reached the device, once it did.
    pub delivery: Option<SessionDelivery>,
    /// TeamViewer's end of validity of the code.
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
    /// When the session left the open states, and who ended it (an agent, or `teamviewer`).
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ended_by: Option<String>,
    /// The last time the session was read back from TeamViewer.
    pub reconciled_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The TeamViewer user the session's case is assigned to (its creator, or the agent it was
    /// handed over to).
    pub teamviewer_userid: Option<String>,
    /// The ticket reference the start brought (a support policy may require one).
    pub ticket: Option<String>,
    /// A support policy made the session view only (a personal device). TeamViewer's Web API
    /// has no view-only field for a service case: the agent is told, the audit records it.
    pub view_only: bool,
}

/// What a step changes on the session row; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct SessionPatch<'a> {
    pub state: Option<SessionState>,
    pub code: Option<&'a str>,
    pub supporter_link: Option<&'a str>,
    pub end_customer_link: Option<&'a str>,
    pub failed_step: Option<&'a str>,
    pub error: Option<&'a str>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub launched: Option<bool>,
    pub delivery: Option<SessionDelivery>,
    pub valid_until: Option<chrono::DateTime<chrono::Utc>>,
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ended_by: Option<&'a str>,
    pub reconciled_at: Option<chrono::DateTime<chrono::Utc>>,
    pub teamviewer_userid: Option<&'a str>,
    /// Queue the close of the session's TeamViewer case (its code) in the same transaction, with
    /// this reason (`lost`, `expired`, …): [`Store::pending_closes`].
    pub close_at_teamviewer: Option<&'a str>,
}

pub(crate) const COLUMNS: &str =
    "id, device_id, mode, state, code, agent, reason, supporter_link, end_customer_link, \
                       failed_step, error, created_at, expires_at, launched, delivery, \
                       valid_until, ended_at, ended_by, reconciled_at, teamviewer_userid, \
                       ticket, view_only";

/// What [`Store::sessions_to_expire`] reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFacts {
    /// Still `requested` without a TeamViewer code since before the time asked.
    pub stale: Vec<SessionRecord>,
    /// Open, past their expiry, and not among `stale`.
    pub due: Vec<SessionRecord>,
    /// The open session of the device asked for (it may be among the others too).
    pub open: Option<SessionRecord>,
}

pub(crate) fn record(r: &AnyRow) -> Result<SessionRecord> {
    Ok(SessionRecord {
        id: r.get("id"),
        device_id: r.get("device_id"),
        mode: enum_column(r, "mode", Mode::parse)?,
        state: enum_column(r, "state", SessionState::parse)?,
        code: r.get("code"),
        agent: r.get("agent"),
        reason: r.get("reason"),
        supporter_link: r.get("supporter_link"),
        end_customer_link: r.get("end_customer_link"),
        failed_step: r.get("failed_step"),
        error: r.get("error"),
        created_at: parse_timestamp(&r.get::<String, _>("created_at"))?,
        expires_at: optional_time(r, "expires_at")?,
        launched: r.get::<i64, _>("launched") != 0,
        delivery: r
            .get::<Option<String>, _>("delivery")
            .map(|d| {
                SessionDelivery::parse(&d)
                    .ok_or_else(|| StoreError::Corrupt(format!("session delivery {d}")))
            })
            .transpose()?,
        valid_until: optional_time(r, "valid_until")?,
        ended_at: optional_time(r, "ended_at")?,
        ended_by: r.get("ended_by"),
        reconciled_at: optional_time(r, "reconciled_at")?,
        teamviewer_userid: r.get("teamviewer_userid"),
        ticket: r.get("ticket"),
        view_only: r.get::<i64, _>("view_only") != 0,
    })
}

fn enum_column<T>(r: &AnyRow, column: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T> {
    let text: String = r.get(column);
    parse(&text).ok_or_else(|| StoreError::Corrupt(format!("session {column} {text}")))
}

fn optional_time(r: &AnyRow, column: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    r.get::<Option<String>, _>(column)
        .map(|t| parse_timestamp(&t))
        .transpose()
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.message().contains("UNIQUE constraint failed")
                || db.code().as_deref() == Some("23505")
        }
        _ => false,
    }
}

/// The session's row, as [`Store::insert_session`] and a taken help request write it.
pub(crate) async fn insert_row(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    s: &SessionRecord,
) -> std::result::Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id, device_id, mode, state, code, agent, reason, supporter_link, end_customer_link, \
         failed_step, error, created_at, expires_at, updated_at, launched, valid_until, teamviewer_userid, delivery, ticket, view_only) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(s.id.as_str())
    .bind(s.device_id.as_str())
    .bind(s.mode.as_str())
    .bind(s.state.as_str())
    .bind(s.code.as_deref())
    .bind(s.agent.as_str())
    .bind(s.reason.as_str())
    .bind(s.supporter_link.as_deref())
    .bind(s.end_customer_link.as_deref())
    .bind(s.failed_step.as_deref())
    .bind(s.error.as_deref())
    .bind(timestamp(s.created_at))
    .bind(s.expires_at.map(timestamp))
    .bind(timestamp(s.created_at))
    .bind(i64::from(s.launched))
    .bind(s.valid_until.map(timestamp))
    .bind(s.teamviewer_userid.as_deref())
    .bind(s.delivery.map(SessionDelivery::as_str))
    .bind(s.ticket.as_deref())
    .bind(i64::from(s.view_only))
    .execute(&mut **tx)
    .await
    .map(drop)
}

impl Store {
    /// Records a new session in `requested` state with its audit event. When the device already
    /// has an open session, nothing is written and the holder comes back as the conflict.
    pub async fn insert_session(
        &self,
        s: &SessionRecord,
        event: NewAuditEvent<'_>,
    ) -> Result<(), SessionConflict> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await.map_err(SessionConflict::Store)?;
        let inserted = insert_row(&mut tx, s).await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                let holder = self
                    .open_session_for_device(&s.device_id)
                    .await
                    .map_err(SessionConflict::Store)?;
                return Err(match holder {
                    Some(h) => SessionConflict::Held(Box::new(h)),
                    None => SessionConflict::Store(StoreError::Conflict(
                        "the device's open session just ended; try again".into(),
                    )),
                });
            }
            Err(e) => return Err(SessionConflict::Store(e.into())),
        }
        audit::insert(
            &mut tx,
            &audit::new_id(),
            s.created_at,
            &event,
            account.as_ref(),
        )
        .await
        .map_err(SessionConflict::Store)?;
        tx.commit()
            .await
            .map_err(|e| SessionConflict::Store(e.into()))?;
        Ok(())
    }

    /// One lifecycle step: the row patch, the close owed to TeamViewer (if the patch asks) and
    /// the audit event, in one transaction. (A device's app configuration is the MDM
    /// connector's to write: the embedded fleet's writes the store itself.)
    pub async fn advance_session(
        &self,
        id: &str,
        at: chrono::DateTime<chrono::Utc>,
        patch: &SessionPatch<'_>,
        event: NewAuditEvent<'_>,
    ) -> Result<SessionRecord> {
        self.advance(id, None, at, patch, event)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("no session {id}")))
    }

    /// [`Store::advance_session`] only while the session is still in state `from`: of processes
    /// taking the same step at once, one changes the row and writes the audit event; the others
    /// change nothing and get `None`.
    pub async fn advance_session_from(
        &self,
        id: &str,
        from: SessionState,
        at: chrono::DateTime<chrono::Utc>,
        patch: &SessionPatch<'_>,
        event: NewAuditEvent<'_>,
    ) -> Result<Option<SessionRecord>> {
        self.advance(id, Some(from), at, patch, event).await
    }

    async fn advance(
        &self,
        id: &str,
        from: Option<SessionState>,
        at: chrono::DateTime<chrono::Utc>,
        patch: &SessionPatch<'_>,
        event: NewAuditEvent<'_>,
    ) -> Result<Option<SessionRecord>> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        // The row is written first, so the transaction takes the write lock before it reads;
        // it answers the row as written (one statement, not three).
        let updated = sqlx::query(&format!(
            "UPDATE sessions SET state = COALESCE($1, state), code = COALESCE($2, code), \
             supporter_link = COALESCE($3, supporter_link), end_customer_link = COALESCE($4, end_customer_link), \
             failed_step = COALESCE($5, failed_step), error = COALESCE($6, error), \
             expires_at = COALESCE($7, expires_at), launched = COALESCE($8, launched), updated_at = $9, \
             delivery = COALESCE($10, delivery), valid_until = COALESCE($13, valid_until), \
             ended_at = COALESCE($14, ended_at), ended_by = COALESCE($15, ended_by), \
             reconciled_at = COALESCE($16, reconciled_at), \
             teamviewer_userid = COALESCE($17, teamviewer_userid) \
             WHERE id = $11 AND ($12 IS NULL OR state = $12) RETURNING {COLUMNS}",
        ))
        .bind(patch.state.map(SessionState::as_str))
        .bind(patch.code)
        .bind(patch.supporter_link)
        .bind(patch.end_customer_link)
        .bind(patch.failed_step)
        .bind(patch.error)
        .bind(patch.expires_at.map(timestamp))
        .bind(patch.launched.map(i64::from))
        .bind(timestamp(at))
        .bind(patch.delivery.map(SessionDelivery::as_str))
        .bind(id)
        .bind(from.map(SessionState::as_str))
        .bind(patch.valid_until.map(timestamp))
        .bind(patch.ended_at.map(timestamp))
        .bind(patch.ended_by)
        .bind(patch.reconciled_at.map(timestamp))
        .bind(patch.teamviewer_userid)
        .fetch_optional(&mut *tx)
        .await;
        let row = match updated {
            Ok(Some(row)) => row,
            Ok(None) => return Ok(None),
            // Only the code can collide: two open sessions never share one (the partial index).
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Conflict(
                    "another open session already holds this TeamViewer code".into(),
                ))
            }
            Err(e) => return Err(e.into()),
        };
        let written = record(&row)?;
        if let (Some(reason), Some(code)) = (patch.close_at_teamviewer, written.code.as_deref()) {
            sqlx::query(
                "INSERT INTO teamviewer_closes (code, session_id, device_id, reason, attempts, queued_at) \
                 VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (code) DO NOTHING",
            )
            .bind(code)
            .bind(id)
            .bind(written.device_id.as_str())
            .bind(reason)
            .bind(timestamp(at))
            .execute(&mut *tx)
            .await?;
        }
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(Some(written))
    }

    pub async fn session(&self, id: &str) -> Result<Option<SessionRecord>> {
        sqlx::query(&format!("SELECT {COLUMNS} FROM sessions WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| record(&r))
            .transpose()
    }

    pub async fn open_session_for_device(&self, device_id: &str) -> Result<Option<SessionRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM sessions WHERE device_id = $1 AND state IN ({})",
            open_states_sql()
        ))
        .bind(device_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| record(&r))
        .transpose()
    }

    /// Newest first; `open_only` keeps the sessions that hold their device.
    pub async fn sessions(&self, open_only: bool, limit: u32) -> Result<Vec<SessionRecord>> {
        let filter = if open_only {
            format!(" WHERE state IN ({})", open_states_sql())
        } else {
            String::new()
        };
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM sessions{filter} ORDER BY created_at DESC, id DESC LIMIT $1"
        ))
        .bind(i64::from(limit.clamp(1, 10_000)))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// Open sessions that have a TeamViewer code: the ones TeamViewer can report on.
    pub async fn open_sessions_with_code(&self) -> Result<Vec<SessionRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM sessions WHERE code IS NOT NULL AND state IN ({}) ORDER BY created_at",
            open_states_sql()
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// Open sessions on devices the MDM no longer manages (retired, or gone from its list).
    pub async fn open_sessions_on_removed_devices(&self) -> Result<Vec<SessionRecord>> {
        let columns = COLUMNS
            .split(',')
            .map(|c| format!("s.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!(
            "SELECT {columns} FROM sessions s JOIN devices d ON d.id = s.device_id \
             WHERE d.removed_at IS NOT NULL AND s.state IN ({})",
            open_states_sql()
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// What expiry ends, read in one query: the sessions still `requested` without a TeamViewer
    /// code, requested at or before `stale_before`; the other open sessions whose code expired
    /// by `now` (S5, TeamViewer's `valid_until`; a session recorded before its validity was
    /// kept, with no `expires_at`, expires `default_validity` after its creation); and, when
    /// `device` is named, its open session ([`Store::open_session_for_device`]). Preflight waits
    /// for this read on every call.
    pub async fn sessions_to_expire(
        &self,
        device: Option<&str>,
        stale_before: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
        default_validity: chrono::Duration,
    ) -> Result<SessionFacts> {
        // Every state named is an open one: the read walks the open sessions' index only.
        let stale = "state = 'requested' AND code IS NULL AND created_at <= $1";
        let due = "(expires_at IS NOT NULL AND expires_at <= $2) OR (expires_at IS NULL AND created_at <= $3)";
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS}, CASE WHEN {stale} THEN 1 ELSE 0 END AS stale, \
             CASE WHEN {due} THEN 1 ELSE 0 END AS due FROM sessions \
             WHERE state IN ({}) AND (({stale}) OR {due} OR device_id = $4)",
            open_states_sql()
        ))
        .bind(timestamp(stale_before))
        .bind(timestamp(now))
        .bind(timestamp(now - default_validity))
        .bind(device)
        .fetch_all(&self.pool)
        .await?;
        let mut facts = SessionFacts::default();
        for r in &rows {
            let session = record(r)?;
            if r.get::<i64, _>("stale") != 0 {
                facts.stale.push(session.clone());
            } else if r.get::<i64, _>("due") != 0 {
                facts.due.push(session.clone());
            }
            if device == Some(session.device_id.as_str()) {
                facts.open = Some(session);
            }
        }
        Ok(facts)
    }

    /// The managed app configuration a device's app holds (S4), if any.
    pub async fn app_config(
        &self,
        device_id: &str,
        app: &str,
    ) -> Result<Option<serde_json::Value>> {
        let row =
            sqlx::query("SELECT config FROM device_app_configs WHERE device_id = $1 AND app = $2")
                .bind(device_id)
                .bind(app)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| {
            serde_json::from_str(&r.get::<String, _>(0)).unwrap_or(serde_json::Value::Null)
        }))
    }
}

/// Why a session could not be recorded.
#[derive(Debug)]
pub enum SessionConflict {
    /// The device already has this open session.
    Held(Box<SessionRecord>),
    Store(StoreError),
}

#[cfg(test)]
mod tests {
    use super::open_states_sql;

    /// The partial unique indexes (one open session per device, per TeamViewer code) list the
    /// open states in SQL; they must be the domain's.
    #[test]
    fn the_migrations_partial_indexes_hold_the_domains_open_states() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut found = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let sql = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for (_, rest) in sql
                .match_indices("state IN (")
                .map(|(i, _)| sql.split_at(i + 10))
            {
                let listed = &rest[..rest.find(')').unwrap()];
                assert_eq!(listed, open_states_sql());
                found += 1;
            }
        }
        assert_eq!(found, 2, "the device index and the code index");
    }
}
