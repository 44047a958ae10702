//! The fleet: devices and their installed apps.

use std::collections::HashMap;

use helpatwork_domain::{eligibility, Device, InstalledApp, Platform, Readiness};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::device_read::{
    management_column, row_to_device_row, DeviceRow, PAGE_COLUMNS, ROW_COLUMNS,
};
use crate::{timestamp, Backend, Result, Store};

/// Ids in one `IN (…)` list (deleting or stamping devices' rows).
const BATCH: usize = 400;
/// Rows in one multi-row INSERT of a bulk write: 1,350 rows of 24 values stay under SQLite's
/// 32,766 bound parameters (PostgreSQL allows 65,535).
const ROWS_PER_INSERT: usize = 1_350;

/// Ids looked up in one query of a bulk write.
const LOOKUP_BATCH: usize = 4_000;

/// A device whose stored row must be written, with what the write derives from it.
struct Changed<'a> {
    device: &'a Device,
    hash: String,
    sort_key: String,
    /// The store holds a row for it already (an update, not an insert).
    stored: bool,
}

impl<'a> Changed<'a> {
    fn new(device: &'a Device, hash: String, stored: bool) -> Self {
        Self {
            device,
            hash,
            sort_key: device.name.to_lowercase(),
            stored,
        }
    }
}
/// Rows written at once from which PostgreSQL gets a `VACUUM (ANALYZE)` of the devices table.
const BULK_ROWS: u32 = 10_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceQuery {
    /// Matches name, user, e-mail, manufacturer, model and id, case-insensitively.
    pub search: Option<String>,
    /// `Other` matches every platform but Android and iOS.
    pub platform: Option<Platform>,
    pub readiness: Option<Readiness>,
    pub offset: u32,
    pub limit: u32,
    /// Also count all matches (costs a second pass over the matches).
    pub count: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DevicePage {
    pub total: Option<u32>,
    pub offset: u32,
    pub items: Vec<DeviceRow>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
}

fn content_hash(device: &Device) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(device).unwrap_or_default();
    let digest = Sha256::digest(&json);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    digest
        .iter()
        .take(12)
        .flat_map(|b| {
            [
                HEX[usize::from(b >> 4)] as char,
                HEX[usize::from(b & 15)] as char,
            ]
        })
        .collect()
}

/// `%`, `_` and `\` taken literally in a LIKE pattern with `ESCAPE '\'`.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// `($first, …)` for `count` parameters. SQLite gets anonymous `?`: resolving a numbered name
/// costs SQLite a walk over every name, which is quadratic in a multi-row statement.
pub(crate) fn placeholders(backend: Backend, first: usize, count: usize) -> String {
    let mut out = String::with_capacity(2 + count * 8);
    push_placeholders(&mut out, backend, first, count);
    out
}

/// [`placeholders`], appended to `out` (a multi-row statement builds its text in one string).
fn push_placeholders(out: &mut String, backend: Backend, first: usize, count: usize) {
    use std::fmt::Write;
    out.push('(');
    for i in first..first + count {
        if i > first {
            out.push_str(", ");
        }
        match backend {
            Backend::Sqlite => out.push('?'),
            Backend::Postgres => {
                let _ = write!(out, "${i}");
            }
        }
    }
    out.push(')');
}

/// `VALUES` rows for `rows` rows of `columns` parameters each.
fn values_rows(backend: Backend, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 8);
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        push_placeholders(&mut out, backend, row * columns + 1, columns);
    }
    out
}

struct Filters<'a> {
    pattern: Option<&'a str>,
    platform: Option<Platform>,
    readiness: Option<Readiness>,
}

impl<'a> Filters<'a> {
    fn bind<'q>(
        &self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        if let Some(p) = self.pattern {
            q = q.bind(p.to_string());
        }
        if let Some(p) = self.platform.filter(|p| *p != Platform::Other) {
            q = q.bind(p.as_str());
        }
        if let Some(r) = self.readiness {
            q = q.bind(r.as_str());
        }
        q
    }
}

/// Records that a sync run saw these (unchanged) devices; a device removed earlier is live again.
///
/// Two statements on purpose: `sync_run` is in no index, so stamping it rewrites no index entry,
/// while assigning `removed_at` (which every partial index's condition names) would make SQLite
/// rewrite each of those entries for every row.
async fn stamp_seen(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    ids: &[&str],
    run: &str,
) -> Result<u64> {
    let mut revived = 0;
    let run_param = match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => "$1".to_string(),
    };
    for chunk in ids.chunks(BATCH) {
        let list = placeholders(backend, 2, chunk.len());
        let stamp = format!("UPDATE devices SET sync_run = {run_param} WHERE id IN {list}");
        let mut q = sqlx::query(&stamp).bind(run);
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut **tx).await?;
        let revive = format!(
            "UPDATE devices SET removed_at = NULL WHERE removed_at IS NOT NULL AND id IN {}",
            placeholders(backend, 1, chunk.len())
        );
        let mut q = sqlx::query(&revive);
        for id in chunk {
            q = q.bind(*id);
        }
        revived += q.execute(&mut **tx).await?.rows_affected();
    }
    Ok(revived)
}

impl Store {
    /// Inserts or updates devices (and replaces their apps) in one transaction: all or nothing.
    /// Devices whose content did not change are left alone, so a re-import is idempotent.
    pub async fn upsert_devices(&self, devices: &[Device], source: &str) -> Result<ImportSummary> {
        self.write_devices(devices, source, None).await
    }

    /// What [`Store::upsert_devices`] does for devices a sync run read, and in the same
    /// transaction records that the run saw each of them (see [`Store::mark_unseen_removed`]);
    /// a device removed earlier is live again.
    pub async fn upsert_seen_devices(
        &self,
        devices: &[Device],
        source: &str,
        run: &str,
    ) -> Result<ImportSummary> {
        self.write_devices(devices, source, Some(run)).await
    }

    async fn write_devices(
        &self,
        devices: &[Device],
        source: &str,
        run: Option<&str>,
    ) -> Result<ImportSummary> {
        let mut existing: HashMap<String, String> = HashMap::new();
        for chunk in devices.chunks(LOOKUP_BATCH) {
            let sql = format!(
                "SELECT id, content_hash FROM devices WHERE id IN {}",
                placeholders(self.backend, 1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for d in chunk {
                q = q.bind(d.id.as_str());
            }
            for row in q.fetch_all(&self.pool).await? {
                existing.insert(row.get(0), row.get(1));
            }
        }

        let mut summary = ImportSummary::default();
        let mut changed: Vec<Changed> = Vec::new();
        let mut unchanged: Vec<&str> = Vec::new();
        for d in devices {
            let hash = content_hash(d);
            match existing.get(&d.id) {
                Some(old) if *old == hash => {
                    summary.unchanged += 1;
                    unchanged.push(d.id.as_str());
                }
                Some(_) => {
                    summary.updated += 1;
                    changed.push(Changed::new(d, hash, true));
                }
                None => {
                    summary.inserted += 1;
                    changed.push(Changed::new(d, hash, false));
                }
            }
        }
        if changed.is_empty() && (run.is_none() || unchanged.is_empty()) {
            return Ok(summary);
        }
        // Rows are written in the order of the list's indexes (name, then id), so each statement
        // touches a few neighbouring index pages instead of one page per row: SQLite journals
        // every page a statement changes (the statement journal) and rewrites every page a
        // transaction changes, so a batch in arrival order rewrote most of each index many
        // times over (at 100,000 devices, 4.4 GB of statement journal for a 120 MB store).
        changed
            .sort_unstable_by(|a, b| (&a.sort_key, &a.device.id).cmp(&(&b.sort_key, &b.device.id)));

        let now = timestamp(chrono::Utc::now());
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Sqlite {
            // Room for the whole batch in SQLite's page cache: otherwise it spills pages to the
            // WAL mid-transaction and reads them back (most of a large import's time).
            sqlx::query("PRAGMA cache_size = -65536")
                .execute(&mut *tx)
                .await?;
        }
        const COLS: usize = 24;
        for chunk in changed.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO devices (id, name, user_name, user_email, platform, os_version, manufacturer, model, \
                 kiosk, mam_only, online, last_checkin, host_activated, host_activation, apps_known, management, \
                 readiness, search_text, sort_key, content_hash, source, removed_at, updated_at, sync_run) VALUES {} \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, user_name = excluded.user_name, \
                 user_email = excluded.user_email, platform = excluded.platform, os_version = excluded.os_version, \
                 manufacturer = excluded.manufacturer, model = excluded.model, kiosk = excluded.kiosk, \
                 mam_only = excluded.mam_only, online = excluded.online, last_checkin = excluded.last_checkin, \
                 host_activated = excluded.host_activated, host_activation = excluded.host_activation, \
                 apps_known = excluded.apps_known, management = excluded.management, readiness = excluded.readiness, \
                 search_text = excluded.search_text, sort_key = excluded.sort_key, \
                 content_hash = excluded.content_hash, source = excluded.source, removed_at = NULL, \
                 updated_at = excluded.updated_at, sync_run = COALESCE(excluded.sync_run, devices.sync_run)",
                values_rows(self.backend, chunk.len(), COLS)
            );
            let mut q = sqlx::query(&sql);
            for c in chunk {
                let d = c.device;
                q = q
                    .bind(d.id.as_str())
                    .bind(d.name.as_str())
                    .bind(d.user.name.as_str())
                    .bind(d.user.email.as_str())
                    .bind(d.platform.as_str())
                    .bind(d.os_version.as_str())
                    .bind(d.manufacturer.as_str())
                    .bind(d.model.as_str())
                    .bind(i64::from(d.kiosk))
                    .bind(i64::from(d.mam_only))
                    .bind(i64::from(d.online))
                    .bind(timestamp(d.last_checkin))
                    // The legacy NOT NULL column mirrors the fact; `host_activation` holds it.
                    .bind(i64::from(d.host_activated.unwrap_or(false)))
                    .bind(d.host_activated.map(i64::from))
                    .bind(i64::from(d.apps.is_some()))
                    .bind(management_column(&d.management))
                    .bind(eligibility::readiness(d).as_str())
                    .bind(d.search_text())
                    .bind(c.sort_key.as_str())
                    .bind(c.hash.as_str())
                    .bind(source)
                    .bind(None::<String>)
                    .bind(now.as_str())
                    .bind(run);
            }
            q.execute(&mut *tx).await?;
        }
        let mut revived = 0;
        if let Some(run) = run {
            unchanged.sort_unstable();
            revived = stamp_seen(&mut tx, self.backend, &unchanged, run).await?;
        }

        // The apps, in the order of their key (device, app), for the same reason.
        // A device new to the store has no apps to replace.
        changed.sort_unstable_by(|a, b| a.device.id.cmp(&b.device.id));
        let stored: Vec<&str> = changed
            .iter()
            .filter(|c| c.stored)
            .map(|c| c.device.id.as_str())
            .collect();
        for chunk in stored.chunks(BATCH) {
            let sql = format!(
                "DELETE FROM device_apps WHERE device_id IN {}",
                placeholders(self.backend, 1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *tx).await?;
        }
        let mut apps: Vec<(&str, &InstalledApp)> = changed
            .iter()
            .flat_map(|c| {
                c.device
                    .apps
                    .iter()
                    .flatten()
                    .map(move |a| (c.device.id.as_str(), a))
            })
            .collect();
        apps.sort_unstable_by(|a, b| (a.0, a.1.app.as_str()).cmp(&(b.0, b.1.app.as_str())));
        for apps in apps.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO device_apps (device_id, app, version, managed, allowlisted, installing) VALUES {}",
                values_rows(self.backend, apps.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for (id, a) in apps {
                q = q
                    .bind(*id)
                    .bind(a.app.as_str())
                    .bind(a.version.as_deref())
                    .bind(a.managed.map(i64::from))
                    .bind(a.allowlisted.map(i64::from))
                    .bind(i64::from(a.installing));
            }
            q.execute(&mut *tx).await?;
        }
        if revived > 0 || !changed.is_empty() {
            crate::live::bump(&mut tx).await?;
        }
        tx.commit().await?;
        if self.backend == Backend::Postgres && summary.inserted + summary.updated >= BULK_ROWS {
            // After a bulk write the planner's statistics and the visibility map lag until
            // autovacuum comes by; search plans (index-only scans) need both now.
            if let Err(e) = sqlx::query("VACUUM (ANALYZE) devices")
                .execute(&self.pool)
                .await
            {
                tracing::warn!(error = %e, "VACUUM after a bulk import failed; autovacuum will catch up");
            }
        }
        Ok(summary)
    }

    /// Devices matching the query, ordered by name.
    pub async fn list_devices(&self, query: &DeviceQuery) -> Result<DevicePage> {
        let text = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_lowercase);
        match &self.live {
            // Text or a filter: the in-memory index finds the page and counts in one pass. A plain
            // list is the name index's first rows, which needs no index built.
            Some(live)
                if text.is_some() || query.platform.is_some() || query.readiness.is_some() =>
            {
                let snapshot = live.snapshot(&self.pool, self.backend).await?;
                let found = snapshot.find(&crate::live::Wanted {
                    text: text.as_deref(),
                    platform: query.platform,
                    readiness: query.readiness,
                    offset: query.offset,
                    limit: query.limit.clamp(1, 1000),
                });
                Ok(DevicePage {
                    total: query.count.then_some(found.total),
                    offset: query.offset,
                    items: self.rows_in_order(&found.ids).await?,
                })
            }
            _ => self.list_devices_sql(query).await,
        }
    }

    /// The list rows of these devices, in the order given (a device removed meanwhile is left out).
    async fn rows_in_order(&self, ids: &[Box<str>]) -> Result<Vec<DeviceRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM devices WHERE removed_at IS NULL AND id IN {}",
            placeholders(self.backend, 1, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(&**id);
        }
        let mut rows: HashMap<String, DeviceRow> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| row_to_device_row(r).map(|row| (row.id.clone(), row)))
            .collect::<Result<_>>()?;
        Ok(ids.iter().filter_map(|id| rows.remove(&**id)).collect())
    }

    /// [`Store::list_devices`] over the database's indexes (a one-shot command, a plain list).
    async fn list_devices_sql(&self, query: &DeviceQuery) -> Result<DevicePage> {
        let mut filter = String::from(" WHERE removed_at IS NULL");
        let mut n = 0;
        let pattern = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(like_pattern);
        if pattern.is_some() {
            n += 1;
            filter.push_str(&format!(" AND search_text LIKE ${n} ESCAPE '\\'"));
        }
        match query.platform {
            // "Other" is every platform Help@Work does not support (L2): windows, macos, other,
            // listed so that the platform index serves it (NOT IN would scan every device).
            Some(Platform::Other) => {
                let others: Vec<String> = Platform::ALL
                    .iter()
                    .filter(|p| !matches!(p, Platform::Android | Platform::Ios))
                    .map(|p| format!("'{}'", p.as_str()))
                    .collect();
                filter.push_str(&format!(" AND platform IN ({})", others.join(", ")));
            }
            Some(_) => {
                n += 1;
                filter.push_str(&format!(" AND platform = ${n}"));
            }
            None => {}
        }
        if query.readiness.is_some() {
            n += 1;
            filter.push_str(&format!(" AND readiness = ${n}"));
        }
        let filters = Filters {
            pattern: pattern.as_deref(),
            platform: query.platform,
            readiness: query.readiness,
        };

        let limit = query.limit.clamp(1, 1000);
        let sql = if pattern.is_some() {
            // Text search: the page's ids come from the partial index that holds `search_text`
            // in name order (an index-only scan, no table row read for each non-match), then
            // only the page's rows are read.
            format!(
                "WITH page AS (SELECT id, sort_key FROM devices{filter} ORDER BY sort_key, id LIMIT ${} OFFSET ${}) \
                 SELECT {PAGE_COLUMNS} FROM page JOIN devices d ON d.id = page.id ORDER BY page.sort_key, page.id",
                n + 1,
                n + 2
            )
        } else {
            format!(
                "SELECT {ROW_COLUMNS} FROM devices{filter} ORDER BY sort_key, id LIMIT ${} OFFSET ${}",
                n + 1,
                n + 2
            )
        };
        let rows = filters
            .bind(sqlx::query(&sql))
            .bind(i64::from(limit))
            .bind(i64::from(query.offset))
            .fetch_all(&self.pool)
            .await?;
        let items = rows
            .iter()
            .map(row_to_device_row)
            .collect::<Result<Vec<_>>>()?;

        let total = if query.count
            && items.len() < limit as usize
            && (query.offset == 0 || !items.is_empty())
        {
            // A page that is not full ends the matches: no second pass needed.
            Some(query.offset + items.len() as u32)
        } else if query.count {
            let sql = format!("SELECT COUNT(*) FROM devices{filter}");
            let count: i64 = filters
                .bind(sqlx::query(&sql))
                .fetch_one(&self.pool)
                .await?
                .get(0);
            Some(count as u32)
        } else {
            None
        };
        Ok(DevicePage {
            total,
            offset: query.offset,
            items,
        })
    }

    /// Marks devices removed from the MDM (kept, with the time, never deleted). Returns how many.
    pub async fn mark_removed(
        &self,
        ids: &[String],
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<u32> {
        if ids.is_empty() {
            return Ok(0);
        }
        let mut n = 0;
        let mut tx = self.pool.begin().await?;
        for id in ids {
            let done = sqlx::query(
                "UPDATE devices SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL",
            )
            .bind(timestamp(at))
            .bind(id.as_str())
            .execute(&mut *tx)
            .await?;
            n += done.rows_affected() as u32;
        }
        if n > 0 {
            crate::live::bump(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// After a complete sync run: devices of `source` the run did not see are marked removed.
    pub async fn mark_unseen_removed(
        &self,
        source: &str,
        run: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<u32> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE devices SET removed_at = $1 WHERE source = $2 AND removed_at IS NULL \
             AND (sync_run IS NULL OR sync_run <> $3)",
        )
        .bind(timestamp(at))
        .bind(source)
        .bind(run)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            crate::live::bump(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() as u32)
    }
}
