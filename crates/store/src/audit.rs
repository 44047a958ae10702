//! The audit trail: who did what, when. Append-only.

use serde::Serialize;
use sqlx::Row;

use crate::{parse_timestamp, timestamp, Result, Store};

#[derive(Debug, Clone)]
pub struct NewAuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub device_id: Option<&'a str>,
    pub session_id: Option<&'a str>,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub device_id: Option<String>,
    pub session_id: Option<String>,
    pub detail: serde_json::Value,
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

pub(crate) async fn insert<'e, E>(
    executor: E,
    id: &str,
    at: chrono::DateTime<chrono::Utc>,
    event: &NewAuditEvent<'_>,
) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO audit_events (id, at, actor, action, device_id, session_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(timestamp(at))
    .bind(event.actor)
    .bind(event.action)
    .bind(event.device_id)
    .bind(event.session_id)
    .bind(event.detail.to_string())
    .execute(executor)
    .await?;
    Ok(())
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Store {
    pub async fn append_audit(&self, event: NewAuditEvent<'_>) -> Result<String> {
        let at = chrono::Utc::now();
        let id = new_id();
        insert(&self.pool, &id, at, &event).await?;
        Ok(id)
    }

    /// Appends an event that happened at `at` (imports of past events, tests).
    pub async fn append_audit_at(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        event: NewAuditEvent<'_>,
    ) -> Result<String> {
        let id = new_id();
        insert(&self.pool, &id, at, &event).await?;
        Ok(id)
    }

    /// Events matching `query`, newest first, `query.offset` skipped, at most `query.limit`.
    pub async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let (filters, binds) = query.filters();
        let n = binds.len();
        let sql = format!(
            "SELECT id, at, actor, action, device_id, session_id, detail FROM audit_events \
             WHERE 1 = 1{filters} ORDER BY at DESC, id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = q.bind(b);
        }
        let limit = if query.limit == 0 { 1000 } else { query.limit };
        let rows = q
            .bind(i64::from(limit))
            .bind(i64::from(query.offset))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEvent {
                    id: r.get(0),
                    at: parse_timestamp(&r.get::<String, _>(1))?,
                    actor: r.get(2),
                    action: r.get(3),
                    device_id: r.get(4),
                    session_id: r.get(5),
                    detail: serde_json::from_str(&r.get::<String, _>(6))
                        .unwrap_or(serde_json::Value::Null),
                })
            })
            .collect()
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
