//! Bulk writes of devices (an import, each batch of a sync) inside one transaction.
//!
//! A [`DeviceWrite`] holds its transaction across batches: an import streams its file in
//! batches and writes each as it comes, and the whole file is committed at once or rolled back
//! (all rows or none), while memory holds one batch. A device is matched to the stored row by
//! its id key (`helpatwork_domain::ident::id_key`): `AND-001` updates the stored `and-001`.

use std::borrow::Cow;
use std::collections::HashMap;

use helpatwork_domain::{eligibility, ident, Device, InstalledApp};
use sqlx::Row;

use crate::devices::{placeholders, values_rows, BATCH};
use crate::{timestamp, Backend, ImportSummary, Result, Store};
use rows::Rows;

mod indexes;
mod rows;

/// Rows in one multi-row INSERT of a bulk write: 1,200 rows of 27 values stay under SQLite's
/// 32,766 bound parameters (PostgreSQL allows 65,535).
const ROWS_PER_INSERT: usize = 1_200;

/// Ids looked up in one query of a bulk write.
const LOOKUP_BATCH: usize = 4_000;

/// Rows written at once from which PostgreSQL gets a `VACUUM (ANALYZE)` of the devices table.
const BULK_ROWS: u32 = 10_000;

/// A device whose stored row must be written, with what the write derives from it.
struct Changed<'a> {
    device: Cow<'a, Device>,
    hash: String,
    sort_key: String,
    search_text: String,
    readiness: &'static str,
    key: String,
    /// The store holds a row for it already (an update, not an insert).
    stored: bool,
    /// An update that changes no indexed value (the name order, the search text, the platform,
    /// the readiness; the row is live): its write leaves every index alone.
    in_place: bool,
}

/// A stored row as a bulk write first compares it: its id (kept) and its content hash.
struct Stored {
    id: String,
    hash: String,
}

/// The values the devices table's indexes hold for a stored row, read for the rows an update
/// changes.
struct Indexed {
    sort_key: String,
    search_text: String,
    platform: String,
    readiness: String,
    live: bool,
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

/// Devices written in one transaction, batch by batch; [`DeviceWrite::commit`] makes them all
/// visible at once, dropping it (or [`DeviceWrite::rollback`]) leaves the store as it was.
pub struct DeviceWrite {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    source: String,
    run: Option<String>,
    summary: ImportSummary,
    bumped: bool,
    pool: sqlx::AnyPool,
    /// Whether the first batch was written (see [`DeviceWrite::defer_indexes`]).
    started: bool,
    /// The devices table's secondary indexes this write dropped to build them again at its
    /// commit (their `CREATE INDEX` statements).
    deferred: Vec<String>,
    /// A sync's batch: the devices the whole load writes (the MDM's total). A first load's
    /// dropped indexes stay dropped across the sync's batches ([`indexes`]).
    load: Option<usize>,
    /// The caller's word that no id key comes twice across this write's batches
    /// ([`DeviceWrite::with_distinct_ids`]).
    distinct: bool,
    /// Every device of this write is new: its ids are distinct and it began on an empty devices
    /// table (SQLite, which holds the write lock from the start), so nothing is looked up.
    fresh: bool,
}

impl Store {
    /// Inserts or updates devices (and replaces their apps) in one transaction: all or nothing.
    /// Devices whose content did not change are left alone, so a re-import is idempotent.
    pub async fn upsert_devices(&self, devices: &[Device], source: &str) -> Result<ImportSummary> {
        let mut write = self.begin_device_write(source, None).await?;
        write.write(devices).await?;
        write.commit().await
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
        let mut write = self.begin_device_write(source, Some(run)).await?;
        write.write(devices).await?;
        write.commit().await
    }

    /// Begins a bulk write of devices from `source` (a sync run's writes name the `run`).
    pub async fn begin_device_write(&self, source: &str, run: Option<&str>) -> Result<DeviceWrite> {
        // SQLite: the write lock from the start (BEGIN IMMEDIATE), so the look-ups and the
        // writes see one state and no other writer slips in between (a deferred transaction
        // would fail its first write with "database is locked" when one did).
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        if self.backend == Backend::Sqlite {
            // Room for a batch in SQLite's page cache: otherwise it spills pages to the WAL
            // mid-transaction and reads them back (most of a large import's time).
            sqlx::query("PRAGMA cache_size = -65536")
                .execute(&mut *tx)
                .await?;
        }
        Ok(DeviceWrite {
            tx,
            backend: self.backend,
            source: source.to_string(),
            run: run.map(str::to_string),
            summary: ImportSummary::default(),
            bumped: false,
            pool: self.pool.clone(),
            started: false,
            deferred: Vec::new(),
            load: None,
            distinct: false,
            fresh: false,
        })
    }

    /// Begins the write of one batch of a sync run of `total` devices: what
    /// [`Store::begin_device_write`] does, but when the run is the store's first load its
    /// indexes are built once, when the sync ends ([`Store::build_deferred_indexes`]), not at
    /// each batch's commit.
    pub async fn begin_sync_write(
        &self,
        source: &str,
        run: &str,
        total: usize,
    ) -> Result<DeviceWrite> {
        let mut write = self.begin_device_write(source, Some(run)).await?;
        write.load = Some(total);
        Ok(write)
    }
}

impl DeviceWrite {
    /// The caller's word that no device's id key ([`ident::id_key`]) comes twice across this
    /// write's batches: a fleet file's reader refuses a file with a duplicate id. A write that
    /// then begins on an empty SQLite devices table (a first import) looks no stored row up: it
    /// holds the write lock, so every device is an insert. A broken word fails the write (its
    /// apps' rows would collide) and leaves the store as it was.
    pub fn with_distinct_ids(mut self) -> Self {
        self.distinct = true;
        self
    }

    /// What the batches written so far changed.
    pub fn summary(&self) -> ImportSummary {
        self.summary
    }

    /// Writes one batch (a device appears once per write).
    pub async fn write(&mut self, devices: &[Device]) -> Result<ImportSummary> {
        let backend = self.backend;
        if !self.started {
            self.started = true;
            let load = self.load.unwrap_or(devices.len());
            // Read once, for the two uses of an empty table; SQLite only, where the write lock
            // is held from the start, so the answer holds for the whole transaction.
            let empty = backend == Backend::Sqlite
                && (self.distinct || load >= indexes::DEFER_FROM)
                && sqlx::query("SELECT 1 FROM devices LIMIT 1")
                    .fetch_optional(&mut *self.tx)
                    .await?
                    .is_none();
            self.defer_indexes(load, empty).await?;
            self.fresh = self.distinct && empty;
        }
        let keys: Vec<String> = devices.iter().map(|d| ident::id_key(&d.id)).collect();
        // The content hashes (a serialisation of each device, about as costly as the row's own
        // write) are computed on the other cores while the store looks the keys up.
        let (existing, hashes) = if self.fresh {
            (HashMap::new(), par_map(devices, content_hash))
        } else {
            let (existing, hashes) =
                tokio::join!(lookup(&mut self.tx, backend, devices, &keys), async {
                    par_map(devices, content_hash)
                });
            (existing?, hashes)
        };

        let mut summary = ImportSummary::default();
        let mut changed: Vec<Changed> = Vec::new();
        let mut unchanged: Vec<String> = Vec::new();
        for ((d, key), hash) in devices.iter().zip(keys).zip(hashes) {
            let old = existing.get(&key);
            let (device, hash) = match old {
                Some(old) if old.id != d.id => {
                    let mut renamed = d.clone();
                    renamed.id = old.id.clone();
                    let hash = content_hash(&renamed);
                    (Cow::Owned(renamed), hash)
                }
                _ => (Cow::Borrowed(d), hash),
            };
            match old {
                Some(old) if old.hash == hash => {
                    summary.unchanged += 1;
                    unchanged.push(device.id.clone());
                    continue;
                }
                Some(_) => summary.updated += 1,
                None => summary.inserted += 1,
            }
            let sort_key = device.name.to_lowercase();
            let search_text = device.search_text();
            let readiness = eligibility::readiness(&device).as_str();
            changed.push(Changed {
                sort_key,
                search_text,
                readiness,
                device,
                hash,
                key,
                stored: old.is_some(),
                in_place: false,
            });
        }
        self.summary.inserted += summary.inserted;
        self.summary.updated += summary.updated;
        self.summary.unchanged += summary.unchanged;
        if changed.is_empty() && (self.run.is_none() || unchanged.is_empty()) {
            return Ok(summary);
        }
        // The updates: which of them change an indexed value (read for these rows only, so a
        // sync of unchanged devices reads no more than their hashes).
        let updated: Vec<&str> = changed
            .iter()
            .filter(|c| c.stored)
            .map(|c| c.device.id.as_str())
            .collect();
        let indexed = indexed_values(&mut self.tx, backend, &updated).await?;
        for c in changed.iter_mut().filter(|c| c.stored) {
            c.in_place = indexed.get(c.device.id.as_str()).is_some_and(|old| {
                old.live
                    && old.sort_key == c.sort_key
                    && old.search_text == c.search_text
                    && old.platform == c.device.platform.as_str()
                    && old.readiness == c.readiness
            });
        }
        // Rows are written in the order of the list's indexes (name, then id), so each statement
        // touches a few neighbouring index pages instead of one page per row: SQLite journals
        // every page a statement changes (the statement journal) and rewrites every page a
        // transaction changes, so a batch in arrival order rewrote most of each index many
        // times over (at 100,000 devices, 4.4 GB of statement journal for a 120 MB store).
        changed
            .sort_unstable_by(|a, b| (&a.sort_key, &a.device.id).cmp(&(&b.sort_key, &b.device.id)));

        let rows = Rows {
            backend,
            source: &self.source,
            run: self.run.as_deref(),
            now: timestamp(chrono::Utc::now()),
        };
        // An update that changes no indexed value (a check-in, a new OS version) assigns only
        // the other columns: SQLite rewrites an index entry whenever its statement assigns a
        // column the index holds (or its condition names), and a few rewritten entries dirty
        // most index pages of a large fleet.
        let (in_place, whole): (Vec<&Changed>, Vec<&Changed>) =
            changed.iter().partition(|c| c.in_place);
        for (rows_of, in_place) in [(whole, false), (in_place, true)] {
            // Each statement's values are bound while the one before it runs. Full statements
            // share one text, so the statement is prepared once.
            let full_sql = rows.insert_sql(ROWS_PER_INSERT, in_place);
            let last_sql = rows.insert_sql(rows_of.len() % ROWS_PER_INSERT, in_place);
            let sql_for = |rows: usize| {
                if rows == ROWS_PER_INSERT {
                    full_sql.as_str()
                } else {
                    last_sql.as_str()
                }
            };
            let mut chunks = rows_of.chunks(ROWS_PER_INSERT);
            let mut next = chunks.next().map(|c| rows.bind(sql_for(c.len()), c));
            while let Some(q) = next.take() {
                let (done, following) = tokio::join!(q.execute(&mut *self.tx), async {
                    chunks.next().map(|c| rows.bind(sql_for(c.len()), c))
                });
                done?;
                next = following;
            }
        }
        let mut revived = 0;
        if let Some(run) = self.run.clone() {
            let mut ids: Vec<&str> = unchanged.iter().map(String::as_str).collect();
            ids.sort_unstable();
            revived = stamp_seen(&mut self.tx, backend, &ids, &run).await?;
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
                placeholders(backend, 1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut *self.tx).await?;
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
                values_rows(backend, apps.len(), 6)
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
            q.execute(&mut *self.tx).await?;
        }
        if !self.bumped && (revived > 0 || !changed.is_empty()) {
            crate::live::bump(&mut self.tx).await?;
            self.bumped = true;
        }
        Ok(summary)
    }

    /// Makes every batch visible at once.
    pub async fn commit(mut self) -> Result<ImportSummary> {
        self.build_dropped().await?;
        self.tx.commit().await?;
        let summary = self.summary;
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

    /// Leaves the store as it was before the first batch.
    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
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

/// The stored row (id, content hash) of each key: one query per [`LOOKUP_BATCH`] keys.
async fn lookup(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    devices: &[Device],
    keys: &[String],
) -> Result<HashMap<String, Stored>> {
    let mut existing: HashMap<String, Stored> = HashMap::new();
    for chunk in keys.chunks(LOOKUP_BATCH) {
        // A stored id that is its own key is found by the primary key; one spelled otherwise by
        // the index of those (`devices_id_key_other`).
        let sql = format!(
            "SELECT id, id_key, content_hash FROM devices \
             WHERE id IN {} OR (id_key IN {} AND id_key <> id)",
            placeholders(backend, 1, chunk.len()),
            placeholders(backend, chunk.len() + 1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for k in chunk.iter().chain(chunk) {
            q = q.bind(k.as_str());
        }
        for row in q.fetch_all(&mut **tx).await? {
            let key: String = row.get(1);
            // Two stored rows of one key (written before keys existed): the exact id wins.
            match existing.get(&key) {
                Some(kept) if devices.iter().any(|d| d.id == kept.id) => {}
                _ => {
                    let stored = Stored {
                        id: row.get(0),
                        hash: row.get(2),
                    };
                    existing.insert(key, stored);
                }
            }
        }
    }
    Ok(existing)
}

/// The indexed values of the stored rows `ids`, by id.
async fn indexed_values(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    ids: &[&str],
) -> Result<HashMap<String, Indexed>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(LOOKUP_BATCH) {
        let sql = format!(
            "SELECT id, sort_key, search_text, platform, readiness, \
             CASE WHEN removed_at IS NULL THEN 1 ELSE 0 END FROM devices WHERE id IN {}",
            placeholders(backend, 1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut **tx).await? {
            let indexed = Indexed {
                sort_key: row.get(1),
                search_text: row.get(2),
                platform: row.get(3),
                readiness: row.get(4),
                live: row.get::<i64, _>(5) != 0,
            };
            out.insert(row.get(0), indexed);
        }
    }
    Ok(out)
}

/// Items from which a bulk write maps this many or more are split across the machine's cores.
const PARALLEL_FROM: usize = 1_024;

/// `f` of each item, in order; a large slice is split across the machine's cores.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    if cores < 2 || items.len() < PARALLEL_FROM {
        return items.iter().map(f).collect();
    }
    let per = items.len().div_ceil(cores);
    std::thread::scope(|scope| {
        let f = &f;
        let parts: Vec<_> = items
            .chunks(per)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
