//! Four-eyes approvals of unattended starts (`helpatwork_domain::policy::approval`): a request
//! held until another agent decides it, each step a compare-and-set on `state` in one
//! transaction with its audit event, so agents in several processes (a team's PostgreSQL)
//! never both decide one request, and an approval is used by one start only.

use helpatwork_domain::policy::ApprovalState;
use helpatwork_domain::Mode;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, NewAuditEvent};
use crate::sessions::{insert_row, is_unique_violation, SessionConflict, SessionRecord};
use crate::{parse_timestamp, timestamp, Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRecord {
    pub id: String,
    pub device_id: String,
    pub mode: Mode,
    pub requester: String,
    pub requester_account_id: Option<String>,
    pub reason: String,
    pub ticket: Option<String>,
    /// The policies that asked for the approval.
    pub policies: Vec<String>,
    pub approval_minutes: u32,
    pub state: ApprovalState,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    /// The request's end while pending; the approval's once approved.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub decided_by: Option<String>,
    pub decided_account_id: Option<String>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decision_reason: Option<String>,
    /// The session the approval let start.
    pub session_id: Option<String>,
}

const COLUMNS: &str = "id, device_id, mode, requester, requester_account_id, reason, ticket, \
    policies, approval_minutes, state, requested_at, expires_at, decided_by, decided_account_id, \
    decided_at, decision_reason, session_id";

fn record(r: &AnyRow) -> Result<ApprovalRecord> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("approval {what}"));
    let time = |c: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        r.get::<Option<String>, _>(c)
            .map(|t| parse_timestamp(&t))
            .transpose()
    };
    Ok(ApprovalRecord {
        id: r.get("id"),
        device_id: r.get("device_id"),
        mode: Mode::parse(&r.get::<String, _>("mode")).ok_or_else(|| corrupt("mode"))?,
        requester: r.get("requester"),
        requester_account_id: r.get("requester_account_id"),
        reason: r.get("reason"),
        ticket: r.get("ticket"),
        policies: serde_json::from_str(&r.get::<String, _>("policies"))
            .map_err(|_| corrupt("policies"))?,
        approval_minutes: u32::try_from(r.get::<i64, _>("approval_minutes"))
            .map_err(|_| corrupt("minutes"))?,
        state: ApprovalState::parse(&r.get::<String, _>("state"))
            .ok_or_else(|| corrupt("state"))?,
        requested_at: parse_timestamp(&r.get::<String, _>("requested_at"))?,
        expires_at: parse_timestamp(&r.get::<String, _>("expires_at"))?,
        decided_by: r.get("decided_by"),
        decided_account_id: r.get("decided_account_id"),
        decided_at: time("decided_at")?,
        decision_reason: r.get("decision_reason"),
        session_id: r.get("session_id"),
    })
}

/// A decision on a pending request.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub state: ApprovalState,
    pub by: &'a str,
    pub account_id: Option<&'a str>,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Approved: the approval's end.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub reason: Option<&'a str>,
}

impl Store {
    /// Marks every open request or approval past its end `expired`, each with its audit event
    /// (`approval.expired` by `actor`, the detail `detail` builds; one transaction each).
    /// Answers the ones it expired.
    pub async fn expire_approvals(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        actor: &str,
        detail: impl Fn(&ApprovalRecord) -> serde_json::Value,
    ) -> Result<Vec<ApprovalRecord>> {
        let due = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM session_approvals \
             WHERE state IN ('pending', 'approved') AND expires_at <= $1"
        ))
        .bind(timestamp(now))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect::<Result<Vec<_>>>()?;
        let mut expired = Vec::new();
        for a in due {
            let event = NewAuditEvent {
                actor,
                action: "approval.expired",
                device_id: Some(&a.device_id),
                session_id: None,
                detail: detail(&a),
            };
            if let Some(a) = self
                .move_approval(&a.id, a.state, ApprovalState::Expired, now, event)
                .await?
            {
                expired.push(a);
            }
        }
        Ok(expired)
    }

    /// Records a request (pending) with its audit event; when the requester already has an
    /// open one on the device, nothing is written and that one comes back (`false`).
    pub async fn request_approval(
        &self,
        a: &ApprovalRecord,
        event: NewAuditEvent<'_>,
    ) -> Result<(ApprovalRecord, bool)> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(&format!(
            "INSERT INTO session_approvals ({COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, NULL, NULL, NULL, NULL, NULL)"
        ))
        .bind(a.id.as_str())
        .bind(a.device_id.as_str())
        .bind(a.mode.as_str())
        .bind(a.requester.as_str())
        .bind(a.requester_account_id.as_deref())
        .bind(a.reason.as_str())
        .bind(a.ticket.as_deref())
        .bind(serde_json::to_string(&a.policies).unwrap_or_else(|_| "[]".into()))
        .bind(i64::from(a.approval_minutes))
        .bind(timestamp(a.requested_at))
        .bind(timestamp(a.expires_at))
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                drop(tx);
                let open = self
                    .open_approval(&a.device_id, &a.requester)
                    .await?
                    .ok_or_else(|| {
                        StoreError::Conflict("the open approval just ended; try again".into())
                    })?;
                return Ok((open, false));
            }
            Err(e) => return Err(e.into()),
        }
        audit::insert(
            &mut tx,
            &audit::new_id(),
            a.requested_at,
            &event,
            account.as_ref(),
        )
        .await?;
        tx.commit().await?;
        Ok((
            ApprovalRecord {
                state: ApprovalState::Pending,
                ..a.clone()
            },
            true,
        ))
    }

    /// The requester's pending or approved request on the device, if any (expired ones too
    /// until [`Store::expire_approvals`] marks them).
    pub async fn open_approval(
        &self,
        device_id: &str,
        requester: &str,
    ) -> Result<Option<ApprovalRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM session_approvals WHERE device_id = $1 AND requester = $2 \
             AND state IN ('pending', 'approved')"
        ))
        .bind(device_id)
        .bind(requester)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| record(&r))
        .transpose()
    }

    pub async fn approval(&self, id: &str) -> Result<Option<ApprovalRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM session_approvals WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| record(&r))
        .transpose()
    }

    /// The requests, newest first: only the open ones, or all of them.
    pub async fn approvals(&self, open_only: bool, limit: u32) -> Result<Vec<ApprovalRecord>> {
        let filter = if open_only {
            " WHERE state IN ('pending', 'approved')"
        } else {
            ""
        };
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM session_approvals{filter} \
             ORDER BY requested_at DESC, id DESC LIMIT $1"
        ))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// Approves or refuses a pending request that has not expired at `decision.at`. `None`
    /// when it was no longer pending (another agent decided it, or it expired): nothing written.
    pub async fn decide_approval(
        &self,
        id: &str,
        decision: &Decision<'_>,
        event: NewAuditEvent<'_>,
    ) -> Result<Option<ApprovalRecord>> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE session_approvals SET state = $2, decided_by = $3, decided_account_id = $4, \
             decided_at = $5, decision_reason = $6, expires_at = $7 \
             WHERE id = $1 AND state = 'pending' AND expires_at > $5",
        )
        .bind(id)
        .bind(decision.state.as_str())
        .bind(decision.by)
        .bind(decision.account_id)
        .bind(timestamp(decision.at))
        .bind(decision.reason)
        .bind(timestamp(decision.expires_at))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        audit::insert(
            &mut tx,
            &audit::new_id(),
            decision.at,
            &event,
            account.as_ref(),
        )
        .await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM session_approvals WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        record(&row).map(Some)
    }

    /// Moves a request from `from` to `to` (expired), compare-and-set, with its event.
    async fn move_approval(
        &self,
        id: &str,
        from: ApprovalState,
        to: ApprovalState,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<Option<ApprovalRecord>> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let changed =
            sqlx::query("UPDATE session_approvals SET state = $3 WHERE id = $1 AND state = $2")
                .bind(id)
                .bind(from.as_str())
                .bind(to.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM session_approvals WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        record(&row).map(Some)
    }

    /// The requester's start under an approval: the approval `used` (compare-and-set: still
    /// approved and not expired at the session's start) and the session row `requested`, with
    /// both audit events, in one transaction. An approval no longer valid writes nothing
    /// (`SessionConflict::Store(StoreError::Conflict)`); a device already held, the holder.
    pub async fn insert_session_with_approval(
        &self,
        s: &SessionRecord,
        approval_id: &str,
        used: NewAuditEvent<'_>,
        event: NewAuditEvent<'_>,
    ) -> std::result::Result<(), SessionConflict> {
        let store = |e: sqlx::Error| SessionConflict::Store(e.into());
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await.map_err(SessionConflict::Store)?;
        let changed = sqlx::query(
            "UPDATE session_approvals SET state = 'used', session_id = $2 \
             WHERE id = $1 AND state = 'approved' AND expires_at > $3",
        )
        .bind(approval_id)
        .bind(s.id.as_str())
        .bind(timestamp(s.created_at))
        .execute(&mut *tx)
        .await
        .map_err(store)?
        .rows_affected();
        if changed == 0 {
            return Err(SessionConflict::Store(StoreError::Conflict(
                "the approval is no longer valid".into(),
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
        for e in [&used, &event] {
            audit::insert(&mut tx, &audit::new_id(), s.created_at, e, account.as_ref())
                .await
                .map_err(SessionConflict::Store)?;
        }
        tx.commit().await.map_err(store)?;
        Ok(())
    }
}
