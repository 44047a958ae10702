//! Non-secret key/value preferences.

use sqlx::Row;

use crate::{timestamp, Result, Store};

impl Store {
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get::<String, _>(0)))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(timestamp(chrono::Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// A lease kept in a settings row: `value` names the holder (empty when free), `updated_at` is
/// when the holder last renewed it. Taking, renewing and giving it back are single conditional
/// statements, so two processes (on one SQLite file or one PostgreSQL database) never both hold it.
impl Store {
    /// Takes the lease `key` for `holder` when it is free or its holder last renewed it before
    /// `stale_before`; `false` when another holder has it.
    pub async fn take_lease(
        &self,
        key: &str,
        holder: &str,
        now: chrono::DateTime<chrono::Utc>,
        stale_before: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool> {
        let taken = sqlx::query(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
             WHERE settings.value = '' OR settings.updated_at < $4",
        )
        .bind(key)
        .bind(holder)
        .bind(timestamp(now))
        .bind(timestamp(stale_before))
        .execute(&self.pool)
        .await?;
        Ok(taken.rows_affected() == 1)
    }

    /// Renews the lease while `holder` has it; `false` when it was taken over.
    pub async fn renew_lease(
        &self,
        key: &str,
        holder: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool> {
        let renewed =
            sqlx::query("UPDATE settings SET updated_at = $1 WHERE key = $2 AND value = $3")
                .bind(timestamp(now))
                .bind(key)
                .bind(holder)
                .execute(&self.pool)
                .await?;
        Ok(renewed.rows_affected() == 1)
    }

    /// Gives the lease back, if `holder` still has it.
    pub async fn release_lease(&self, key: &str, holder: &str) -> Result<()> {
        sqlx::query("UPDATE settings SET value = '' WHERE key = $1 AND value = $2")
            .bind(key)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
