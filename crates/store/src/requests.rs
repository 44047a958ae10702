//! Help requests from device users (service cases waiting unassigned in Help@Work's group) and
//! hand-overs of open sessions between agents. The store decides every race: taking a request is
//! a compare-and-set on its state in the transaction that records the session; a hand-over is a
//! compare-and-set on the session's holder.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, NewAuditEvent};
use crate::sessions::{self, SessionRecord};
use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

/// A help request as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HelpRequestRecord {
    pub code: String,
    pub first_seen_at: chrono::DateTime<chrono::Utc>,
    pub end_customer_name: Option<String>,
    pub end_customer_email: Option<String>,
    /// The MDM device it was matched to; `None`: an unknown device.
    pub device_id: Option<String>,
    /// `email`, `name` or `device`.
    pub matched_by: Option<String>,
    /// How many devices fit the end customer.
    pub candidates: u32,
    /// `waiting` or `taken`.
    pub state: String,
    pub taken_by: Option<String>,
    pub taken_userid: Option<String>,
    pub taken_at: Option<chrono::DateTime<chrono::Utc>>,
    pub session_id: Option<String>,
}

/// A live device of the fleet whose user fits a help request's end customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerDevice {
    pub id: String,
    pub name: String,
    pub online: bool,
    pub last_checkin: chrono::DateTime<chrono::Utc>,
}

/// Who handed a session to whom, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandoverRecord {
    pub id: String,
    pub session_id: String,
    pub from_agent: String,
    pub from_userid: Option<String>,
    pub to_agent: String,
    pub to_userid: String,
    pub reason: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Why a request could not be taken.
#[derive(Debug)]
pub enum TakeConflict {
    /// Another agent took it first (the row as it now is).
    Taken(Box<HelpRequestRecord>),
    /// The request's device already has this open session.
    DeviceHeld(Box<SessionRecord>),
    Store(StoreError),
}

impl From<StoreError> for TakeConflict {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<sqlx::Error> for TakeConflict {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(e.into())
    }
}

const REQUEST_COLUMNS: &str =
    "code, first_seen_at, end_customer_name, end_customer_email, device_id, \
     matched_by, candidates, state, taken_by, taken_userid, taken_at, session_id";

fn optional_time(r: &AnyRow, column: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    r.get::<Option<String>, _>(column)
        .map(|t| parse_timestamp(&t))
        .transpose()
}

fn request(r: &AnyRow) -> Result<HelpRequestRecord> {
    Ok(HelpRequestRecord {
        code: r.get("code"),
        first_seen_at: parse_timestamp(&r.get::<String, _>("first_seen_at"))?,
        end_customer_name: r.get("end_customer_name"),
        end_customer_email: r.get("end_customer_email"),
        device_id: r.get("device_id"),
        matched_by: r.get("matched_by"),
        candidates: u32::try_from(r.get::<i64, _>("candidates")).unwrap_or(0),
        state: r.get("state"),
        taken_by: r.get("taken_by"),
        taken_userid: r.get("taken_userid"),
        taken_at: optional_time(r, "taken_at")?,
        session_id: r.get("session_id"),
    })
}

fn handover(r: &AnyRow) -> Result<HandoverRecord> {
    Ok(HandoverRecord {
        id: r.get("id"),
        session_id: r.get("session_id"),
        from_agent: r.get("from_agent"),
        from_userid: r.get("from_userid"),
        to_agent: r.get("to_agent"),
        to_userid: r.get("to_userid"),
        reason: r.get("reason"),
        at: parse_timestamp(&r.get::<String, _>("at"))?,
    })
}

impl Store {
    /// Records a request the first time it is seen, with its audit event (`request.arrived`);
    /// a request already known is left as it is. Returns the stored row and whether this call
    /// recorded it.
    pub async fn note_help_request(
        &self,
        record: &HelpRequestRecord,
        event: NewAuditEvent<'_>,
    ) -> Result<(HelpRequestRecord, bool)> {
        // Who acts, checked with TeamViewer before the transaction takes the write lock.
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(&format!(
            "INSERT INTO help_requests ({REQUEST_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'waiting', NULL, NULL, NULL, NULL) \
             ON CONFLICT (code) DO NOTHING"
        ))
        .bind(record.code.as_str())
        .bind(timestamp(record.first_seen_at))
        .bind(record.end_customer_name.as_deref())
        .bind(record.end_customer_email.as_deref())
        .bind(record.device_id.as_deref())
        .bind(record.matched_by.as_deref())
        .bind(i64::from(record.candidates))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if inserted {
            audit::insert(
                &mut tx,
                &audit::new_id(),
                record.first_seen_at,
                &event,
                account.as_ref(),
            )
            .await?;
        }
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM help_requests WHERE code = $1"
        ))
        .bind(record.code.as_str())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((request(&row)?, inserted))
    }

    pub async fn help_request(&self, code: &str) -> Result<Option<HelpRequestRecord>> {
        sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM help_requests WHERE code = $1"
        ))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| request(&r))
        .transpose()
    }

    /// Takes a waiting request for `taken_by`: the request's row, the session (when its device
    /// is known) and the audit event, in one transaction. Of agents taking one request at once,
    /// one wins; the others change nothing and learn who holds it.
    pub async fn take_help_request(
        &self,
        code: &str,
        taken_by: &str,
        taken_userid: &str,
        at: chrono::DateTime<chrono::Utc>,
        session: Option<&SessionRecord>,
        event: NewAuditEvent<'_>,
    ) -> Result<HelpRequestRecord, TakeConflict> {
        // Who acts, checked with TeamViewer before the transaction takes the write lock.
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query(
            "UPDATE help_requests SET state = 'taken', taken_by = $2, taken_userid = $3, \
             taken_at = $4, session_id = $5 WHERE code = $1 AND state = 'waiting'",
        )
        .bind(code)
        .bind(taken_by)
        .bind(taken_userid)
        .bind(timestamp(at))
        .bind(session.map(|s| s.id.as_str()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if taken == 0 {
            drop(tx);
            return match self.help_request(code).await? {
                Some(holder) => Err(TakeConflict::Taken(Box::new(holder))),
                None => Err(TakeConflict::Store(StoreError::Conflict(format!(
                    "no help request {code}"
                )))),
            };
        }
        if let Some(session) = session {
            if let Err(e) = sessions::insert_row(&mut tx, session).await {
                drop(tx);
                if !sessions::is_unique_violation(&e) {
                    return Err(e.into());
                }
                return match self.open_session_for_device(&session.device_id).await? {
                    Some(holder) => Err(TakeConflict::DeviceHeld(Box::new(holder))),
                    None => Err(TakeConflict::Store(StoreError::Conflict(
                        "another open session already holds this TeamViewer code".into(),
                    ))),
                };
            }
        }
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM help_requests WHERE code = $1"
        ))
        .bind(code)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(request(&row)?)
    }

    /// Gives a request taken by `taken_by` back to the queue (TeamViewer refused the
    /// assignment), with its audit event. `false`: it was not theirs.
    pub async fn release_help_request(
        &self,
        code: &str,
        taken_by: &str,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<bool> {
        // Who acts, checked with TeamViewer before the transaction takes the write lock.
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let released = sqlx::query(
            "UPDATE help_requests SET state = 'waiting', taken_by = NULL, taken_userid = NULL, \
             taken_at = NULL, session_id = NULL WHERE code = $1 AND state = 'taken' AND taken_by = $2",
        )
        .bind(code)
        .bind(taken_by)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if released {
            audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        }
        tx.commit().await?;
        Ok(released)
    }

    /// The live devices whose user has this e-mail (any case), else this name: what a help
    /// request's end customer is matched by. Answers the devices and `email` or `name`.
    pub async fn devices_of_customer(
        &self,
        email: Option<&str>,
        name: Option<&str>,
    ) -> Result<(Vec<CustomerDevice>, Option<&'static str>)> {
        let lookups = [("email", "user_email", email), ("name", "user_name", name)];
        for (by, column, value) in lookups {
            let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            let rows = sqlx::query(&format!(
                "SELECT id, name, online, last_checkin FROM devices \
                 WHERE removed_at IS NULL AND lower({column}) = lower($1) ORDER BY id LIMIT 50"
            ))
            .bind(value)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                continue;
            }
            let devices = rows
                .iter()
                .map(|r| {
                    Ok(CustomerDevice {
                        id: r.get("id"),
                        name: r.get("name"),
                        online: r.get::<i64, _>("online") != 0,
                        last_checkin: parse_timestamp(&r.get::<String, _>("last_checkin"))?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            return Ok((devices, Some(by)));
        }
        Ok((Vec::new(), None))
    }

    /// Makes `to_agent` (TeamViewer user `to_userid`) the holder of an open session held by
    /// `from_agent`, records the hand-over and its audit event, in one transaction. `None`: the
    /// session is no longer open or no longer `from_agent`'s (nothing changed).
    #[allow(clippy::too_many_arguments)]
    pub async fn hand_over(
        &self,
        handover_id: &str,
        session_id: &str,
        from_agent: &str,
        from_userid: Option<&str>,
        to_agent: &str,
        to_userid: &str,
        reason: &str,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<Option<SessionRecord>> {
        // Who acts, checked with TeamViewer before the transaction takes the write lock.
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let moved = sqlx::query(&format!(
            "UPDATE sessions SET agent = $2, teamviewer_userid = $3, updated_at = $4 \
             WHERE id = $1 AND agent = $5 AND state IN ({})",
            sessions::open_states_sql()
        ))
        .bind(session_id)
        .bind(to_agent)
        .bind(to_userid)
        .bind(timestamp(at))
        .bind(from_agent)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            return Ok(None);
        }
        sqlx::query(
            "INSERT INTO session_handovers (id, session_id, from_agent, from_userid, to_agent, \
             to_userid, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(handover_id)
        .bind(session_id)
        .bind(from_agent)
        .bind(from_userid)
        .bind(to_agent)
        .bind(to_userid)
        .bind(reason)
        .bind(timestamp(at))
        .execute(&mut *tx)
        .await?;
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        let row = sqlx::query(&format!(
            "SELECT {} FROM sessions WHERE id = $1",
            sessions::COLUMNS
        ))
        .bind(session_id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        sessions::record(&row).map(Some)
    }

    /// Undoes a hand-over TeamViewer refused: the holder back, the record removed, the audit
    /// event of the failure, in one transaction.
    pub async fn undo_hand_over(
        &self,
        handover: &HandoverRecord,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<()> {
        // Who acts, checked with TeamViewer before the transaction takes the write lock.
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE sessions SET agent = $2, teamviewer_userid = COALESCE($3, teamviewer_userid), \
             updated_at = $4 WHERE id = $1 AND agent = $5",
        )
        .bind(handover.session_id.as_str())
        .bind(handover.from_agent.as_str())
        .bind(handover.from_userid.as_deref())
        .bind(timestamp(at))
        .bind(handover.to_agent.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM session_handovers WHERE id = $1")
            .bind(handover.id.as_str())
            .execute(&mut *tx)
            .await?;
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A session's hand-overs, oldest first.
    pub async fn handovers(&self, session_id: &str) -> Result<Vec<HandoverRecord>> {
        sqlx::query(
            "SELECT id, session_id, from_agent, from_userid, to_agent, to_userid, reason, at \
             FROM session_handovers WHERE session_id = $1 ORDER BY at, id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(handover)
        .collect()
    }
}
