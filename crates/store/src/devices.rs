//! The fleet: devices and their installed apps.

use std::collections::HashMap;

use helpatwork_domain::{Platform, Readiness};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::device_read::{row_to_device_list_row, DeviceListRow, PAGE_COLUMNS, ROW_COLUMNS};
use crate::{timestamp, Backend, Result, Store};

/// Ids in one `IN (…)` list (deleting or stamping devices' rows).
pub(crate) const BATCH: usize = 400;
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
    pub items: Vec<DeviceListRow>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub inserted: u32,
    pub updated: u32,
    pub unchanged: u32,
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
pub(crate) fn values_rows(backend: Backend, rows: usize, columns: usize) -> String {
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

/// After a migration: the id key of every id `lower(id)` may not give it for (non-ASCII ids),
/// computed as the import computes it.
pub(crate) async fn fill_id_keys(pool: &sqlx::AnyPool, backend: Backend) -> Result<()> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT id, id_key FROM devices WHERE id GLOB '*[^ -~]*' OR id_key IS NULL"
        }
        Backend::Postgres => "SELECT id, id_key FROM devices WHERE id ~ '[^ -~]' OR id_key IS NULL",
    };
    let rows = sqlx::query(sql).fetch_all(pool).await?;
    for row in rows {
        let id: String = row.get(0);
        let key = helpatwork_domain::ident::id_key(&id);
        if row.get::<Option<String>, _>(1).as_deref() != Some(key.as_str()) {
            sqlx::query("UPDATE devices SET id_key = $1 WHERE id = $2")
                .bind(key)
                .bind(id)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

impl Store {
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

    /// The list rows of up to 1000 devices by id, in the order given (a removed device, or an id
    /// not in the fleet, is left out): one page of a readiness group.
    pub async fn device_rows(&self, ids: &[String]) -> Result<Vec<DeviceListRow>> {
        let ids: Vec<Box<str>> = ids.iter().take(1000).map(|id| id.as_str().into()).collect();
        self.rows_in_order(&ids).await
    }

    /// The list rows of these devices, in the order given (a device removed meanwhile is left out).
    async fn rows_in_order(&self, ids: &[Box<str>]) -> Result<Vec<DeviceListRow>> {
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
        let mut rows: HashMap<String, DeviceListRow> = q
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| row_to_device_list_row(r).map(|row| (row.id.clone(), row)))
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
            .map(row_to_device_list_row)
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
