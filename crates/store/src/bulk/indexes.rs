//! A first load builds the devices table's indexes after its rows (SQLite).
//!
//! Into an empty table, each index is built in one sorted pass once the rows are in, instead of
//! taking every row at its place in the name order (and, for a fleet whose ids are GUIDs, at a
//! random place). An import is one transaction: it drops the indexes at its first batch and
//! builds them again before its commit. A sync writes each batch in a transaction of its own, so
//! its first load records the dropped indexes in `deferred_indexes`, in the transaction that
//! drops them, and [`Store::build_deferred_indexes`] builds them when the sync ends, whichever
//! way it ends. Other connections see the rows committed so far without those indexes: their
//! answers are the same, only slower.

use sqlx::Row;

use super::DeviceWrite;
use crate::{Backend, Result, Store};

/// A load of this many devices or more into an empty SQLite store builds the devices table's
/// secondary indexes after its rows.
pub(super) const DEFER_FROM: usize = 5_000;

/// The page cache an index build sorts with: the sort itself runs in SQLite's temporary
/// storage, which is memory here, so a larger cache only adds to the peak (64 MB gave a
/// 310 MiB peak importing 1,000,000 devices).
const BUILD_CACHE: &str = "PRAGMA cache_size = -16384";

impl DeviceWrite {
    /// The first load of a SQLite store (its devices table empty, a load of [`DEFER_FROM`]
    /// devices or more): the table's secondary indexes are dropped in this transaction, to be
    /// built again at its commit or, for a sync's batch, when the sync ends. The index of ids
    /// spelled otherwise stays: each batch's look-up reads it (and the first load writes few
    /// entries to it). SQLite's schema changes are transactional: a rollback, or a crash before
    /// the commit, leaves the store with its indexes and without the rows.
    /// `empty`: the devices table held no row when this write began.
    pub(super) async fn defer_indexes(&mut self, load: usize, empty: bool) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let pending = take_pending(&mut self.tx, self.load.is_none()).await?;
        if !pending.is_empty() {
            // A sync's first load dropped them: its later batches leave them so; any other
            // write (an import, or anything after a sync that was killed) builds them at its
            // commit.
            if self.load.is_none() {
                self.deferred = pending;
            }
            return Ok(());
        }
        if load < DEFER_FROM || !empty {
            return Ok(());
        }
        let indexes: Vec<(String, String)> = sqlx::query(
            "SELECT name, sql FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = 'devices' AND sql IS NOT NULL \
             AND name <> 'devices_id_key_other' ORDER BY name",
        )
        .fetch_all(&mut *self.tx)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
        for (name, sql) in indexes {
            sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *self.tx)
                .await?;
            if self.load.is_some() {
                sqlx::query("INSERT INTO deferred_indexes (name, sql) VALUES (?, ?)")
                    .bind(&name)
                    .bind(&sql)
                    .execute(&mut *self.tx)
                    .await?;
            } else {
                self.deferred.push(sql);
            }
        }
        Ok(())
    }

    /// Builds the indexes this write dropped (before its commit).
    pub(super) async fn build_dropped(&mut self) -> Result<()> {
        if self.deferred.is_empty() {
            return Ok(());
        }
        sqlx::query(BUILD_CACHE).execute(&mut *self.tx).await?;
        for sql in std::mem::take(&mut self.deferred) {
            sqlx::query(&sql).execute(&mut *self.tx).await?;
        }
        Ok(())
    }
}

impl Store {
    /// Builds the devices table's indexes a sync's first load left dropped, in one transaction;
    /// returns how many. A sync calls it when it ends; a sync that was killed left them for the
    /// next one (whose first load they then still speed up). Nothing to do costs one read.
    pub async fn build_deferred_indexes(&self) -> Result<usize> {
        if self.backend != Backend::Sqlite
            || sqlx::query("SELECT 1 FROM deferred_indexes LIMIT 1")
                .fetch_optional(&self.pool)
                .await?
                .is_none()
        {
            return Ok(0);
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let pending = take_pending(&mut tx, true).await?;
        let built = pending.len();
        if built > 0 {
            sqlx::query(BUILD_CACHE).execute(&mut *tx).await?;
        }
        for sql in pending {
            sqlx::query(&sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(built)
    }
}

/// The `CREATE INDEX` statements of the dropped indexes a sync's first load recorded (those
/// still missing); `take` deletes the records, in the caller's transaction, for it to build
/// them before its commit.
async fn take_pending(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    take: bool,
) -> Result<Vec<String>> {
    // Each recorded index, and whether it exists already (then it is not built again).
    let recorded: Vec<(String, bool)> = sqlx::query(
        "SELECT sql, name IN (SELECT name FROM sqlite_master WHERE type = 'index') \
         FROM deferred_indexes ORDER BY name",
    )
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get::<i64, _>(1) != 0))
    .collect();
    if take && !recorded.is_empty() {
        sqlx::query("DELETE FROM deferred_indexes")
            .execute(&mut **tx)
            .await?;
    }
    let pending = recorded
        .into_iter()
        .filter(|(_, exists)| !exists)
        .map(|(sql, _)| sql)
        .collect();
    Ok(pending)
}
