//! The live fleet's search index, in memory, for a long-running process (the window).
//!
//! A list query with text, a platform or a readiness answers from here: the live devices in
//! list order (name, then id) with their search text and the two filters, held compactly (about
//! 110 bytes a device; 11 MB at 100,000). One pass finds the page and counts every match, so the
//! count costs what the page costs: at 100,000 devices a substring search over all the text takes
//! about a millisecond, where the database had to read a whole index for each count. Only the
//! page's rows are then read from the database.
//!
//! Every write that changes what a list shows (a device written, removed or revived) bumps
//! `fleet_version.version` in its transaction; each query first reads that number (one small
//! query) and rebuilds the index when it moved, so writes by another process or another agent
//! of a team show up on the next query. A one-shot command (the CLI) does not build it: one query
//! over the database's indexes is cheaper than reading the fleet once.

use std::sync::Arc;

use helpatwork_domain::{Platform, Readiness};
use sqlx::Row;

use crate::{Backend, Result, StoreError};

/// Rows read by a rebuild. PostgreSQL returns them in list order (its collation's, as in a list
/// it answers itself); SQLite's order is byte order, so its rows come from a plain scan of the
/// table and are sorted here (ordering in SQL walks the name index and reads each row apart:
/// 0.7 s at 100,000 devices instead of 0.2 s).
const LOAD_SQL_SQLITE: &str = "SELECT id, search_text, platform, readiness, sort_key FROM devices \
     WHERE removed_at IS NULL";
const LOAD_SQL_POSTGRES: &str =
    "SELECT id, search_text, platform, readiness, sort_key FROM devices \
     WHERE removed_at IS NULL ORDER BY sort_key, id";

/// The query that tells whether the index is current.
pub(crate) const VERSION_SQL: &str = "SELECT version FROM fleet_version WHERE id = 1";

/// What every write that changes a list runs in its transaction.
pub(crate) const BUMP_SQL: &str = "UPDATE fleet_version SET version = version + 1 WHERE id = 1";

/// One consistent picture of the live fleet.
#[derive(Debug)]
pub(crate) struct Snapshot {
    version: i64,
    /// Every device's search text, each followed by a NUL, in list order.
    text: Vec<u8>,
    /// Where device `i`'s text starts; one more entry than devices (the end).
    starts: Vec<u32>,
    ids: Vec<Box<str>>,
    platforms: Vec<Platform>,
    readiness: Vec<Readiness>,
}

/// Which devices a list query wants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Wanted<'a> {
    /// Lower-case text to find anywhere in the search text; `None` for any.
    pub(crate) text: Option<&'a str>,
    pub(crate) platform: Option<Platform>,
    pub(crate) readiness: Option<Readiness>,
    pub(crate) offset: u32,
    pub(crate) limit: u32,
}

/// A page of ids in list order, and how many devices match in all.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) ids: Vec<Box<str>>,
    pub(crate) total: u32,
}

impl Snapshot {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    fn keeps(&self, i: usize, wanted: &Wanted) -> bool {
        let platform_ok = match wanted.platform {
            None => true,
            // "Other" is every platform Help@Work does not support (L2).
            Some(Platform::Other) => {
                !matches!(self.platforms[i], Platform::Android | Platform::Ios)
            }
            Some(p) => self.platforms[i] == p,
        };
        platform_ok && wanted.readiness.is_none_or(|r| self.readiness[i] == r)
    }

    fn text_of(&self, i: usize) -> &[u8] {
        // The stored end is the NUL after the text.
        &self.text[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    /// The page and the count, in one pass.
    pub(crate) fn find(&self, wanted: &Wanted) -> Found {
        let mut found = Found {
            ids: Vec::new(),
            total: 0,
        };
        let take = |i: usize, found: &mut Found| {
            if found.total >= wanted.offset && found.ids.len() < wanted.limit as usize {
                found.ids.push(self.ids[i].clone());
            }
            found.total += 1;
        };
        match wanted.text.map(str::as_bytes) {
            None => {
                for i in 0..self.len() {
                    if self.keeps(i, wanted) {
                        take(i, &mut found);
                    }
                }
            }
            Some(needle) if needle.contains(&0) => {
                // A NUL separates the texts: test each device on its own.
                let finder = memchr::memmem::Finder::new(needle);
                for i in 0..self.len() {
                    if self.keeps(i, wanted) && finder.find(self.text_of(i)).is_some() {
                        take(i, &mut found);
                    }
                }
            }
            Some(needle) => {
                // One scan over all the text; a match cannot cross the NUL between two devices.
                let mut device = 0usize;
                let mut last = usize::MAX;
                for at in memchr::memmem::find_iter(&self.text, needle) {
                    while self.starts[device + 1] as usize <= at {
                        device += 1;
                    }
                    if device != last {
                        last = device;
                        if self.keeps(device, wanted) {
                            take(device, &mut found);
                        }
                    }
                }
            }
        }
        found
    }
}

/// The index of one store, rebuilt when the fleet's version moves.
#[derive(Debug, Default)]
pub(crate) struct LiveFleet {
    current: tokio::sync::Mutex<Option<Arc<Snapshot>>>,
}

impl LiveFleet {
    /// The current snapshot, rebuilt first when the database's version differs from it.
    pub(crate) async fn snapshot(
        &self,
        pool: &sqlx::AnyPool,
        backend: Backend,
    ) -> Result<Arc<Snapshot>> {
        let version: i64 = sqlx::query(VERSION_SQL).fetch_one(pool).await?.get(0);
        let mut current = self.current.lock().await;
        if let Some(snapshot) = current.as_ref().filter(|s| s.version == version) {
            return Ok(snapshot.clone());
        }
        // The version is read before the rows: a write between the two only makes the next
        // query rebuild again, never keeps a stale picture.
        let snapshot = Arc::new(load(pool, backend, version).await?);
        *current = Some(snapshot.clone());
        Ok(snapshot)
    }
}

async fn load(pool: &sqlx::AnyPool, backend: Backend, version: i64) -> Result<Snapshot> {
    let started = std::time::Instant::now();
    let sql = match backend {
        Backend::Sqlite => LOAD_SQL_SQLITE,
        Backend::Postgres => LOAD_SQL_POSTGRES,
    };
    let rows = sqlx::query(sql).fetch_all(pool).await?;
    let mut devices = Vec::with_capacity(rows.len());
    for r in &rows {
        let platform: &str = r.try_get("platform")?;
        let readiness: &str = r.try_get("readiness")?;
        devices.push((
            r.try_get::<&str, _>("sort_key")?,
            r.try_get::<&str, _>("id")?,
            r.try_get::<&str, _>("search_text")?,
            Platform::parse(platform)
                .ok_or_else(|| StoreError::Corrupt(format!("platform {platform}")))?,
            Readiness::parse(readiness)
                .ok_or_else(|| StoreError::Corrupt(format!("readiness {readiness}")))?,
        ));
    }
    if backend == Backend::Sqlite {
        devices.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    }
    let text_len: usize = devices.iter().map(|d| d.2.len() + 1).sum();
    let too_big = || StoreError::Corrupt("the fleet's search text passes 4 GiB".into());
    let mut snapshot = Snapshot {
        version,
        text: Vec::with_capacity(text_len),
        starts: Vec::with_capacity(devices.len() + 1),
        ids: Vec::with_capacity(devices.len()),
        platforms: Vec::with_capacity(devices.len()),
        readiness: Vec::with_capacity(devices.len()),
    };
    for (_, id, text, platform, readiness) in devices {
        snapshot
            .starts
            .push(u32::try_from(snapshot.text.len()).map_err(|_| too_big())?);
        snapshot.text.extend_from_slice(text.as_bytes());
        snapshot.text.push(0);
        snapshot.ids.push(id.into());
        snapshot.platforms.push(platform);
        snapshot.readiness.push(readiness);
    }
    snapshot
        .starts
        .push(u32::try_from(snapshot.text.len()).map_err(|_| too_big())?);
    tracing::debug!(
        devices = snapshot.len(),
        ms = started.elapsed().as_millis() as u64,
        version,
        "live fleet index built"
    );
    Ok(snapshot)
}

/// Bumps the fleet's version in a write's transaction.
pub(crate) async fn bump(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    sqlx::query(BUMP_SQL).execute(&mut **tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(devices: &[(&str, &str, Platform, Readiness)]) -> Snapshot {
        let mut s = Snapshot {
            version: 1,
            text: Vec::new(),
            starts: Vec::new(),
            ids: Vec::new(),
            platforms: Vec::new(),
            readiness: Vec::new(),
        };
        for (id, text, p, r) in devices {
            s.starts.push(s.text.len() as u32);
            s.text.extend_from_slice(text.as_bytes());
            s.text.push(0);
            s.ids.push((*id).into());
            s.platforms.push(*p);
            s.readiness.push(*r);
        }
        s.starts.push(s.text.len() as u32);
        s
    }

    fn ids(found: &Found) -> Vec<&str> {
        found.ids.iter().map(|s| &**s).collect()
    }

    fn wanted(text: Option<&str>) -> Wanted<'_> {
        Wanted {
            text,
            platform: None,
            readiness: None,
            offset: 0,
            limit: 10,
        }
    }

    #[test]
    fn a_device_counts_once_however_often_its_text_matches() {
        let s = snapshot(&[
            ("a", "ana ana\u{1f}ana", Platform::Android, Readiness::Ready),
            ("b", "bruno", Platform::Ios, Readiness::Ready),
            ("c", "anabela", Platform::Ios, Readiness::Blocked),
        ]);
        let found = s.find(&wanted(Some("ana")));
        assert_eq!((ids(&found), found.total), (vec!["a", "c"], 2));
    }

    #[test]
    fn a_match_never_spans_two_devices() {
        // "na" + NUL + "br" would join "ana" and "bruno" if the separator were crossed.
        let s = snapshot(&[
            ("a", "ana", Platform::Android, Readiness::Ready),
            ("b", "bruno", Platform::Ios, Readiness::Ready),
        ]);
        assert_eq!(s.find(&wanted(Some("anabr"))).total, 0);
        assert_eq!(s.find(&wanted(Some("na\0br"))).total, 0);
        assert_eq!(s.find(&wanted(Some("ab"))).total, 0);
    }

    #[test]
    fn filters_offset_and_limit_shape_the_page_but_not_the_count() {
        let s = snapshot(&[
            ("a", "x1", Platform::Android, Readiness::Ready),
            ("b", "x2", Platform::Windows, Readiness::Unsupported),
            ("c", "x3", Platform::Macos, Readiness::Unsupported),
            ("d", "x4", Platform::Other, Readiness::Unsupported),
            ("e", "y5", Platform::Ios, Readiness::Ready),
        ]);
        let mut w = wanted(Some("x"));
        w.platform = Some(Platform::Other);
        w.offset = 1;
        w.limit = 1;
        let found = s.find(&w);
        assert_eq!((ids(&found), found.total), (vec!["c"], 3));

        let mut w = wanted(None);
        w.readiness = Some(Readiness::Ready);
        let found = s.find(&w);
        assert_eq!((ids(&found), found.total), (vec!["a", "e"], 2));

        let mut w = wanted(None);
        w.platform = Some(Platform::Ios);
        w.readiness = Some(Readiness::Unsupported);
        assert_eq!(s.find(&w).total, 0);
    }

    #[test]
    fn an_offset_past_the_matches_gives_an_empty_page_and_the_count() {
        let s = snapshot(&[("a", "ana", Platform::Android, Readiness::Ready)]);
        let mut w = wanted(Some("an"));
        w.offset = 5;
        let found = s.find(&w);
        assert_eq!((found.ids.len(), found.total), (0, 1));
    }
}
