//! The agents who signed in to TeamViewer here, with their TeamViewer user ids: whom a session
//! can be handed over to (a team shares them through its PostgreSQL).

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{parse_timestamp, timestamp, Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentRecord {
    /// TeamViewer's account id (`u…`).
    pub userid: String,
    /// TeamViewer's account name.
    pub name: String,
    pub email: Option<String>,
    /// The agent as sessions and the audit trail name them.
    pub agent: String,
    pub first_seen_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
}

fn agent(r: &AnyRow) -> Result<AgentRecord> {
    Ok(AgentRecord {
        userid: r.get("userid"),
        name: r.get("name"),
        email: r.get("email"),
        agent: r.get("agent"),
        first_seen_at: parse_timestamp(&r.get::<String, _>("first_seen_at"))?,
        last_seen_at: parse_timestamp(&r.get::<String, _>("last_seen_at"))?,
    })
}

const COLUMNS: &str = "userid, name, email, agent, first_seen_at, last_seen_at";

impl Store {
    /// Records (or refreshes) an agent seen signed in as this TeamViewer user.
    pub async fn upsert_agent(
        &self,
        userid: &str,
        name: &str,
        email: Option<&str>,
        agent: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO agents (userid, name, email, agent, first_seen_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (userid) DO UPDATE SET name = excluded.name, email = excluded.email, \
             agent = excluded.agent, last_seen_at = excluded.last_seen_at",
        )
        .bind(userid)
        .bind(name)
        .bind(email)
        .bind(agent)
        .bind(timestamp(at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every agent who signed in here, most recently seen first.
    pub async fn agents(&self) -> Result<Vec<AgentRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM agents ORDER BY last_seen_at DESC, userid"
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(agent)
        .collect()
    }

    pub async fn agent_by_userid(&self, userid: &str) -> Result<Option<AgentRecord>> {
        sqlx::query(&format!("SELECT {COLUMNS} FROM agents WHERE userid = $1"))
            .bind(userid)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| agent(&r))
            .transpose()
    }
}
