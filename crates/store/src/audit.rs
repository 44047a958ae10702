//! The audit trail: who did what, when. Append-only.
//!
//! Who acted is two things: `actor`, the OS account the command ran as (what the filters and
//! the facets use), and the TeamViewer account the agent is signed in with, as TeamViewer
//! itself answered `GET /account` for the token this process holds (`actor_account_id`,
//! `actor_account_name`; both NULL when no sign-in could be verified: the OS account alone,
//! unverified). The app gives the store how to verify the account ([`Store::verify_account_with`]);
//! it runs once (when the first event needs it, or earlier in the background), and every event
//! waits for its answer before its transaction begins, so no lock is held while TeamViewer
//! answers.

use std::future::Future;
use std::sync::Mutex;

use futures_util::future::{BoxFuture, FutureExt, Shared};
use serde::Serialize;
use sqlx::Row;

use crate::chain::{ChainVerification, HashedRecord};
use crate::{chain, parse_timestamp, timestamp, Result, Store};

/// A TeamViewer account as TeamViewer answered for the token held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifiedAccount {
    pub userid: String,
    pub name: String,
}

type AccountFuture = Shared<BoxFuture<'static, Option<VerifiedAccount>>>;

/// The account the audit events are written as: `None` until the app says how to verify it.
#[derive(Default)]
pub(crate) struct Actor {
    account: Mutex<Option<AccountFuture>>,
}

impl std::fmt::Debug for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Actor").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub device_id: Option<&'a str>,
    pub session_id: Option<&'a str>,
    pub detail: serde_json::Value,
}

/// The columns [`event_from_row`] reads, in its order.
pub(crate) const EVENT_COLUMNS: &str = "id, at, actor, action, device_id, session_id, detail, \
                                        actor_account_id, actor_account_name, seq, hash";

/// An event as read with [`EVENT_COLUMNS`].
pub(crate) fn event_from_row(r: &sqlx::any::AnyRow) -> Result<AuditEvent> {
    Ok(AuditEvent {
        id: r.get(0),
        at: parse_timestamp(&r.get::<String, _>(1))?,
        actor: r.get(2),
        action: r.get(3),
        device_id: r.get(4),
        session_id: r.get(5),
        detail: serde_json::from_str(&r.get::<String, _>(6)).unwrap_or(serde_json::Value::Null),
        account: r.get::<Option<String>, _>(7).map(|userid| VerifiedAccount {
            userid,
            name: r.get::<Option<String>, _>(8).unwrap_or_default(),
        }),
        seq: r.get(9),
        hash: r.get(10),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// The OS account the command ran as.
    pub actor: String,
    /// The TeamViewer account verified for the agent, if any.
    pub account: Option<VerifiedAccount>,
    pub action: String,
    pub device_id: Option<String>,
    pub session_id: Option<String>,
    pub detail: serde_json::Value,
    /// Its position in the hash chain (crate::chain).
    pub seq: Option<i64>,
    /// Its link's hash (crate::chain).
    pub hash: Option<String>,
}

/// Which events: every filter is optional and they combine with AND. `since` is inclusive,
/// `until` exclusive. `limit` 0 means 1000; `offset` skips that many of the newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub device_id: Option<String>,
    /// The agent (or admin) who acted, exactly.
    pub actor: Option<String>,
    /// The action, exactly (e.g. `session.start`).
    pub action: Option<String>,
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub offset: u32,
    pub limit: u32,
}

impl AuditQuery {
    /// ` AND …` for the filters that are set, numbered from `$1`, and the values to bind in order.
    fn filters(&self) -> (String, Vec<String>) {
        let mut sql = String::new();
        let mut binds = Vec::new();
        let mut add = |clause: &str, value: String| {
            binds.push(value);
            sql.push_str(&format!(" AND {clause} ${}", binds.len()));
        };
        if let Some(d) = &self.device_id {
            add("device_id =", d.clone());
        }
        if let Some(a) = &self.actor {
            add("actor =", a.clone());
        }
        if let Some(a) = &self.action {
            add("action =", a.clone());
        }
        if let Some(s) = self.since {
            add("at >=", timestamp(s));
        }
        if let Some(u) = self.until {
            add("at <", timestamp(u));
        }
        (sql, binds)
    }
}

/// An event as written: its id, its position in the chain, and the record as hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditWritten {
    pub id: String,
    pub seq: i64,
    pub record: HashedRecord,
}

/// Writes an audit event as the chain's next link, and its outbox rows (one per SIEM sink), in
/// the caller's transaction (every event is written here: crate::chain, crate::outbox). The transaction holds the chain's head until it ends, so it
/// should write the event after its other writes.
pub(crate) async fn insert(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    at: chrono::DateTime<chrono::Utc>,
    event: &NewAuditEvent<'_>,
    account: Option<&VerifiedAccount>,
) -> Result<AuditWritten> {
    let record = chain::AuditRecord {
        v: chain::RECORD_VERSION,
        seq: None,
        id: id.to_string(),
        at: timestamp(at),
        actor: event.actor.to_string(),
        actor_account_id: account.map(|a| a.userid.clone()),
        actor_account_name: account.map(|a| a.name.clone()),
        action: event.action.to_string(),
        device_id: event.device_id.map(str::to_string),
        session_id: event.session_id.map(str::to_string),
        detail: event.detail.to_string(),
        prev: None,
    };
    let written = chain::append(&mut *conn, record).await?;
    // The event's outbox rows, one per SIEM sink, in the same transaction.
    crate::outbox::enqueue(conn, id, at).await?;
    Ok(AuditWritten {
        id: id.to_string(),
        seq: written.record.seq.unwrap_or_default(),
        record: written,
    })
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Store {
    /// How to verify the TeamViewer account of the agent (the app asks TeamViewer): run once,
    /// when the first audit event needs it or [`Store::prefetch_account`] starts it.
    pub fn verify_account_with(
        &self,
        verify: impl Future<Output = Option<VerifiedAccount>> + Send + 'static,
    ) {
        let shared = verify.boxed().shared();
        *self.actor.account.lock().unwrap_or_else(|e| e.into_inner()) = Some(shared);
    }

    /// Starts verifying the account in the background now (a command that will write audit
    /// events while it waits on other calls: the session start).
    pub fn prefetch_account(&self) {
        let pending = self
            .actor
            .account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let (Some(account), Ok(runtime)) = (pending, tokio::runtime::Handle::try_current()) {
            runtime.spawn(account);
        }
    }

    /// The verified TeamViewer account audit events are written with, if any.
    pub async fn audit_account(&self) -> Option<VerifiedAccount> {
        let pending = self
            .actor
            .account
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        match pending {
            Some(account) => account.await,
            None => None,
        }
    }

    pub async fn append_audit(&self, event: NewAuditEvent<'_>) -> Result<String> {
        let account = self.audit_account().await;
        let at = chrono::Utc::now();
        self.append_audit_with(at, &event, account.as_ref()).await
    }

    /// Appends an event that happened at `at` (imports of past events, tests).
    pub async fn append_audit_at(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<String> {
        let account = self.audit_account().await;
        self.append_audit_with(at, &event, account.as_ref()).await
    }

    /// One event in a transaction of its own.
    async fn append_audit_with(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        event: &NewAuditEvent<'_>,
        account: Option<&VerifiedAccount>,
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let written = insert(&mut tx, &new_id(), at, event, account).await?;
        tx.commit().await?;
        Ok(written.id)
    }

    /// Events matching `query`, newest first, `query.offset` skipped, at most `query.limit`.
    pub async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let rows = self.audit_page(EVENT_COLUMNS, query).await?;
        rows.iter().map(event_from_row).collect()
    }

    /// Events matching `query` as stored and hashed (crate::chain), newest first, `query.offset`
    /// skipped, at most `query.limit`: what an export writes.
    pub async fn audit_records(&self, query: &AuditQuery) -> Result<Vec<HashedRecord>> {
        let rows = self.audit_page(chain::RECORD_COLUMNS, query).await?;
        Ok(rows.iter().map(chain::record).collect())
    }

    /// The rows of `columns` for one page of `query`, newest first.
    async fn audit_page(
        &self,
        columns: &str,
        query: &AuditQuery,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        let (filters, binds) = query.filters();
        let n = binds.len();
        let sql = format!(
            "SELECT {columns} FROM audit_events WHERE 1 = 1{filters} ORDER BY at DESC, id DESC \
             LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let limit = if query.limit == 0 { 1000 } else { query.limit };
        Ok(q.bind(i64::from(limit))
            .bind(i64::from(query.offset))
            .fetch_all(&self.pool)
            .await?)
    }

    /// Walks the audit chain from its first event and reports the first broken link, if any
    /// (crate::chain). Reads a page at a time, never the whole trail at once.
    pub async fn verify_audit_chain(&self) -> Result<ChainVerification> {
        chain::verify(&self.pool).await
    }

    /// How many events match `query` (its offset and limit ignored).
    pub async fn audit_count(&self, query: &AuditQuery) -> Result<u32> {
        let (filters, binds) = query.filters();
        let sql = format!("SELECT COUNT(*) FROM audit_events WHERE 1 = 1{filters}");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let n: i64 = q.fetch_one(&self.pool).await?.get(0);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// The distinct actors and actions recorded, sorted: the choices of the audit filters.
    pub async fn audit_facets(&self) -> Result<AuditFacets> {
        let actors = sqlx::query("SELECT DISTINCT actor FROM audit_events ORDER BY actor")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        let actions = sqlx::query("SELECT DISTINCT action FROM audit_events ORDER BY action")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        Ok(AuditFacets { actors, actions })
    }
}

/// The values the audit trail holds for its filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AuditFacets {
    pub actors: Vec<String>,
    pub actions: Vec<String>,
}
