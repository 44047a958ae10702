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

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub device_id: Option<String>,
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    pub limit: u32,
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

    pub async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>> {
        let mut sql = String::from(
            "SELECT id, at, actor, action, device_id, session_id, detail FROM audit_events WHERE 1 = 1",
        );
        let mut n = 0;
        if query.device_id.is_some() {
            n += 1;
            sql.push_str(&format!(" AND device_id = ${n}"));
        }
        if query.since.is_some() {
            n += 1;
            sql.push_str(&format!(" AND at >= ${n}"));
        }
        sql.push_str(&format!(" ORDER BY at DESC, id DESC LIMIT ${}", n + 1));
        let mut q = sqlx::query(&sql);
        if let Some(d) = &query.device_id {
            q = q.bind(d.clone());
        }
        if let Some(s) = query.since {
            q = q.bind(timestamp(s));
        }
        let limit = if query.limit == 0 { 1000 } else { query.limit };
        let rows = q.bind(i64::from(limit)).fetch_all(&self.pool).await?;
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
}
