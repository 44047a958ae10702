//! The admin facts every preflight judges (the tenant, its integrations, the support policies),
//! kept in memory by a long-running process.
//!
//! They change a few times a year and are read on every preflight. Every write to them bumps
//! `admin_version.version` in its transaction ([`bump`]); a read first reads that number (one
//! small query instead of three) and reads the facts again only when it moved, so a change made
//! by another process or another agent of a team shows up on the next read. The number is read
//! before the facts: a write landing between the two leaves the facts newer than their number,
//! never older, and the next read reads them again.

use std::sync::{Arc, Mutex};

use crate::{Integration, PolicyRecord, Result, Store, Tenant};

/// The admin facts as of one `admin_version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminFacts {
    pub tenant: Tenant,
    pub integrations: Vec<Integration>,
    pub policies: Vec<PolicyRecord>,
}

/// The last facts read, with their version (`None` before the first read).
pub(crate) type Cache = Arc<Mutex<Option<(i64, Arc<AdminFacts>)>>>;

const VERSION_SQL: &str = "SELECT version FROM admin_version WHERE id = 1";

/// What every write to the tenant, an integration or a policy runs in its transaction.
pub(crate) async fn bump(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    sqlx::query("UPDATE admin_version SET version = version + 1 WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// The tenant, its integrations and the support policies as stored now. A long-running
    /// process reads them again only after a write to any of them; a one-shot command reads
    /// them each time.
    pub async fn admin_facts(&self) -> Result<Arc<AdminFacts>> {
        let Some(cache) = &self.admin else {
            return Ok(Arc::new(self.read_admin_facts().await?));
        };
        let version: i64 = sqlx::query_scalar(VERSION_SQL)
            .fetch_one(&self.pool)
            .await?;
        if let Some((held, facts)) = cache.lock().ok().and_then(|c| c.clone()) {
            if held == version {
                return Ok(facts);
            }
        }
        let facts = Arc::new(self.read_admin_facts().await?);
        if let Ok(mut held) = cache.lock() {
            // A slower reader of an older version does not replace a newer one.
            if held.as_ref().is_none_or(|(v, _)| *v <= version) {
                *held = Some((version, facts.clone()));
            }
        }
        Ok(facts)
    }

    async fn read_admin_facts(&self) -> Result<AdminFacts> {
        let (tenant, integrations, policies) =
            tokio::try_join!(self.tenant(), self.integrations(), self.policies())?;
        Ok(AdminFacts {
            tenant,
            integrations,
            policies,
        })
    }
}
