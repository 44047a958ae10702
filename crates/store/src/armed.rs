//! Armed sessions (`helpatwork_domain::armed`): a start waiting for the device's next check-in.
//! Each step is a compare-and-set on `state` in one transaction with its audit event. Firing is
//! the session's own insert: [`Store::insert_session_with_arm`] moves the row `armed → fired`
//! and records the session in one transaction, so of two processes (two windows, a window and
//! the CLI, a team's machines on one PostgreSQL) that both see the check-in, one starts the
//! session and the other writes nothing.

use helpatwork_domain::armed::ArmState;
use helpatwork_domain::Mode;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, NewAuditEvent};
use crate::sessions::{insert_row, is_unique_violation, SessionConflict, SessionRecord};
use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmedRecord {
    pub id: String,
    pub device_id: String,
    pub mode: Mode,
    /// The agent it holds the device for, and whose process starts it.
    pub agent: String,
    pub reason: String,
    pub ticket: Option<String>,
    pub state: ArmState,
    pub armed_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The device's last check-in when it was armed: a newer one fires it.
    pub armed_checkin: chrono::DateTime<chrono::Utc>,
    /// The ended session it starts again (`session rearm`), if any.
    pub rearm_of: Option<String>,
    pub ended_at: Option<chrono::DateTime<chrono::Utc>>,
    pub ended_by: Option<String>,
    /// Fired: the session it started.
    pub session_id: Option<String>,
    /// Failed: why the start was refused.
    pub error: Option<String>,
}

const COLUMNS: &str = "id, device_id, mode, agent, reason, ticket, state, armed_at, expires_at, \
    armed_checkin, rearm_of, ended_at, ended_by, session_id, error";

fn record(r: &AnyRow) -> Result<ArmedRecord> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("armed session {what}"));
    let time = |c: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        r.get::<Option<String>, _>(c)
            .map(|t| parse_timestamp(&t))
            .transpose()
    };
    Ok(ArmedRecord {
        id: r.get("id"),
        device_id: r.get("device_id"),
        mode: Mode::parse(&r.get::<String, _>("mode")).ok_or_else(|| corrupt("mode"))?,
        agent: r.get("agent"),
        reason: r.get("reason"),
        ticket: r.get("ticket"),
        state: ArmState::parse(&r.get::<String, _>("state")).ok_or_else(|| corrupt("state"))?,
        armed_at: parse_timestamp(&r.get::<String, _>("armed_at"))?,
        expires_at: parse_timestamp(&r.get::<String, _>("expires_at"))?,
        armed_checkin: parse_timestamp(&r.get::<String, _>("armed_checkin"))?,
        rearm_of: r.get("rearm_of"),
        ended_at: time("ended_at")?,
        ended_by: r.get("ended_by"),
        session_id: r.get("session_id"),
        error: r.get("error"),
    })
}

/// Why a session could not be armed.
#[derive(Debug)]
pub enum ArmConflict {
    /// The device already has this armed session.
    Armed(Box<ArmedRecord>),
    Store(StoreError),
}

/// How an armed session leaves `armed` (other than by firing).
#[derive(Debug, Clone)]
pub struct ArmEnding<'a> {
    /// `expired`, `cancelled` or `failed`.
    pub state: ArmState,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: &'a str,
    pub error: Option<&'a str>,
}

impl Store {
    /// Records an armed session with its audit event. When the device already has one, nothing
    /// is written and that one comes back as the conflict.
    pub async fn arm_session(
        &self,
        a: &ArmedRecord,
        event: NewAuditEvent<'_>,
    ) -> Result<(), ArmConflict> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await.map_err(ArmConflict::Store)?;
        let inserted = sqlx::query(&format!(
            "INSERT INTO armed_sessions ({COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, 'armed', $7, $8, $9, $10, NULL, NULL, NULL, NULL)"
        ))
        .bind(a.id.as_str())
        .bind(a.device_id.as_str())
        .bind(a.mode.as_str())
        .bind(a.agent.as_str())
        .bind(a.reason.as_str())
        .bind(a.ticket.as_deref())
        .bind(timestamp(a.armed_at))
        .bind(timestamp(a.expires_at))
        .bind(timestamp(a.armed_checkin))
        .bind(a.rearm_of.as_deref())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                let holder = self
                    .armed_for_device(&a.device_id)
                    .await
                    .map_err(ArmConflict::Store)?;
                return Err(match holder {
                    Some(h) => ArmConflict::Armed(Box::new(h)),
                    None => ArmConflict::Store(StoreError::Conflict(
                        "the device's armed session just ended; try again".into(),
                    )),
                });
            }
            Err(e) => return Err(ArmConflict::Store(e.into())),
        }
        audit::insert(
            &mut tx,
            &audit::new_id(),
            a.armed_at,
            &event,
            account.as_ref(),
        )
        .await
        .map_err(ArmConflict::Store)?;
        tx.commit()
            .await
            .map_err(|e| ArmConflict::Store(e.into()))?;
        Ok(())
    }

    /// The device's armed session (still `armed`), if any.
    pub async fn armed_for_device(&self, device_id: &str) -> Result<Option<ArmedRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM armed_sessions WHERE device_id = $1 AND state = 'armed'"
        ))
        .bind(device_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| record(&r))
        .transpose()
    }

    pub async fn armed_session(&self, id: &str) -> Result<Option<ArmedRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM armed_sessions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| record(&r))
        .transpose()
    }

    /// Newest first: the ones still armed, or all of them.
    pub async fn armed_sessions(&self, armed_only: bool, limit: u32) -> Result<Vec<ArmedRecord>> {
        let filter = if armed_only {
            " WHERE state = 'armed'"
        } else {
            ""
        };
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM armed_sessions{filter} ORDER BY armed_at DESC, id DESC LIMIT $1"
        ))
        .bind(i64::from(limit.clamp(1, 10_000)))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// `agent`'s armed sessions whose device checked in after it was armed, not expired at `now`.
    pub async fn armed_sessions_due(
        &self,
        agent: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<ArmedRecord>> {
        let columns = COLUMNS
            .split(',')
            .map(|c| format!("a.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!(
            "SELECT {columns} FROM armed_sessions a JOIN devices d ON d.id = a.device_id \
             WHERE a.state = 'armed' AND a.agent = $1 AND a.expires_at > $2 \
             AND d.last_checkin > a.armed_checkin AND d.removed_at IS NULL \
             ORDER BY a.armed_at"
        ))
        .bind(agent)
        .bind(timestamp(now))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// Armed sessions past their expiry at `now` (any agent's: an expiry needs no TeamViewer).
    pub async fn armed_sessions_expired(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<ArmedRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM armed_sessions WHERE state = 'armed' AND expires_at <= $1"
        ))
        .bind(timestamp(now))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// Moves an armed session out of `armed` (expired, cancelled, failed), compare-and-set, with
    /// its audit event. `None` when it had already left `armed` (fired, or ended by another
    /// process): nothing written.
    pub async fn end_armed(
        &self,
        id: &str,
        ending: &ArmEnding<'_>,
        event: NewAuditEvent<'_>,
    ) -> Result<Option<ArmedRecord>> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE armed_sessions SET state = $2, ended_at = $3, ended_by = $4, error = $5 \
             WHERE id = $1 AND state = 'armed'",
        )
        .bind(id)
        .bind(ending.state.as_str())
        .bind(timestamp(ending.at))
        .bind(ending.by)
        .bind(ending.error)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        audit::insert(
            &mut tx,
            &audit::new_id(),
            ending.at,
            &event,
            account.as_ref(),
        )
        .await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM armed_sessions WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        record(&row).map(Some)
    }

    /// The start an armed session fires: the armed row `fired` with the session's id
    /// (compare-and-set: still armed), the session row `requested`, both audit events, in one
    /// transaction. Of two processes firing one armed session, one records its session; the
    /// other writes nothing and gets `SessionConflict::Store(StoreError::Conflict)`. A device
    /// already held answers the holder, and nothing is written either.
    pub async fn insert_session_with_arm(
        &self,
        s: &SessionRecord,
        armed_id: &str,
        fired: NewAuditEvent<'_>,
        event: NewAuditEvent<'_>,
    ) -> std::result::Result<(), SessionConflict> {
        let store = |e: sqlx::Error| SessionConflict::Store(e.into());
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await.map_err(SessionConflict::Store)?;
        let changed = sqlx::query(
            "UPDATE armed_sessions SET state = 'fired', session_id = $2, ended_at = $3, ended_by = $4 \
             WHERE id = $1 AND state = 'armed'",
        )
        .bind(armed_id)
        .bind(s.id.as_str())
        .bind(timestamp(s.created_at))
        .bind(s.agent.as_str())
        .execute(&mut *tx)
        .await
        .map_err(store)?
        .rows_affected();
        if changed == 0 {
            return Err(SessionConflict::Store(StoreError::Conflict(
                "the armed session was already started, cancelled or expired".into(),
            )));
        }
        match insert_row(&mut tx, s).await {
            Ok(()) => {}
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
            Err(e) => return Err(store(e)),
        }
        for e in [&fired, &event] {
            audit::insert(&mut tx, &audit::new_id(), s.created_at, e, account.as_ref())
                .await
                .map_err(SessionConflict::Store)?;
        }
        tx.commit().await.map_err(store)?;
        Ok(())
    }
}
