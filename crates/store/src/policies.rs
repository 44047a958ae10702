//! Support policies as their admins wrote them (JSON bodies the app validates), each change in
//! one transaction with its audit event, which the app builds from the body before and after.

use sqlx::Row;

use crate::audit::{self, NewAuditEvent};
use crate::{parse_timestamp, timestamp, Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRecord {
    pub name: String,
    /// The policy as JSON (`helpatwork_domain::policy::Policy`).
    pub body: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub updated_by: String,
}

fn record(r: &sqlx::any::AnyRow) -> Result<PolicyRecord> {
    Ok(PolicyRecord {
        name: r.get("name"),
        body: r.get("body"),
        updated_at: parse_timestamp(&r.get::<String, _>("updated_at"))?,
        updated_by: r.get("updated_by"),
    })
}

impl Store {
    /// Every policy, by name.
    pub async fn policies(&self) -> Result<Vec<PolicyRecord>> {
        sqlx::query("SELECT name, body, updated_at, updated_by FROM support_policies ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(record)
            .collect()
    }

    pub async fn policy(&self, name: &str) -> Result<Option<PolicyRecord>> {
        sqlx::query(
            "SELECT name, body, updated_at, updated_by FROM support_policies WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| record(&r))
        .transpose()
    }

    /// Writes the policy (new or replaced) and its audit event, which `event` builds from the
    /// body it replaces (`None`: a new policy), read in the same transaction. Answers that body.
    pub async fn save_policy<'e>(
        &self,
        name: &str,
        body: &str,
        by: &str,
        at: chrono::DateTime<chrono::Utc>,
        event: impl FnOnce(Option<&str>) -> NewAuditEvent<'e>,
    ) -> Result<Option<String>> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        // The write first, so SQLite takes its write lock before the read (no lock upgrade).
        sqlx::query(
            "INSERT INTO support_policies (name, body, updated_at, updated_by) \
             VALUES ($1, '', $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(timestamp(at))
        .bind(by)
        .execute(&mut *tx)
        .await?;
        let before: String = sqlx::query("SELECT body FROM support_policies WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        let before = (!before.is_empty()).then_some(before);
        sqlx::query(
            "UPDATE support_policies SET body = $2, updated_at = $3, updated_by = $4 WHERE name = $1",
        )
        .bind(name)
        .bind(body)
        .bind(timestamp(at))
        .bind(by)
        .execute(&mut *tx)
        .await?;
        let event = event(before.as_deref());
        crate::admin_facts::bump(&mut tx).await?;
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(before)
    }

    /// Removes the policy with its audit event (built from the removed body); `None` when no
    /// policy has that name (nothing written).
    pub async fn remove_policy<'e>(
        &self,
        name: &str,
        at: chrono::DateTime<chrono::Utc>,
        event: impl FnOnce(&str) -> NewAuditEvent<'e>,
    ) -> Result<Option<String>> {
        let account = self.audit_account().await;
        let mut tx = self.begin_write().await?;
        let removed = sqlx::query("DELETE FROM support_policies WHERE name = $1 RETURNING body")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.get::<String, _>(0));
        let Some(before) = removed else {
            return Ok(None);
        };
        let event = event(&before);
        crate::admin_facts::bump(&mut tx).await?;
        audit::insert(&mut tx, &audit::new_id(), at, &event, account.as_ref()).await?;
        tx.commit().await?;
        Ok(Some(before))
    }
}
